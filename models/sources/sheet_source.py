"""Spreadsheet records (.xlsx, .xls, .ods, read with python-calamine): every sheet with a header.

A sheet's header is the first row, among its first ``HEADER_SEARCH_ROWS``, that names two or
more record columns (so a title row above the table is fine); the rows below it are records.
Places are what the spreadsheet program shows: the sheet, the row number, the column letter.
Hidden sheets are not read; a visible sheet with content but no header is a notice.

Cells become text: a date cell becomes ``YYYY-MM-DD`` (in the ``period`` column, where a
spreadsheet program turns a typed ``2026-10`` into the date 2026-10-01, a first-of-month date
becomes the month ``2026-10``), a whole number loses its ``.0``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.records import Place
from lianfang.models.sources.base import RecordSource, SourceRow
from lianfang.models.sources.header import read_header, recognised

HEADER_SEARCH_ROWS = 10


def get_column_letter(number: int) -> str:
    """The spreadsheet's letters of the 1-based column ``number`` (1 → A, 27 → AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any, column: str | None = None) -> str:
    """A cell's value as the text a record column holds."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
    if isinstance(value, date):
        if column == "period" and value.day == 1:
            return f"{value.year}-{value.month:02d}"
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (time, timedelta)):
        return str(value)
    return str(value).strip()


def sheet_rows(path: Path, display: str, problems: list[InputProblem], notices: list[Notice]) -> Iterator[SourceRow]:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        problems.append(
            InputProblem(
                display,
                "",
                f"cannot be read as a spreadsheet ({exc}); save it again as .xlsx from Excel or WPS",
                zh=f"无法作为电子表格读取（{exc}）；请用 Excel 或 WPS 重新另存为 .xlsx",
            )
        )
        return
    try:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            yield from _rows_of_sheet(book, meta.name, display, problems, notices)
    finally:
        book.close()


def _rows_of_sheet(
    book: Any, name: str, display: str, problems: list[InputProblem], notices: list[Notice]
) -> Iterator[SourceRow]:
    try:
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken sheets
        problems.append(
            InputProblem(
                display,
                f"sheet {name}",
                f"cannot be read ({exc}); save the file again",
                zh=f"无法读取（{exc}）；请重新保存该文件",
            )
        )
        return
    header_at = next(
        (i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if recognised([cell_text(c) for c in row]) >= 2),
        None,
    )
    if header_at is None:
        if any(cell_text(c) for row in grid for c in row):
            notices.append(
                Notice(
                    display,
                    f"sheet {name}",
                    f"没有台账表头（编号、类型、日期、对象……），未读取；若是台账，请在前 {HEADER_SEARCH_ROWS} 行内加上表头",
                    f"no record header (id, kind, date, subject, … or 编号, 类型, 日期, 对象, …) in its first "
                    f"{HEADER_SEARCH_ROWS} rows; not read",
                )
            )
        return
    header = read_header([cell_text(c) for c in grid[header_at]])
    if header.problem is not None:
        problem = header.problem
        problems.append(problem.at(display, f"{name}!{get_column_letter(problem.position + 1)}{header_at + 1}"))
        return
    letters = tuple((column, get_column_letter(i + 1)) for i, column in enumerate(header.columns) if column)
    for index in range(header_at + 1, len(grid)):
        row = grid[index]
        values = {
            column: cell_text(row[i], column)
            for i, column in enumerate(header.columns)
            if column is not None and i < len(row)
        }
        if not any(values.values()):
            continue
        yield SourceRow(Place(display, index + 1, "row", name, letters), values)


SHEET_SOURCE = RecordSource("spreadsheet", (".xlsx", ".xlsm", ".xls", ".ods"), sheet_rows)
