"""A record header row: column names (English or their Chinese aliases) to record columns."""

from __future__ import annotations

from dataclasses import dataclass

from lianfang.models.errors import InputProblem
from lianfang.models.records import COLUMN_ALIASES, RECORD_COLUMNS, REQUIRED_COLUMNS, column_of

#: headers of columns that are read past (a ledger's running number)
IGNORED_HEADERS = ("序号",)
HEADER_HELP = (
    f"the header must use the columns {','.join(RECORD_COLUMNS)} "
    f"(or their Chinese names {','.join(COLUMN_ALIASES)}; a {IGNORED_HEADERS[0]} column is ignored)"
)
HEADER_HELP_ZH = (
    f"表头必须使用以下列：{','.join(RECORD_COLUMNS)}"
    f"（或对应的中文列名 {','.join(COLUMN_ALIASES)}；“{IGNORED_HEADERS[0]}”列会被忽略）"
)


@dataclass(frozen=True)
class HeaderProblem:
    """The first bad header cell's position (0-based; the cell after the last one for a missing
    column) and what is wrong with it, in English and Chinese (without the header help)."""

    position: int
    en: str
    zh: str

    def at(self, display: str, where: str) -> InputProblem:
        """The problem of ``display`` at ``where`` (the header row or cell), with the header help."""
        return InputProblem(display, where, f"{self.en}; {HEADER_HELP}", zh=f"{self.zh}；{HEADER_HELP_ZH}")


@dataclass(frozen=True)
class Header:
    """A header row read: the record column of each position (None: ignored), or the problem."""

    columns: tuple[str | None, ...]
    #: the first bad header cell, e.g. HeaderProblem(3, 'unknown column "金额"', "未知的列“金额”")
    problem: HeaderProblem | None = None


def read_header(cells: list[str]) -> Header:
    columns: list[str | None] = []
    problem: HeaderProblem | None = None
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text or text in IGNORED_HEADERS:
            columns.append(None)
            continue
        column = column_of(text)
        if column not in RECORD_COLUMNS:
            problem = problem or HeaderProblem(position, f'unknown column "{text}"', f"未知的列“{text}”")
            columns.append(None)
        elif column in seen:
            problem = problem or HeaderProblem(position, f'column "{text}" appears twice', f"“{text}”列出现了两次")
            columns.append(None)
        else:
            seen[column] = position
            columns.append(column)
    if problem is None:
        missing = [c for c in REQUIRED_COLUMNS if c not in seen]
        if missing:
            column, label = missing[0], _label(missing[0])
            problem = HeaderProblem(len(cells), f'missing column "{column}" ({label})', f"缺少“{column}”列（{label}）")
    return Header(tuple(columns), problem)


def recognised(cells: list[str]) -> int:
    """How many cells name a record column: a row with two or more is taken as the header."""
    return sum(1 for c in cells if column_of(c) in RECORD_COLUMNS)


def _label(column: str) -> str:
    return next(label for label, c in COLUMN_ALIASES.items() if c == column)
