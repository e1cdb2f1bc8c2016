"""Recompute the chain and name the first entry changed, inserted or removed.

What each symptom means, in chain order:
- an entry whose content no longer gives its hash was **changed** in place;
- an entry its successor skips (the successor names the entry before it) was **inserted**,
  as is any entry beyond the head ``chain_head`` recorded at the last append;
- a gap in the entry numbers, or an end short of the recorded head, means entries were
  **removed**;
- a link that breaks with no gap: the entry before was rewritten with a fresh hash, or one
  was removed and the rest renumbered — both are reported, as no hash can tell them apart.

Without a secret, someone with write access who rewrites every hash from an entry to the end
(and the head) is not caught by the chain alone: that is what the head hash printed in the
monthly minutes is for (``verify --head``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from lianfang.models.archive.chain import entry_hash, head
from lianfang.models.archive.schema import GENESIS, HASHED, entries


@dataclass(frozen=True)
class Verdict:
    """The outcome of ``verify``: intact, or the first problem found."""

    entries: int
    head_seq: int
    head_hash: str
    #: None when intact; else changed | inserted | removed | relinked
    problem: str | None = None
    #: the entry concerned (for removed: the first missing number)
    seq: int | None = None
    #: for removed: the last missing number; for relinked: the entry whose link breaks
    other: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(conn: Connection, expected_head: str | None = None) -> Verdict:
    """Walk the chain from its first entry; return the first problem, or intact."""
    columns = [entries.c.seq, *(entries.c[name] for name in HASHED), entries.c.hash]
    rows: list[dict[str, Any]] = [dict(r._mapping) for r in conn.execute(select(*columns).order_by(entries.c.seq))]
    head_seq, head_hash = head(conn)
    count = len(rows)

    def verdict(problem: str, seq: int, other: int | None = None) -> Verdict:
        return Verdict(count, head_seq, head_hash, problem, seq, other)

    prev: dict[str, Any] | None = None
    before_prev_hash = GENESIS  # the hash the previous entry should have named
    for i, entry in enumerate(rows):
        prev_hash = prev["hash"] if prev else GENESIS
        prev_seq = prev["seq"] if prev else 0
        following = rows[i + 1] if i + 1 < count else None
        if entry["prev_hash"] != prev_hash:
            if prev is not None and entry["prev_hash"] == before_prev_hash:
                return verdict("inserted", prev_seq)  # this entry still names the one before prev
            if following is not None and following["prev_hash"] == prev_hash:
                return verdict("inserted", entry["seq"])  # the next entry skips this one
            if entry["seq"] > prev_seq + 1:
                return verdict("removed", prev_seq + 1, entry["seq"] - 1)
            if entry["seq"] > head_seq:
                return verdict("inserted", entry["seq"])
            return verdict("relinked", prev_seq, entry["seq"])
        if entry_hash(entry) != entry["hash"]:
            skipped = following is not None and following["prev_hash"] == prev_hash
            return verdict("inserted" if skipped or entry["seq"] > head_seq else "changed", entry["seq"])
        if entry["seq"] > head_seq:
            return verdict("inserted", entry["seq"])
        before_prev_hash = prev_hash
        prev = entry
    last_seq = prev["seq"] if prev else 0
    last_hash = prev["hash"] if prev else GENESIS
    if last_seq < head_seq:
        return verdict("removed", last_seq + 1, head_seq)
    if last_hash != head_hash:
        return verdict("changed", last_seq)
    if expected_head and not any(r["hash"] == expected_head.lower() for r in rows) and expected_head != GENESIS:
        return verdict("unknown_head", last_seq)
    return Verdict(count, head_seq, head_hash)
