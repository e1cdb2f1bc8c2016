"""The archive's tables.

One table, ``entries``, is the hash chain: every record, correction and saved check run is
one row, appended and never updated. Each row's ``hash`` covers its content and the hash of
the entry before it (``prev_hash``). Values are kept as text so that the bytes hashed are the
bytes stored, on SQLite and PostgreSQL alike. ``chain_head`` holds the last entry's number and
hash: the row appenders lock, and what ``verify`` compares the table's end against.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

#: the record columns of a workspace ledger, as stored for a record or supersede entry
RECORD_FIELDS = ("record_id", "kind", "date", "subject", "period", "by", "result", "ref", "note")

entries = Table(
    "entries",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(16), nullable=False),  # record | supersede | void | run
    Column("at", String(32), nullable=False),  # UTC, ISO 8601
    Column("who", String(200), nullable=False),
    Column("source", Text, nullable=False),  # how it came in: "record add", "import FILE row N", "check"
    # a record (type record or supersede: the new version)
    Column("record_id", String(200)),
    Column("kind", String(64)),
    Column("date", String(10)),
    Column("subject", String(200)),
    Column("period", String(16)),
    Column("by", Text),
    Column("result", Text),
    Column("ref", Text),
    Column("note", Text),
    # a correction (supersede, void): the record id it corrects, and why
    Column("target", String(200)),
    Column("reason", Text),
    # a saved check run
    Column("run_id", Integer, unique=True),
    Column("data", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_entries_record_id", "record_id"),
    Index("ix_entries_kind_subject", "kind", "subject"),
    Index("ix_entries_type", "type"),
    Index("ix_entries_target", "target"),
)

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

#: the hash an empty chain starts from
GENESIS = "0" * 64

#: the columns an entry's hash covers: all but its position and its own hash
HASHED = tuple(c.name for c in entries.columns if c.name not in ("seq", "hash"))
