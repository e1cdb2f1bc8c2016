"""Record sources: one reader per file format of ``records/``, registered by file suffix.

Each source turns one file into rows of text values keyed by the record columns
(``models.records.RECORD_COLUMNS``), each with its ``Place`` (file, row or line as the user
sees it, sheet and columns for spreadsheets), so every message about a bad value points where
the user looks. ``models.workspace.read_records`` validates the rows, whatever their source.

A new format is one module with a ``rows`` function and one ``register`` call below.
"""

from __future__ import annotations

from lianfang.models.sources.base import RecordSource, SourceRow, register, registered_suffixes, source_for
from lianfang.models.sources.csv_source import CSV_SOURCE
from lianfang.models.sources.jsonl_source import JSONL_SOURCE
from lianfang.models.sources.sheet_source import SHEET_SOURCE

register(CSV_SOURCE)
register(JSONL_SOURCE)
register(SHEET_SOURCE)

__all__ = ["RecordSource", "SourceRow", "register", "registered_suffixes", "source_for"]
