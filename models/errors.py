"""Input errors: every problem names the file, the row or key, the bad value and the remedy."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    """One problem found in a file the user wrote."""

    file: str
    where: str  # "row 12", "key departments[2].head", or "" for the whole file
    message: str

    def __str__(self) -> str:
        location = f"{self.file}: {self.where}" if self.where else self.file
        return f"{location}: {self.message}"


class InputError(Exception):
    """Bad input: the run stops before any check, with every problem found listed."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(value: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' when a close valid id exists, else ''."""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""


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
