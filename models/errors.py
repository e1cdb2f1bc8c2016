"""Input errors: every problem names the file, the row or key, the bad value and the remedy.

A problem is written in English and, where given, in Chinese (``zh``); :meth:`InputProblem.render`
picks the language of ``--lang`` and puts the place (row, line, key) in its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PLACE = re.compile(r"(row|line|key|sheet|cell|record) ([^,]+)")
_PLACE_ZH = {
    "row": "第 {} 行",
    "line": "第 {} 行",
    "key": "键 {}",
    "sheet": "工作表 {}",
    "cell": "单元格 {}",
    "record": "记录 {}",
}


def place_zh(where: str) -> str:
    """A place ("row 12", "line 3, key x", 'record "p2"') in Chinese words ("第 12 行" …)."""
    return "，".join(
        _PLACE.sub(lambda m: _PLACE_ZH[m.group(1)].format(m.group(2)), part.strip()) for part in where.split(",")
    )


@dataclass(frozen=True)
class InputProblem:
    """One problem found in a file the user wrote."""

    file: str
    where: str  # "row 12", "key departments[2].head", "line 3, key x", or "" for the whole file
    message: str
    #: the message in Chinese; the English one is shown when it is missing
    zh: str = ""

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """``file: place: message`` in ``lang`` (zh or en)."""
        where = self.where
        message = self.message
        if lang == "zh":
            where = place_zh(where) if where else ""
            message = self.zh or self.message
        location = f"{self.file}: {where}" if where else self.file
        return f"{location}: {message}"


class Said(ValueError):
    """A validator's own message, in English and Chinese (``problem_from_pydantic`` shows the
    one of ``--lang``)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


class InputError(Exception):
    """Bad input: the run stops before any check, with every problem found listed."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(value: str, choices: Iterable[str], lang: str = "en") -> str:
    """Return ' (did you mean "x"?)' (in Chinese: '（是否为“x”？）') when a close valid id exists, else ''."""
    import difflib  # only when a value is wrong: not every command's start

    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not matches:
        return ""
    return f"（是否为“{matches[0]}”？）" if lang == "zh" else f' (did you mean "{matches[0]}"?)'


@dataclass(frozen=True)
class Notice:
    """A warning about the user's files: the run goes on, the exit code does not change.

    Said in Chinese (``zh``) and English (``en``); the command prints the one of its ``--lang``.
    """

    file: str
    where: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        message = self.en if lang == "en" else self.zh
        location = f"{self.file}: {self.where}" if self.where else self.file
        return f"{location}: {message}"
