"""CSV records: a header row of record columns (or their Chinese names), then one record per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.records import Place
from lianfang.models.sources.base import RecordSource, SourceRow
from lianfang.models.sources.csv_columns import csv_columns
from lianfang.models.sources.header import HEADER_HELP, read_header
from lianfang.models.sources.text import read_text


def csv_rows(path: Path, display: str, problems: list[InputProblem], notices: list[Notice]) -> Iterator[SourceRow]:
    text = read_text(path, display, problems)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    columns = read_header(header)
    if columns.problem is not None:
        problems.append(InputProblem(display, "row 1", f"{columns.problem[1]}; {HEADER_HELP}"))
        return
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems.append(
                InputProblem(
                    display,
                    f"row {number}",
                    f"{len(values)} fields for {len(header)} columns; quote fields that contain commas",
                )
            )
            continue
        values_by_column = {c: v.strip() for c, v in zip(columns.columns, values, strict=False) if c is not None}
        yield SourceRow(Place(display, number, "row"), values_by_column)


CSV_SOURCE = RecordSource("csv", (".csv",), csv_rows, csv_columns)
