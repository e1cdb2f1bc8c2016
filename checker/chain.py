"""The tiered accountable chain (分层管理, T501) as engine rules.

岗位风险由部室负责人直接管理; 部室风险在部室负责人基础上由分管领导负责; 单位风险在分管领导
基础上由主要领导负责 (五(四)1). The rules below join each subject to the organisation's
facts; its tiers, nearest first, are those ``rules/vocabulary.yaml`` (``chains``) lists; ``accountable`` takes as many tiers as
the subject's level of management, and an escalation (T502) one more.
"""

from __future__ import annotations

from typing import Any

from lianfang.checker.engine import engine, pack_partitions
from lianfang.models.workspace import Workspace
from lianfang.rules.vocabulary import VOCABULARY

NONE = "-"
GATE = {"gate": {"t": "gate"}}
UNIT = {"u": {"t": "unit"}}

#: the chain of each kind of subject, as engine patterns; the action reads the fields named
CHAIN_RULES: dict[str, dict[str, Any]] = {
    "post": {
        "all": [
            GATE,
            {"n": {"$and": [{"t": "need"}, {"stype": "post"}]}},
            {"p": {"$and": [{"t": "post"}, {"id_": {"n": "subject"}}]}},
            {"d": {"$and": [{"t": "dept"}, {"id_": {"p": "dept"}}]}},
            UNIT,
        ]
    },
    "department": {
        "all": [
            GATE,
            {"n": {"$and": [{"t": "need"}, {"stype": "department"}]}},
            {"d": {"$and": [{"t": "dept"}, {"id_": {"n": "subject"}}]}},
            UNIT,
        ]
    },
    "unit": {"all": [GATE, {"n": {"$and": [{"t": "need"}, {"stype": "unit"}]}}, UNIT]},
    "leader": {"all": [GATE, {"n": {"$and": [{"t": "need"}, {"stype": "leader"}]}}, UNIT]},
    "person": {
        "all": [
            GATE,
            {"n": {"$and": [{"t": "need"}, {"stype": "person"}]}},
            {"h": {"$and": [{"t": "holds"}, {"person": {"n": "subject"}}]}},
            {"d": {"$and": [{"t": "dept"}, {"id_": {"h": "dept"}}]}},
            UNIT,
        ]
    },
    "person_without_post": {
        "all": [
            GATE,
            {"n": {"$and": [{"t": "need"}, {"stype": "person"}]}},
            {"x$not": {"$and": [{"t": "holds"}, {"person": {"n": "subject"}}]}},
            UNIT,
        ]
    },
    "risk_point": {
        "all": [
            GATE,
            {"n": {"$and": [{"t": "need"}, {"stype": "risk_point"}]}},
            {"r": {"$and": [{"t": "risk"}, {"id_": {"n": "subject"}}]}},
        ]
    },
}

#: the tiers a matched rule's facts hold (rules/vocabulary.yaml ``chains`` names them)
TIER_FIELDS = {
    "department.head": ("d", "head"),
    "department.leader_in_charge": ("d", "lic"),
    "unit.main_leader": ("u", "main"),
    "unit.programme_leader": ("u", "prog"),
    "self": ("n", "subject"),
}


def subject_type(ws: Workspace, subject: str) -> str:
    """unit, department, post, risk_point, leader, person, or unknown."""
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


def _chain_from_match(rule: str, m: dict[str, dict[str, Any]]) -> list[str]:
    """The subject's tiers, nearest first, as the vocabulary's ``chains`` lists them."""
    if rule == "risk_point":
        return [m["r"]["responsible"]]  # then its owner's chain (``accountable``)
    if rule == "person_without_post":
        terms = VOCABULARY.chains["person"]
        tiers = terms.without_department or terms.tiers
    else:
        tiers = VOCABULARY.chains[rule].tiers  # type: ignore[index]
    out = []
    for tier in tiers:
        alias, field = TIER_FIELDS[tier]
        out.append(str(m.get(alias, {}).get(field, NONE)))
    return out


def _dedupe(people: list[str]) -> list[str]:
    seen: list[str] = []
    for person in people:
        if person and person != NONE and person not in seen:
            seen.append(person)
    return seen


class Chains:
    """Accountable people per subject, computed once per run by the engine."""

    def __init__(self, ws: Workspace, subjects: set[str]):
        self._ws = ws
        self._full: dict[str, list[str]] = {}
        self._types: dict[str, str] = {}
        for subject in subjects:
            self._types[subject] = subject_type(ws, subject)
        for subject in list(subjects):  # a risk point's chain continues with its owner's
            if subject in ws.risk_points and ws.risk_points[subject].owner not in self._types:
                owner = ws.risk_points[subject].owner
                self._types[owner] = subject_type(ws, owner)
        self._compute()

    def _compute(self) -> None:
        ws = self._ws
        unit = ws.org.unit

        def part(subject: str) -> str:
            return ws.department_of(subject) or unit.id

        partitions: dict[str, list[dict[str, Any]]] = {}

        def add(key: str, fact: dict[str, Any]) -> None:
            partitions.setdefault(key, []).append(fact)

        for subject, stype in sorted(self._types.items()):
            add(part(subject), {"id": f"n:{subject}", "t": "need", "subject": subject, "stype": stype})
        for d in ws.org.departments:
            if d.id in partitions:
                add(
                    d.id,
                    {
                        "id": f"d:{d.id}",
                        "t": "dept",
                        "id_": d.id,
                        "head": d.head or NONE,
                        "lic": d.leader_in_charge or NONE,
                    },
                )
        for p in ws.org.posts:
            if p.department in partitions:
                # a post fact is joined by its own "need" alone, a "holds" by its holder's: those
                # of subjects not asked for are left out (a share of a city asks for half)
                if p.id in self._types:
                    add(p.department, {"id": f"p:{p.id}", "t": "post", "id_": p.id, "dept": p.department})
                if p.holder and self._types.get(p.holder) == "person":
                    add(p.department, {"id": f"h:{p.id}", "t": "holds", "person": p.holder, "dept": p.department})
        holders = {p.holder for p in ws.org.posts if p.holder}
        for d in ws.org.departments:  # a head holds no post of their own in some units
            if d.head and self._types.get(d.head) == "person" and d.id in partitions and d.head not in holders:
                add(d.id, {"id": f"hh:{d.id}", "t": "holds", "person": d.head, "dept": d.id})
        for r in ws.risks.risk_points:
            if r.id in self._types:
                add(part(r.id), {"id": f"r:{r.id}", "t": "risk", "id_": r.id, "responsible": r.responsible or NONE})

        matches: dict[str, list[list[str]]] = {}

        def action(rule: str, match: dict[str, dict[str, Any]]) -> None:
            matches.setdefault(match["n"]["subject"], []).append(_chain_from_match(rule, match))

        with engine("chain", CHAIN_RULES, action) as run:
            sids = pack_partitions(partitions)
            unit_fact = {
                "id": "u",
                "t": "unit",
                "id_": unit.id,
                "main": unit.main_leader,
                "prog": unit.programme_leader,
            }
            run.assert_partitioned({sid: [*facts, unit_fact] for sid, facts in sids.items()})
        # someone holding posts in two departments: the same chain whatever the firing order
        found = {subject: min(chains) for subject, chains in matches.items()}
        for subject, chain in found.items():
            self._full[subject] = _dedupe(chain)

    def accountable(self, subject: str, extra_tiers: int = 0) -> tuple[str, ...]:
        """The accountable people of a subject's finding; ``extra_tiers`` escalates.

        A risk point's are its responsible person followed by its owner's.
        """
        if subject in self._ws.risk_points:
            risk = self._ws.risk_points[subject]
            return tuple(_dedupe([risk.responsible or NONE, *self.accountable(risk.owner, extra_tiers)]))
        terms = VOCABULARY.chains.get(self._types.get(subject, "unit"))  # type: ignore[call-overload]
        depth = terms.own if terms is not None else 1
        return tuple(self._full.get(subject, [])[: depth + extra_tiers])
