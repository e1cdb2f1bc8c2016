"""Facts for the register checks (G301–G304, G306, G307, T501's structural part): the
organisation, the gradings and the risk points as the rule pack's vocabulary names them
(``rules/vocabulary.py``), partitioned by department.
"""

from __future__ import annotations

from lianfang.checker.chain import subject_type
from lianfang.models.risks import LEVEL_LABELS
from lianfang.models.workspace import Workspace
from lianfang.rules.vocabulary import VOCABULARY

Fact = dict[str, object]


def register_facts(ws: Workspace) -> list[tuple[str, Fact]]:
    """Facts for the register checks (G301–G304, G306, G307, T501), partitioned by department."""

    def part(subject: str) -> str:
        return ws.department_of(subject) or ws.unit_id

    facts: list[tuple[str, Fact]] = []
    grading_terms, attachment = VOCABULARY.grading, VOCABULARY.attachment
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
        review_after = int(grading_terms.in_order(g))
        facts.append(
            (
                part(g.subject),
                {
                    "id": f"g:{g.subject}",
                    "t": "grading",
                    "subject": g.subject,
                    "subject_name": ws.name_of(g.subject),
                    "level": g.level,
                    "level_name": LEVEL_LABELS[g.level],
                    "evals_complete": int(grading_terms.complete(g)),
                    "reviewed": int(g.review is not None),
                    "review_after_evals": review_after,
                },
            )
        )
    for r in ws.risks.risk_points:
        owner_type = subject_type(ws, r.owner)
        power = ws.powers.get(r.power_item or "")
        attached = (
            power is not None
            and (r.step is not None or not attachment.step_required)
            and (owner_type not in attachment.own_power_item or power.department == r.owner)
        )
        facts.append(
            (
                part(r.id),
                {
                    "id": f"r:{r.id}",
                    "t": "risk_point",
                    "id_": r.id,
                    "name": r.description.strip() or r.id,
                    "owner": r.owner,
                    "owner_name": ws.name_of(r.owner),
                    "owner_type": owner_type,
                    "level": r.level or 0,
                    "level_name": LEVEL_LABELS.get(r.level or 0, ""),
                    "category": r.category,
                    "category_ok": int(r.category in VOCABULARY.categories_of(owner_type)),
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
