"""The record-source seam: what a source yields and the registry of sources by file suffix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.records import Place

#: a source's reader: (file, display name, problems, notices) -> rows. A problem it cannot read
#: past is appended to ``problems`` (naming the display name and the place) and the row is
#: skipped; something it leaves unread on purpose (a sheet without a record header) is a notice
RowReader = Callable[[Path, str, list[InputProblem], list[Notice]], Iterator["SourceRow"]]


@dataclass(frozen=True)
class SourceRow:
    """One row of a record file: its place and its values (stripped text, by record column)."""

    place: Place
    values: dict[str, str]


#: a source's columnar reader for large files: (file, display name) -> columns, or None when
#: only its row reader can read the file exactly (``models.bulk`` validates the columns)
ColumnReader = Callable[[Path, str], Any]


@dataclass(frozen=True)
class RecordSource:
    """A record file format: its name, the suffixes it reads (lower case, with the dot), its reader,
    and optionally a columnar reader for large files (see ``csv_columns``)."""

    name: str
    suffixes: tuple[str, ...]
    rows: RowReader
    columns: ColumnReader | None = None


_REGISTRY: dict[str, RecordSource] = {}


def register(source: RecordSource) -> None:
    """Make ``source`` read files with its suffixes (a later registration replaces an earlier one)."""
    for suffix in source.suffixes:
        _REGISTRY[suffix.lower()] = source


def source_for(path: Path) -> RecordSource | None:
    """The source that reads ``path``, by its suffix, or None."""
    return _REGISTRY.get(path.suffix.lower())


def registered_suffixes() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))
