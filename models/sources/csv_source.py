"""CSV records: a header row of record columns (or their Chinese names), then one record per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.limits import MAX_FIELD_CHARS
from lianfang.models.records import Place
from lianfang.models.sources.base import RecordSource, SourceRow
from lianfang.models.sources.csv_columns import csv_columns
from lianfang.models.sources.header import read_header
from lianfang.models.sources.text import read_text


def csv_rows(path: Path, display: str, problems: list[InputProblem], notices: list[Notice]) -> Iterator[SourceRow]:
    text = read_text(path, display, problems)
    if text is None:
        return
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(
            InputProblem(
                display,
                f"line {line}",
                "contains a NUL character (\\x00): the file is damaged or not a CSV text; export it again as CSV",
                zh="含有 NUL 字符（\\x00）：文件已损坏或不是 CSV 文本；请重新导出为 CSV",
            )
        )
        return
    # strict: a stray quote is an error, and a quote never closed is reported, not read to the end
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, display, problems)
    first = next(rows, None)
    if first is None:
        return
    header = first[1]
    columns = read_header(header)
    if columns.problem is not None:
        problems.append(columns.problem.at(display, "row 1"))
        return
    for number, values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems.append(
                InputProblem(
                    display,
                    f"row {number}",
                    f"{len(values)} fields for {len(header)} columns; quote fields that contain commas",
                    zh=f"该行有 {len(values)} 个字段，但表头只有 {len(header)} 列；含逗号的字段要加引号",
                )
            )
            continue
        values_by_column = {c: v.strip() for c, v in zip(columns.columns, values, strict=False) if c is not None}
        yield SourceRow(Place(display, number, "row"), values_by_column)


def _rows(reader: Any, display: str, problems: list[InputProblem]) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cells); a malformed row ends the file with its problem."""
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(_csv_problem(display, number + 1, start, str(error)))
            return
        number += 1
        yield number, values


def _csv_problem(display: str, number: int, line: int, error: str) -> InputProblem:
    where = f"row {number}"
    if "field larger than field limit" in error:
        return InputProblem(
            display,
            where,
            f"a field is longer than {csv.field_size_limit():,} characters (the limit is {MAX_FIELD_CHARS:,})",
            zh=f"有字段超过 {csv.field_size_limit():,} 个字符（上限 {MAX_FIELD_CHARS:,}）",
        )
    if "unexpected end of data" in error or "EOF" in error:
        return InputProblem(
            display,
            where,
            f'a quoted field opened on line {line} is never closed (a " without its closing "); '
            "it would swallow the rest of the file: close the quote",
            zh=f'第 {line} 行开始的带引号字段没有结束（缺少配对的 "）；它会吞掉文件的其余部分：请补上引号',
        )
    return InputProblem(
        display,
        where,
        f'not valid CSV ({error}): quote a field that holds a comma or a ", and double a " inside quotes',
        zh=f'不是有效的 CSV（{error}）：含逗号或 " 的字段要加引号，引号内的 " 要写两次',
    )


CSV_SOURCE = RecordSource("csv", (".csv",), csv_rows, csv_columns)
