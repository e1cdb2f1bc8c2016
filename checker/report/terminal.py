"""Text for a terminal, laid out here: cell widths, folding at a width, tables, ANSI styles.

``--format table`` is what a compliance officer reads every month, and what a scheduled job
prints into its log. It used Rich; drawing its few shapes here (a title, a heading, a table
with one rule under its header) keeps Rich's import (~50 ms) and layout (~70 ms for the
example's 136 lines; 24 s for a 2,500-person unit's ``--all``) out of every check: a sixth of
the example's instructions. The look is Rich's ``box.SIMPLE_HEAD`` with ``pad_edge=False``,
line for line into a file (tests/test_terminal.py draws each table with Rich too), so the
check's table reads like the other commands' tables, still drawn by Rich.

Every text reaching here has passed ``escape.plain`` (no control character, no bidi override);
a tab becomes a space, so that the terminal's tab stops cannot move a column.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from typing import TextIO

#: a file or a pipe gets a wide table (COLUMNS if set): Chinese folded at 80 columns is unreadable
FILE_WIDTH = 180
#: a terminal whose size cannot be read
TERMINAL_WIDTH = 80
#: SGR parameters of the styles the table uses (bold, dim and the eight basic colours)
_SGR = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
_COLOURS = {"red", "green", "yellow", "blue", "magenta", "cyan"}
#: a word and the spaces after it
_WORD = re.compile(r"(\S+)(\s*)")
#: between two columns: the right padding of one, the divider, the left padding of the next
_BETWEEN = "   "


#: cells of each character met (a report uses a few hundred distinct ones)
_CELLS: dict[str, int] = {}


def _char_cells(char: str) -> int:
    cells = _CELLS.get(char)
    if cells is None:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            cells = 0  # a combining mark, a zero-width joiner: drawn on the cell before
        else:
            cells = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        _CELLS[char] = cells
    return cells


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes (a Chinese character takes two)."""
    if text.isascii():
        return len(text)
    return sum(map(_char_cells, text))


def _fold_word(word: str, width: int) -> list[str]:
    """A word wider than ``width`` cut into pieces of at most ``width`` cells (a Chinese
    sentence has no spaces to wrap at); a piece holds one character at least."""
    pieces, piece, used = [], "", 0
    for char in word:
        cells = _char_cells(char)
        if piece and used + cells > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += cells
    pieces.append(piece)
    return pieces


def fold(text: str, width: int) -> list[str]:
    """The lines of ``text`` at most ``width`` cells wide (a character wider than ``width``
    alone excepted): wrapped at spaces, a word wider than a line folded; line feeds kept.
    Nothing is cut off: the lines hold every character but spaces."""
    width = max(width, 1)
    lines: list[str] = []
    for line in text.replace("\t", " ").split("\n"):
        if cell_width(line) <= width:
            lines.append(line.rstrip())
            continue
        current, used, gap = "", 0, ""
        for match in _WORD.finditer(line):
            word, space = match.groups()
            size = cell_width(word)
            joined = used + cell_width(gap) + size
            if current and joined <= width:
                current += gap + word
                used = joined
            else:
                if current:
                    lines.append(current)
                if size <= width:
                    current, used = word, size
                else:
                    *whole, current = _fold_word(word, width)
                    lines.extend(whole)
                    used = cell_width(current)
            gap = space
        lines.append(current)
    return lines


class Painter:
    """Styles as ANSI escape sequences, or none (a file, a pipe, ``TERM=dumb``); ``NO_COLOR``
    keeps bold and dim but drops colours (https://no-color.org)."""

    def __init__(self, styled: bool, colours: bool = True) -> None:
        self.styled = styled
        self.colours = colours
        self._codes: dict[str, str] = {}

    def __call__(self, text: str, style: str) -> str:
        if not (self.styled and style and text):
            return text
        code = self._codes.get(style)
        if code is None:
            words = [w for w in style.split() if w in _SGR and (self.colours or w not in _COLOURS)]
            code = self._codes[style] = ";".join(_SGR[w] for w in words)
        return f"\x1b[{code}m{text}\x1b[0m" if code else text


def interactive(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed stream
        return False


def output_width(stream: TextIO, file_width: int = FILE_WIDTH) -> int:
    """The width to lay out for: ``COLUMNS`` if it is a number, else the terminal's, else
    ``file_width`` for a file or a pipe."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not interactive(stream):
        return file_width
    try:
        return os.get_terminal_size(stream.fileno()).columns or TERMINAL_WIDTH
    except (AttributeError, OSError, ValueError):
        return TERMINAL_WIDTH


def painter_for(stream: TextIO) -> Painter:
    env = os.environ
    styled = (interactive(stream) or bool(env.get("FORCE_COLOR"))) and env.get("TERM") != "dumb"
    return Painter(styled, colours=not env.get("NO_COLOR"))


class Screen:
    """Lines written to a stream at a width, styled where the stream is a terminal; written
    a table at a time (and at ``flush``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = output_width(stream)
        self.paint = painter_for(stream)
        self._lines: list[str] = []

    def print(self, text: str = "", style: str = "") -> None:
        """A paragraph, folded at the width."""
        self._lines.extend(self.paint(line, style) for line in fold(text, self.width))

    def table(self, table: Table) -> None:
        self._lines.extend(table.lines(self.width, self.paint))
        self.flush()

    def flush(self) -> None:
        self.stream.write("".join(f"{line}\n" for line in self._lines))
        self._lines.clear()


class Table:
    """Rich's ``box.SIMPLE_HEAD`` table: a title, the header (bold) and a rule under it, rows
    of cells folded to their column's width, one space at the left edge, three between columns.
    (Plain classes here, not dataclasses: making a dataclass costs ~0.5 ms of every start.)"""

    def __init__(self, title: str, headers: Sequence[str], widths: Sequence[int]) -> None:
        self.title = title
        self.headers = headers
        self.widths = widths
        self.rows: list[tuple[Sequence[str], dict[int, str]]] = []

    def add_row(self, cells: Sequence[str], styles: dict[int, str] | None = None) -> None:
        """A row; ``styles`` by column index (a status in its colour)."""
        self.rows.append((cells, styles or {}))

    def lines(self, room: int, paint: Painter) -> list[str]:
        out = [paint(line, "italic") for line in fold(self.title, room)] if self.title else []
        out.append("")
        out += self._row(self.headers, {i: "bold" for i in range(len(self.headers))}, paint)
        out.append(" " + "─" * (sum(self.widths) + len(_BETWEEN) * (len(self.widths) - 1)))
        for cells, styles in self.rows:
            out += self._row(cells, styles, paint)
        out.append("")
        return out

    def _row(self, cells: Sequence[str], styles: dict[int, str], paint: Painter) -> list[str]:
        folded = [fold(cell, width) for cell, width in zip(cells, self.widths, strict=True)]
        height = max(len(lines) for lines in folded)
        out = []
        for n in range(height):
            parts = []
            for index, (lines, width) in enumerate(zip(folded, self.widths, strict=True)):
                text = lines[n] if n < len(lines) else ""
                parts.append(paint(text, styles.get(index, "")) + " " * (width - cell_width(text)))
            out.append((" " + _BETWEEN.join(parts)).rstrip())
        return out
