"""A record header row: column names (English or their Chinese aliases) to record columns."""

from __future__ import annotations

from dataclasses import dataclass

from lianfang.models.records import COLUMN_ALIASES, RECORD_COLUMNS, REQUIRED_COLUMNS, column_of

#: headers of columns that are read past (a ledger's running number)
IGNORED_HEADERS = ("序号",)
HEADER_HELP = (
    f"the header must use the columns {','.join(RECORD_COLUMNS)} "
    f"(or their Chinese names {','.join(COLUMN_ALIASES)}; a {IGNORED_HEADERS[0]} column is ignored)"
)


@dataclass(frozen=True)
class Header:
    """A header row read: the record column of each position (None: ignored), or the problem."""

    columns: tuple[str | None, ...]
    #: the first bad header cell's position and the problem, e.g. (3, 'unknown column "金额"')
    problem: tuple[int, str] | None = None


def read_header(cells: list[str]) -> Header:
    columns: list[str | None] = []
    problem: tuple[int, str] | None = None
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text or text in IGNORED_HEADERS:
            columns.append(None)
            continue
        column = column_of(text)
        if column not in RECORD_COLUMNS:
            problem = problem or (position, f'unknown column "{text}"')
            columns.append(None)
        elif column in seen:
            problem = problem or (position, f'column "{text}" appears twice')
            columns.append(None)
        else:
            seen[column] = position
            columns.append(column)
    if problem is None:
        missing = [c for c in REQUIRED_COLUMNS if c not in seen]
        if missing:
            problem = (len(cells), f'missing column "{missing[0]}" ({_label(missing[0])})')
    return Header(tuple(columns), problem)


def recognised(cells: list[str]) -> int:
    """How many cells name a record column: a row with two or more is taken as the header."""
    return sum(1 for c in cells if column_of(c) in RECORD_COLUMNS)


def _label(column: str) -> str:
    return next(label for label, c in COLUMN_ALIASES.items() if c == column)
