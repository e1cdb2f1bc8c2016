"""Stage 4, the engine match: every obligation against the evidence carrying its key,
classified on time, late, early, or none (a negation) by durable-rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lianfang.checker.engine import engine, group_by_sid, sid_count
from lianfang.checker.stages.evidence import EvidenceSet, evidence_facts
from lianfang.checker.stages.obligations import Obligation
from lianfang.models.calendar import day_number

MATCH_RULES: dict[str, dict[str, Any]] = {
    "on_time": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {
                "e": {
                    "$and": [
                        {"t": "ev"},
                        {"key": {"o": "key"}},
                        {"$gte": {"day": {"o": "opens"}}},
                        {"$lte": {"day": {"o": "due"}}},
                    ]
                }
            },
        ]
    },
    "late": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}, {"$gt": {"day": {"o": "due"}}}]}},
        ]
    },
    "early": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}, {"$lt": {"day": {"o": "opens"}}}]}},
        ]
    },
    "none": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e$not": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}]}},
        ]
    },
}


@dataclass
class Outcome:
    on_time: list[str]
    late: list[str]
    early: list[str]


def match(obligations: list[Obligation], evidence: EvidenceSet) -> dict[str, Outcome]:
    """Classify the evidence of every obligation with the engine."""
    outcomes = {o.oid: Outcome([], [], []) for o in obligations}
    obligations = [o for o in obligations if not o.unknown]
    facts: list[tuple[str, dict[str, Any]]] = [
        (
            o.key,
            {
                "id": f"o:{o.oid}",
                "t": "obl",
                "oid": o.oid,
                "key": o.key,
                "opens": day_number(o.opens),
                "due": day_number(o.due),
            },
        )
        for o in obligations
    ]
    wanted = {o.key for o in obligations}
    facts += [(key, fact) for key, fact in evidence_facts(evidence) if key in wanted]

    def action(rule: str, m: dict[str, dict[str, Any]]) -> None:
        if rule != "none":
            getattr(outcomes[m["o"]["oid"]], rule).append(m["e"]["ev"])

    with engine("match", MATCH_RULES, action) as run:
        run.assert_partitioned(group_by_sid(facts, sid_count(len(facts))))
    return outcomes
