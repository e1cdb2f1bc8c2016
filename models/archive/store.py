"""Records in the archive: append, correct (void, supersede), read the current version, export.

A record is never edited: a correction is a new entry naming the record's id, with a reason
and who made it. The current version of a record is its latest ``record`` or ``supersede``
entry, unless a ``void`` came after it; the history keeps every version. A record id, once
used in the archive, stays that record's id (a voided id is not reused).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select

from lianfang.models.archive.chain import append, head
from lianfang.models.archive.db import Archive
from lianfang.models.archive.schema import entries
from lianfang.models.calendar import Period
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.records import RECORD_COLUMNS, Record

RECORD_TYPES = ("record", "supersede")
#: the record's own values, as compared when the same row is imported again
CONTENT = ("kind", "date", "subject", "period", "by", "result", "ref", "note")


@dataclass(frozen=True)
class Entry:
    """One archive entry about a record: a version of it, or its voiding."""

    seq: int
    type: str
    at: str
    who: str
    source: str
    record_id: str
    reason: str
    #: the record as of this entry (None for a void)
    record: Record | None


@dataclass(frozen=True)
class Pending:
    """A validated record to append, with where it came from (for messages)."""

    record: Record
    where: str
    source: str


def record_values(record: Record) -> dict[str, Any]:
    """The columns a record is stored in (text, as a ledger row would carry it)."""
    return {
        "record_id": record.id,
        "kind": record.kind,
        "date": record.date.isoformat(),
        "subject": record.subject,
        "period": record.period.label if record.period else "",
        "by": record.by,
        "result": record.result,
        "ref": record.ref,
        "note": record.note,
    }


def _record(row: Any, label: str) -> Record:
    return Record(
        id=row.record_id,
        kind=row.kind,
        date=date.fromisoformat(row.date),
        subject=row.subject,
        period=Period.parse(row.period) if row.period else None,
        by=row.by or "",
        result=row.result or "",
        ref=row.ref or "",
        note=row.note or "",
        file=label,
        line=row.seq,
    )


_ALL_RECORD_ENTRIES = select(entries).where(entries.c.type.in_([*RECORD_TYPES, "void"])).order_by(entries.c.seq)
_RECORD_ENTRIES_OF = select(entries).where(
    entries.c.type.in_([*RECORD_TYPES, "void"])
    & (
        entries.c.record_id.in_(bindparam("ids", expanding=True))
        | entries.c.target.in_(bindparam("ids", expanding=True))
    )
)


def record_entries(conn: Connection, label: str, record_ids: Iterable[str] | None = None) -> list[Entry]:
    """Every record, supersede and void entry, in chain order (only those of ``record_ids`` if given)."""
    if record_ids is None:
        rows = list(conn.execute(_ALL_RECORD_ENTRIES))
    else:
        ids = sorted(set(record_ids))
        # a bounded IN list per query: SQLite and PostgreSQL both limit bound parameters
        rows = sorted(
            (
                row
                for i in range(0, len(ids), 400)
                for row in conn.execute(_RECORD_ENTRIES_OF, {"ids": ids[i : i + 400]})
            ),
            key=lambda row: row.seq,
        )
    out = []
    for row in rows:
        is_void = row.type == "void"
        out.append(
            Entry(
                seq=row.seq,
                type=row.type,
                at=row.at,
                who=row.who,
                source=row.source,
                record_id=row.target if is_void else row.record_id,
                reason=row.reason or "",
                record=None if is_void else _record(row, label),
            )
        )
    return out


def current_records(conn: Connection, label: str) -> list[Record]:
    """The current version of every record not voided, in the order they were first entered."""
    versions: dict[str, Record] = {}
    for entry in record_entries(conn, label):
        if entry.record is None:
            versions.pop(entry.record_id, None)
        else:
            versions[entry.record_id] = entry.record
    return list(versions.values())


def _known(conn: Connection, label: str, ids: Iterable[str]) -> tuple[dict[str, list[Entry]], dict[str, Entry]]:
    """Every version of each of these record ids, and the void entry of each voided one."""
    versions: dict[str, list[Entry]] = {}
    voided: dict[str, Entry] = {}
    for entry in record_entries(conn, label, ids):
        if entry.record is None:
            voided[entry.record_id] = entry
        else:
            versions.setdefault(entry.record_id, []).append(entry)
    return versions, voided


def _same(a: Record, b: Record) -> bool:
    va, vb = record_values(a), record_values(b)
    return all(va[c] == vb[c] for c in CONTENT)


def add_records(archive: Archive, pending: Sequence[Pending], who: str, skip_known: bool = False) -> tuple[int, int]:
    """Append records in one transaction, all or nothing; returns (added, already there).

    An id the archive already holds is bad input naming the row, unless ``skip_known`` and the
    row equals one of that record's versions (importing the same file again adds nothing).
    """
    added: list[dict[str, Any]] = []
    skipped = 0
    problems: list[InputProblem] = []
    with archive.writing() as conn:
        locked = head(conn, lock=True)  # before reading what is there: no other appender in between
        versions, _ = _known(conn, archive.label, (p.record.id for p in pending))
        for item in pending:
            record = item.record
            earlier = versions.get(record.id)
            if earlier:
                if skip_known and any(e.record is not None and _same(e.record, record) for e in earlier):
                    skipped += 1
                    continue
                problems.append(
                    InputProblem(
                        record.file,
                        item.where,
                        f'record id "{record.id}" is already in the archive ({archive.label} entry {earlier[0].seq}) '
                        f"with other content; choose another id, or correct that record with "
                        f"`lianfang record supersede {record.id}`",
                        zh=f"记录编号“{record.id}”已在信息库中（{archive.label} 条目 {earlier[0].seq}），且内容不同；"
                        f"请换一个编号，或用 `lianfang record supersede {record.id}` 更正该记录",
                    )
                )
                continue
            added.append({**record_values(record), "type": "record", "who": who, "source": item.source})
        if problems:
            raise InputError(problems)  # the transaction rolls back: nothing was appended
        append(conn, added, locked)
    return len(added), skipped


def current_version(conn: Connection, label: str, record_id: str) -> tuple[Entry | None, Entry | None]:
    """The current version of a record and, if it was voided, the void entry."""
    found = record_entries(conn, label, [record_id])
    current = next((e for e in reversed(found) if e.record is not None), None)
    void = next((e for e in reversed(found) if e.record is None), None)
    if void is not None and current is not None and void.seq < current.seq:
        void = None
    return current, void


def _missing(archive: Archive, record_id: str, void: Entry | None) -> InputError:
    if void is not None:
        why = f"it was voided at entry {void.seq} ({void.at[:10]}, {void.who}: {void.reason})"
        why_zh = f"它已在条目 {void.seq} 作废（{void.at[:10]}，{void.who}：{void.reason}）"
    else:
        why = "the archive holds no record with this id (a record in the workspace files is corrected in its file)"
        why_zh = "信息库中没有此编号的记录（工作区文件中的记录请在其所在文件中更正）"
    return InputError(
        [InputProblem(archive.label, f'record "{record_id}"', f"cannot be corrected: {why}", zh=f"无法更正：{why_zh}")]
    )


def void_record(archive: Archive, record_id: str, reason: str, who: str) -> dict[str, Any]:
    """Append a void entry for a current record; returns the entry."""
    with archive.writing() as conn:
        head(conn, lock=True)
        current, void = current_version(conn, archive.label, record_id)
        if current is None or void is not None:
            raise _missing(archive, record_id, void)
        return append(conn, [{"type": "void", "target": record_id, "reason": reason, "who": who, "source": "void"}])[0]


def current_for_correction(archive: Archive, record_id: str) -> Entry:
    """The current version of a record about to be corrected; bad input when there is none."""
    with archive.reading() as conn:
        current, void = current_version(conn, archive.label, record_id)
    if current is None or current.record is None or void is not None:
        raise _missing(archive, record_id, void)
    return current


def supersede_record(archive: Archive, current: Entry, new: Record, reason: str, who: str) -> dict[str, Any]:
    """Append ``new`` as the next version of the record ``current`` is the current version of
    (validated by the caller); refused if another correction came in between."""
    assert current.record is not None
    if _same(new, current.record):
        raise InputError(
            [
                InputProblem(
                    archive.label,
                    f'record "{current.record_id}"',
                    "the new version equals the current one",
                    zh="新版本与当前版本相同",
                )
            ]
        )
    with archive.writing() as conn:
        head(conn, lock=True)
        latest, void = current_version(conn, archive.label, current.record_id)
        if latest is None or latest.seq != current.seq or void is not None:
            raise InputError(
                [
                    InputProblem(
                        archive.label,
                        f'record "{current.record_id}"',
                        "was corrected by someone else meanwhile; look at `lianfang record list --history` and try again",
                        zh="在此期间已被他人更正；请查看 `lianfang record list --history` 后重试",
                    )
                ]
            )
        row = {
            **record_values(replace(new, id=current.record_id)),
            "type": "supersede",
            "target": current.record_id,
            "reason": reason,
            "who": who,
            "source": "supersede",
        }
        return append(conn, [row])[0]


def matches(record: Record, kind: str | None, subject: str | None, period: Period | None) -> bool:
    """The filter of ``record list``: kind, subject, and a period the record's own period or
    date falls in."""
    if kind and record.kind != kind:
        return False
    if subject and record.subject != subject:
        return False
    if period is not None:
        own = record.period
        if own is not None:
            return period.start <= own.start and own.end <= period.end
        return period.start <= record.date <= period.end
    return True


def _csv_cell(value: str) -> str:
    # a spreadsheet runs a cell that starts like a formula; keep it text (OWASP's advice)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_text(records: Iterable[Record], fmt: str) -> str:
    """The records as a workspace ledger: CSV (formula-safe) or JSONL (exact)."""
    rows = [{"id": r.id, **{k: v for k, v in record_values(r).items() if k != "record_id"}} for r in records]
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(str(row[c])) for c in RECORD_COLUMNS])
    return out.getvalue()
