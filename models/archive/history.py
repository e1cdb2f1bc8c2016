"""Check history: a saved run (``lianfang check --save``) is an entry of the chain holding the
as-of date, the rule pack's version, a digest of the inputs and every finding; two runs differ
by the findings that are new, resolved or changed.

The report (issue 12) reads ``recent_runs``; keep its signature and ``SavedRun`` stable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from lianfang.models.archive.chain import append, head
from lianfang.models.archive.db import Archive, open_archive
from lianfang.models.archive.schema import entries

#: statuses that are a problem (checker.findings.OPEN_STATUSES, as stored in the JSON)
OPEN = {"late", "early", "missed", "due_soon", "failed"}


@dataclass(frozen=True)
class SavedRun:
    """One saved check run, as the archive holds it."""

    run_id: int
    saved_at: datetime
    as_of: date
    pack_version: str
    input_digest: str
    findings: list[dict[str, Any]]  # each is Finding.to_json()


def _saved_run(row: Any) -> SavedRun:
    data = json.loads(row.data)
    return SavedRun(
        run_id=row.run_id,
        saved_at=datetime.fromisoformat(row.at),
        as_of=date.fromisoformat(data["as_of"]),
        pack_version=data["pack_version"],
        input_digest=data["input_digest"],
        findings=data["findings"],
    )


def recent_runs(workspace: Path, db_url: str | None = None, limit: int = 12) -> list[SavedRun]:
    """The last ``limit`` saved runs, oldest first; [] when no archive exists (never creates one).

    ``db_url`` as for ``--db`` (default ``$LIANFANG_DB``, else the workspace's SQLite file).
    Raises ``InputError`` when the database named cannot be used.
    """
    archive = open_archive(workspace, db_url, create=False)
    if archive is None:
        return []
    try:
        return runs(archive, limit)
    finally:
        archive.dispose()


def runs(archive: Archive, limit: int | None = None, run_ids: list[int] | None = None) -> list[SavedRun]:
    """Saved runs, oldest first: the last ``limit``, or those with the given ids."""
    query = select(entries.c.run_id, entries.c.at, entries.c.data).where(entries.c.type == "run")
    if run_ids is not None:
        query = query.where(entries.c.run_id.in_(run_ids))
    query = query.order_by(entries.c.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    with archive.reading() as conn:
        rows = list(conn.execute(query))
    return [_saved_run(row) for row in reversed(rows)]


def save_run(
    archive: Archive, as_of: date, pack_version: str, input_digest: str, findings: list[dict[str, Any]], who: str
) -> SavedRun:
    """Append a run to the chain; its id is one more than the last run's."""
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "pack_version": pack_version,
        "input_digest": input_digest,
        "findings": findings,
    }
    with archive.writing() as conn:
        head(conn, lock=True)
        last = conn.execute(select(func.max(entries.c.run_id))).scalar()
        run_id = int(last or 0) + 1
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        stored = append(conn, [{"type": "run", "run_id": run_id, "data": text, "who": who, "source": "check --save"}])
    return _saved_run(_Row(run_id=run_id, at=stored[0]["at"], data=text))


@dataclass
class _Row:
    run_id: int
    at: str
    data: str


def input_digest(ws: Any) -> str:
    """SHA-256 of what the check read: configuration, organisation, risk register and every
    record (wherever it is kept), so two runs over the same facts have the same digest."""
    h = hashlib.sha256()
    for model in (ws.config, ws.org, ws.risks):
        h.update(model.model_dump_json().encode("utf-8"))
        h.update(b"\n")
    rows = sorted(
        (r.id, r.kind, r.date.isoformat(), r.subject, r.period.label if r.period else "", r.by, r.result, r.ref, r.note)
        for r in ws.records
    )
    h.update(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def pack_version(ws: Any) -> str:
    """lianfang's version and the rule pack's name and content hash, e.g.
    ``lianfang 0.1.0; pack shipped sha256:1a2b3c4d5e6f``."""
    from lianfang import __version__
    from lianfang.rules.catalogue import SHIPPED_PACK

    pack = Path(ws.root) / ws.config.rule_pack if ws.config.rule_pack else SHIPPED_PACK
    name = "shipped" if not ws.config.rule_pack else str(ws.config.rule_pack)
    h = hashlib.sha256()
    for path in sorted(pack.glob("*.yaml")):
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return f"lianfang {__version__}; pack {name} sha256:{h.hexdigest()[:12]}"


def finding_key(finding: dict[str, Any]) -> str:
    """The identity of a finding across runs (``Finding.key``): rule, subject, trigger or period."""
    return f"{finding['rule']}:{finding['subject']}:{finding.get('trigger') or finding.get('period') or ''}"


@dataclass
class RunDiff:
    """What changed between two runs: open findings that are new, resolved, or changed."""

    before: SavedRun
    after: SavedRun
    new: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


COMPARED = ("status", "severity", "due", "evidence", "accountable")


def diff_runs(before: SavedRun, after: SavedRun) -> RunDiff:
    """New: open after, not open before. Resolved: open before, not open after (with the later
    finding when there is one, e.g. late or satisfied). Changed: open in both, with another
    status, severity, due date, evidence or people accountable."""
    old = {finding_key(f): f for f in before.findings}
    now = {finding_key(f): f for f in after.findings}
    result = RunDiff(before, after)
    for key, f in now.items():
        if f["status"] not in OPEN:
            continue
        prior = old.get(key)
        if prior is None or prior["status"] not in OPEN:
            result.new.append(f)
        elif any(prior.get(c) != f.get(c) for c in COMPARED):
            result.changed.append((prior, f))
    for key, f in old.items():
        if f["status"] in OPEN and (key not in now or now[key]["status"] not in OPEN):
            result.resolved.append((f, now.get(key)))
    return result
