"""From the workspace to engine facts: evidence, the register, and the organisation.

Aggregations the engine cannot do (at least N diary entries per person-month) happen here,
before it. Every fact gets a stable, unique ``id``; its partition key says which facts must
meet in one sid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from lianfang.checker.obligations import GRANULARITIES, evidence_key, evidence_ref_key
from lianfang.models.calendar import Period, day_number
from lianfang.models.records import Record
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue, resolve_int

Fact = dict[str, object]

POST_CATEGORIES = {"思想道德", "岗位职责", "廉洁自律", "外部环境", "其他"}
DEPARTMENT_CATEGORIES = {"业务流程", "制度机制", "外部环境", "其他"}
UNIT_CATEGORIES = {"重大事项决策", "重要人事任免", "重大项目安排", "大额资金使用", "其他"}
#: leaders own risk points like posts do (思想道德, 岗位职责 …) and like the unit (三重一大)
CATEGORIES = {
    "post": POST_CATEGORIES,
    "department": DEPARTMENT_CATEGORIES,
    "unit": UNIT_CATEGORIES,
    "leader": POST_CATEGORIES | UNIT_CATEGORIES,
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as the engine sees it; ``records`` are the ids behind it."""

    fid: str
    keys: tuple[str, ...]
    day: date
    records: tuple[str, ...]


@dataclass
class EvidenceSet:
    items: list[Evidence] = field(default_factory=list)
    #: per (subject, month) of a counted kind: how many entries counted, for messages
    counts: dict[str, int] = field(default_factory=dict)

    def by_fid(self) -> dict[str, Evidence]:
        return {e.fid: e for e in self.items}


def _period_keys(kind: str, subject: str, record_period: Period | None, day: date) -> tuple[str, ...]:
    """A record with a period matches that period; without one, every period its date is in."""
    if record_period is not None:
        return (evidence_key(kind, subject, record_period.label),)
    return tuple(evidence_key(kind, subject, Period.containing(day, g).label) for g in GRANULARITIES)


def build_evidence(catalogue: Catalogue, ws: Workspace, as_of: date) -> EvidenceSet:
    """Evidence facts from records (dated on or before ``as_of``) and from gradings."""
    out = EvidenceSet()
    counted = {r.evidence: r.counting for r in catalogue.rules if r.counting and r.evidence}
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in ws.records:
        if record.date > as_of:
            continue  # evidence after the as-of date is ignored: a past check is reproducible
        counting = counted.get(record.kind)
        if counting is not None:
            if record.result in counting.exclude_results:
                continue
            month = record.period if record.period and record.period.granularity == "month" else None
            label = (month or Period.containing(record.date, "month")).label
            groups[(record.kind, record.subject, label)].append(record)
            continue
        keys = _period_keys(record.kind, record.subject, record.period, record.date)
        if record.ref:
            keys += (evidence_ref_key(record.kind, record.ref),)
        out.items.append(Evidence(f"r:{record.id}", keys, record.date, (record.id,)))
    for (kind, subject, label), entries in sorted(groups.items()):
        minimum = resolve_int(counted[kind].min, ws.config.params)
        out.counts[f"{kind}|{subject}|{label}"] = len(entries)
        if len(entries) >= minimum:
            entries.sort(key=lambda r: (r.date, r.id))
            # the obligation is met on the day the N-th entry was written
            out.items.append(
                Evidence(
                    f"n:{kind}:{subject}:{label}",
                    (evidence_key(kind, subject, label),),
                    entries[minimum - 1].date,
                    tuple(r.id for r in entries[:minimum]),
                )
            )
    for grading in ws.risks.gradings:
        last = grading.last_evaluation()
        if last is not None and last <= as_of:
            keys = _period_keys("grading", grading.subject, None, last)
            out.items.append(Evidence(f"g:{grading.subject}", keys, last, (f"risks.yaml#{grading.subject}",)))
    return out


def evidence_facts(evidence: EvidenceSet) -> list[tuple[str, Fact]]:
    """One fact per (evidence, key); the partition key is the matching key."""
    facts: list[tuple[str, Fact]] = []
    for item in evidence.items:
        for index, key in enumerate(item.keys):
            facts.append(
                (key, {"id": f"{item.fid}#{index}", "t": "ev", "key": key, "day": day_number(item.day), "ev": item.fid})
            )
    return facts


# ---------------------------------------------------------------------------- the register


def subject_type(ws: Workspace, subject: str) -> str:
    if subject == ws.unit_id:
        return "unit"
    if subject in ws.departments:
        return "department"
    if subject in ws.posts:
        return "post"
    if subject in ws.risk_points:
        return "risk_point"
    if subject in ws.people:
        return "leader" if ws.people[subject].role == "leader" else "person"
    return "unknown"


def register_facts(ws: Workspace) -> list[tuple[str, Fact]]:
    """Facts for the register checks (G301–G304, G306, G307, T501), partitioned by department."""

    def part(subject: str) -> str:
        return ws.department_of(subject) or ws.unit_id

    facts: list[tuple[str, Fact]] = []
    unit = ws.org.unit
    facts.append(
        (unit.id, {"id": f"s:{unit.id}", "t": "subject", "id_": unit.id, "type": "unit", "name": unit.name, "key": 0})
    )
    for d in ws.org.departments:
        facts.append(
            (
                d.id,
                {
                    "id": f"s:{d.id}",
                    "t": "subject",
                    "id_": d.id,
                    "type": "department",
                    "name": d.name,
                    "key": int(d.key),
                },
            )
        )
        facts.append(
            (
                d.id,
                {
                    "id": f"d:{d.id}",
                    "t": "department",
                    "id_": d.id,
                    "name": d.name,
                    "has_head": int(bool(d.head)),
                    "has_leader_in_charge": int(bool(d.leader_in_charge)),
                },
            )
        )
    for p in ws.org.posts:
        facts.append(
            (
                part(p.id),
                {"id": f"s:{p.id}", "t": "subject", "id_": p.id, "type": "post", "name": p.name, "key": int(p.key)},
            )
        )
    for person in ws.leaders:
        facts.append(
            (
                part(person.id),
                {
                    "id": f"s:{person.id}",
                    "t": "subject",
                    "id_": person.id,
                    "type": "leader",
                    "name": person.name,
                    "key": 0,
                },
            )
        )
    for g in ws.risks.gradings:
        review_after = int(
            g.review is not None
            and g.last_evaluation() is not None
            and not g.missing_evaluations()
            and g.review > g.last_evaluation()  # type: ignore[operator]
        )
        facts.append(
            (
                part(g.subject),
                {
                    "id": f"g:{g.subject}",
                    "t": "grading",
                    "subject": g.subject,
                    "level": g.level,
                    "evals_complete": int(not g.missing_evaluations()),
                    "reviewed": int(g.review is not None),
                    "review_after_evals": review_after,
                },
            )
        )
    for r in ws.risks.risk_points:
        owner_type = subject_type(ws, r.owner)
        power = ws.powers.get(r.power_item or "")
        attached = (
            power is not None and r.step is not None and (owner_type != "department" or power.department == r.owner)
        )
        facts.append(
            (
                part(r.id),
                {
                    "id": f"r:{r.id}",
                    "t": "risk_point",
                    "id_": r.id,
                    "owner": r.owner,
                    "owner_type": owner_type,
                    "level": r.level or 0,
                    "category_ok": int(r.category in CATEGORIES.get(owner_type, set())),
                    "has_description": int(bool(r.description.strip())),
                    "measures": len(r.measures),
                    "measures_with_owner": sum(1 for m in r.measures if m.owner),
                    "power_item": r.power_item or "-",
                    "attached": int(attached),
                },
            )
        )
    key_count = sum(1 for p in ws.org.posts if p.key) + sum(1 for d in ws.org.departments if d.key)
    facts.append((unit.id, {"id": "k:count", "t": "key_count", "count": key_count}))
    for name, value in ws.config.params.model_dump().items():
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            facts.append((unit.id, {"id": f"p:{name}", "t": "param", "name": name, "value": value}))
    return facts
