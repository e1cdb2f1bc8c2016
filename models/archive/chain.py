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

from sqlalchemy import Connection, insert, select, update

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


def head(conn: Connection, lock: bool = False) -> tuple[int, str]:
    """The chain's last entry number and hash; ``lock`` holds the head row until commit
    (PostgreSQL: SELECT … FOR UPDATE; SQLite already holds the database's write lock)."""
    query = select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)
    if lock:
        query = query.with_for_update()
    seq, value = conn.execute(query).one()
    return int(seq), str(value)


def append(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Append entries in order, each sealed with the hash of the one before; returns them as
    stored. Call inside ``Archive.writing()``: the head is locked until that transaction ends."""
    seq, prev = head(conn, lock=True)
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
        conn.execute(insert(entries), stored)
        conn.execute(update(chain_head).where(chain_head.c.id == 1).values(seq=seq, hash=prev))
    return stored
