"""Stage 4, the engine match: every obligation against the evidence carrying its key,
classified on time, late, early, or none (a negation) by durable-rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lianfang.checker.engine import engine, partition, sid_count
from lianfang.checker.stages.evidence import EvidenceSet
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
    # no rule for "no evidence": an obligation none of these matched has none (its status
    # is decided from the due date), and a rule whose action does nothing would only cost a
    # firing per such obligation
}


@dataclass
class Outcome:
    """The evidence an obligation's rules matched, by its position in ``EvidenceSet.items``."""

    on_time: list[int]
    late: list[int]
    early: list[int]


class Outcomes(dict[int, Outcome]):
    """Each obligation's outcome by its position in the obligations matched; an obligation no
    evidence matched has an empty one (made when asked for: most of a city's obligations are
    matched, and 185,000 empty outcomes made up front cost more than the lookups)."""

    def __missing__(self, position: int) -> Outcome:
        return Outcome([], [], [])


def _matched(rule: str, m: dict[str, dict[str, Any]]) -> tuple[int, int]:
    """What the match stage keeps of a firing (computed where the engine ran): the positions of
    the obligation and of the evidence."""
    return m["o"]["o"], m["e"]["ev"]


def match(obligations: list[Obligation], evidence: EvidenceSet) -> Outcomes:
    """Classify the evidence of every obligation with the engine (an unknown one has none).

    Facts are lean (a city has hundreds of thousands): a matching key is a number standing
    for its text, an obligation or evidence is named by its position in ``obligations`` or
    ``evidence.items``; evidence no obligation asks for, and an obligation no evidence can
    match, are left out.
    """
    outcomes = Outcomes()
    # an obligation whose key no evidence carries can match nothing: its outcome is empty and
    # its status decided from its due date alone, so it is left out (a city's missed and
    # pending obligations are a ninth of the facts)
    carried = {key for item in evidence.items for key in item.keys}
    codes: dict[str, int] = {}
    facts: list[tuple[int, dict[str, Any]]] = []
    for index, o in enumerate(obligations):
        if o.unknown or o.key not in carried:
            continue
        code = codes.setdefault(o.key, len(codes))
        fact = {
            "id": len(facts),
            "t": "obl",
            "o": index,
            "key": code,
            "opens": day_number(o.opens),
            "due": day_number(o.due),
        }
        facts.append((code, fact))
    for index, item in enumerate(evidence.items):
        day = day_number(item.day)
        for key in item.keys:
            wanted = codes.get(key)
            if wanted is not None:  # evidence no obligation asks for is left out
                facts.append((wanted, {"id": len(facts), "t": "ev", "key": wanted, "day": day, "ev": index}))
    # the partition of each key, computed once per key (an obligation and its evidence share it)
    sids = sid_count(len(facts))
    sid_of = [partition(key, sids) for key in codes]
    facts_by_sid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, fact in facts:
        facts_by_sid[sid_of[code]].append(fact)

    # positions only: the workers hold the obligations and the evidence too (forked), and each
    # page of them this process touched while they run would be copied (reference counts)
    def action(rule: str, matched: tuple[int, int]) -> None:
        outcome = outcomes.get(matched[0])
        if outcome is None:
            outcome = outcomes[matched[0]] = Outcome([], [], [])
        getattr(outcome, rule).append(matched[1])

    with engine("match", MATCH_RULES, action, _matched) as run:
        run.assert_partitioned(dict(facts_by_sid))
    return outcomes
