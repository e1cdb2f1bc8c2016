"""The hash chain: what an entry's hash covers, and appending under the chain-head lock.

An entry's hash is SHA-256 of the canonical JSON of every column but its position and its own
hash — ``prev_hash`` included, so each entry seals the one before it. The position (``seq``)
is left out on purpose: an entry slipped in by renumbering the rest then shows as inserted
(its successor still names its old predecessor), not as every later entry "changed".
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from lianfang.models.archive.schema import HASHED, chain_head, entries


def entry_hash(row: Mapping[str, Any]) -> str:
    """The hash of one entry, from its stored values."""
    content = {name: row.get(name) for name in HASHED}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def default_who() -> str:
    """Who is entering: ``$LIANFANG_USER``, else the login name."""
    try:
        return os.environ.get("LIANFANG_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# built once: SQLAlchemy caches a statement's compiled form by the statement object
_HEAD = select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)
_HEAD_LOCKED = _HEAD.with_for_update()
_INSERT = insert(entries)
_MOVE_HEAD = update(chain_head).where(chain_head.c.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))


def head(conn: Connection, lock: bool = False) -> tuple[int, str]:
    """The chain's last entry number and hash; ``lock`` holds the head row until commit
    (PostgreSQL: SELECT … FOR UPDATE; SQLite already holds the database's write lock)."""
    seq, value = conn.execute(_HEAD_LOCKED if lock else _HEAD).one()
    return int(seq), str(value)


def append(
    conn: Connection, rows: Sequence[Mapping[str, Any]], locked_head: tuple[int, str] | None = None
) -> list[dict[str, Any]]:
    """Append entries in order, each sealed with the hash of the one before; returns them as
    stored. Call inside ``Archive.writing()``; ``locked_head`` is what ``head(conn, lock=True)``
    returned earlier in the same transaction (else the head is locked and read here)."""
    seq, prev = locked_head or head(conn, lock=True)
    stored: list[dict[str, Any]] = []
    at = now()
    for row in rows:
        seq += 1
        entry = {name: row.get(name) for name in HASHED}
        entry["at"] = row.get("at") or at
        entry["prev_hash"] = prev
        entry["hash"] = prev = entry_hash(entry)
        entry["seq"] = seq
        stored.append(entry)
    if stored:
        conn.execute(_INSERT, stored)
        conn.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev})
    return stored
