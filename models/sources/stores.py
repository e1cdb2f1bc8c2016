"""Record stores: records kept outside ``records/``, read beside the files for every check.

A store is a reader ``(workspace root, problems) -> rows``; its rows are validated exactly as
the rows of a file, and ids must be unique across the files and every store (the duplicate's
message names both places). The risk information archive (``models.archive``) is the store
registered here; it yields nothing when the workspace has no archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from lianfang.models.errors import InputProblem
from lianfang.models.sources.base import SourceRow

StoreReader = Callable[[Path, list[InputProblem]], Iterator[SourceRow]]

_STORES: dict[str, StoreReader] = {}


def register_store(name: str, reader: StoreReader) -> None:
    """Read records from ``reader`` in every workspace (a later registration of ``name`` replaces it)."""
    _STORES[name] = reader


def stores() -> list[StoreReader]:
    return list(_STORES.values())


def _archive_rows(root: Path, problems: list[InputProblem]) -> Iterator[SourceRow]:
    # imported on use: a check without an archive never loads the database libraries' models
    from lianfang.models.archive.source import archive_rows

    yield from archive_rows(root, problems)


register_store("archive", _archive_rows)
