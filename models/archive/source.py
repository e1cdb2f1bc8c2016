"""The archive as a record source: its current records, as rows placed at their entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lianfang.models.archive.db import open_archive
from lianfang.models.archive.store import current_records, record_values
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.records import Place
from lianfang.models.sources.base import SourceRow


def archive_rows(root: Path, problems: list[InputProblem]) -> Iterator[SourceRow]:
    """The current version of every record in the workspace's archive (``$LIANFANG_DB`` or
    ``.lianfang/archive.db``); nothing when there is none. A database that cannot be used is a
    problem naming it."""
    try:
        archive = open_archive(root, create=False)
        if archive is None:
            return
        try:
            with archive.reading() as conn:
                records = current_records(conn, archive.label)
        finally:
            archive.dispose()
    except InputError as error:
        problems.extend(error.problems)
        return
    for record in records:
        values = record_values(record)
        values["id"] = values.pop("record_id")
        yield SourceRow(Place(archive.label, record.line, "entry"), values)
