"""CSV records: a header row of record columns, then one record per row (row 1 is the header)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from lianfang.models.errors import InputProblem
from lianfang.models.records import RECORD_COLUMNS, REQUIRED_COLUMNS, Place
from lianfang.models.sources.base import RecordSource, SourceRow
from lianfang.models.sources.text import read_text


def csv_rows(path: Path, display: str, problems: list[InputProblem]) -> Iterator[SourceRow]:
    text = read_text(path, display, problems)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in RECORD_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown or missing:
        what = f'unknown column "{unknown[0]}"' if unknown else f'missing column "{missing[0]}"'
        problems.append(
            InputProblem(display, "row 1", f"{what}; the header must use the columns {','.join(RECORD_COLUMNS)}")
        )
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
        values_by_column = {h: v.strip() for h, v in zip(header, values, strict=False)}
        yield SourceRow(Place(display, number, "row"), values_by_column)


CSV_SOURCE = RecordSource("csv", (".csv",), csv_rows)
