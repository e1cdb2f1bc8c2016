"""The durable-rules adapter closes the engine's silent failure modes."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest

from lianfang.checker.engine import EngineError, engine, group_by_sid, partition

RULES: dict[str, Any] = {
    "found": {
        "all": [{"gate": {"t": "gate"}}, {"o": {"t": "obl"}}, {"e": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}]}}]
    },
    "none": {
        "all": [{"gate": {"t": "gate"}}, {"o": {"t": "obl"}}, {"e$not": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}]}}]
    },
}


def facts(n: int, unrelated: bool = True) -> list[tuple[str, dict[str, Any]]]:
    """(partition key, fact) pairs: ``n`` obligations, evidence for two in three ("found", else
    "none") and, with ``unrelated``, a fact per key that matches no rule."""
    out = []
    for i in range(n):
        key = f"k{i}"
        out.append((key, {"id": f"o{i}", "t": "obl", "key": key, "n": i}))
        if i % 3:
            out.append((key, {"id": f"e{i}", "t": "ev", "key": key}))
        if unrelated:  # matches no rule: must not stop the batch
            out.append((key, {"id": f"x{i}", "t": "unrelated"}))
    return out


def run(pairs: list[tuple[str, dict[str, Any]]], sids: int) -> set[tuple[str, int]]:
    seen: set[tuple[str, int]] = set()
    with engine("t", RULES, lambda rule, m: seen.add((rule, m["o"]["n"]))) as e:
        e.assert_partitioned(group_by_sid(pairs, sids))
    return seen


def test_negation_is_decided_after_all_evidence_whatever_the_order() -> None:
    pairs = facts(300)
    expected = {("found" if i % 3 else "none", i) for i in range(300)}
    for seed in range(3):
        shuffled = pairs[:]
        random.Random(seed).shuffle(shuffled)
        assert run(shuffled, sids=1 + seed * 7) == expected


def test_an_action_error_is_raised_not_swallowed() -> None:
    def boom(rule: str, m: dict[str, Any]) -> None:
        raise ValueError("broken action")

    with pytest.raises(EngineError, match="broken action"), engine("t", RULES, boom) as e:
        e.assert_partitioned(group_by_sid(facts(5), 1))


def test_duplicate_fact_ids_are_refused() -> None:
    pairs = [("k", {"id": "same", "t": "obl", "key": "k", "n": 1}), ("k", {"id": "same", "t": "ev", "key": "k"})]
    with pytest.raises(EngineError, match="duplicate fact ids"), engine("t", RULES, lambda r, m: None) as e:
        e.assert_partitioned(group_by_sid(pairs, 1))


def test_too_many_partitions_are_refused() -> None:
    from lianfang.checker.engine import MAX_PARTITIONS

    with pytest.raises(EngineError, match="limit"), engine("t", RULES, lambda r, m: None) as e:
        e.assert_partitioned({str(i): [] for i in range(MAX_PARTITIONS + 1)})


def test_more_partitions_than_one_ruleset_holds_are_spread_over_several() -> None:
    # the engine breaks past 1,024 live sids in one ruleset
    assert run(facts(1200), sids=1100) == {("found" if i % 3 else "none", i) for i in range(1200)}


def test_no_threads_and_no_rulesets_left_behind() -> None:
    threads = threading.active_count()
    for _ in range(30):
        run(facts(20), sids=3)
    assert threading.active_count() == threads


def test_partition_is_stable() -> None:
    # crc32, not Python's salted hash: the same key lands in the same sid in every process
    assert partition("dept_monthly_report|jiaojiu|2026-10", 97) == partition("dept_monthly_report|jiaojiu|2026-10", 97)
    assert partition("a", 1000) == str(3904355907 % 1000)


def test_packed_partitions_keep_their_facts_together() -> None:
    from lianfang.checker.engine import MAX_SIDS, pack_partitions

    partitions = {
        f"d{i}": [{"id": "o", "t": "obl", "key": f"d{i}", "n": i}, {"id": "e", "t": "ev", "key": f"d{i}"}]
        for i in range(2500)
    }
    packed = pack_partitions(partitions)
    assert len(packed) < MAX_SIDS
    seen: set[tuple[str, int]] = set()
    with engine("t", RULES, lambda rule, m: seen.add((rule, m["o"]["n"]))) as e:
        e.assert_partitioned(packed)
    assert seen == {("found", i) for i in range(2500)}


def test_ids_colliding_in_the_engines_32_bit_hash_are_both_kept() -> None:
    from lianfang.checker.engine import fnv1a_32

    assert fnv1a_32("o:111328") == fnv1a_32("o:1066100")  # a real collision of the engine's id hash
    pairs = [
        ("k", {"id": "o:111328", "t": "obl", "key": "a", "n": 1}),
        ("k", {"id": "o:1066100", "t": "obl", "key": "b", "n": 2}),
        ("k", {"id": "x", "t": "unrelated"}),
    ]
    assert run(pairs, sids=1) == {("none", 1), ("none", 2)}
