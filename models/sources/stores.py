"""Record stores: records kept outside ``records/``, read beside the files for every check.

A store is a reader ``(workspace root, problems) -> rows``; its rows are validated exactly as
the rows of a file, and ids must be unique across the files and every store (the duplicate's
message names both places). The risk information archive (``models.archive``) is the store
registered here; it yields nothing when the workspace has no archive.
"""

from __future__ import annotations

import os
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
    from lianfang.models.archive import DEFAULT_PATH, ENV_VAR, selected_db

    named = selected_db.get() or os.environ.get(ENV_VAR, "").strip()
    if not named and not (root / DEFAULT_PATH).exists():
        return  # no archive: the database libraries (SQLAlchemy, ~0.3 s) are not even imported
    from lianfang.models.archive.source import archive_rows

    yield from archive_rows(root, problems)


register_store("archive", _archive_rows)
