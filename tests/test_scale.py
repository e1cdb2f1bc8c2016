"""Scale: a unit of 2,000 people with a year of weekly diary entries checks without error.

Timings are printed by scripts/bench_check.py, not asserted here.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from lianfang.checker.run import check_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from generate_unit import generate


def test_two_thousand_people_with_a_year_of_diaries(tmp_path: Path) -> None:
    root = generate(tmp_path / "unit", people=2000)
    result = check_workspace(root, date(2026, 11, 30))
    diary = [f for f in result.findings if f.rule == "R201"]
    # 2,000 staff and 5 leaders owe September, October and November (+ December pending)
    assert len(diary) == 2005 * 4
    statuses = Counter(f.status.value for f in diary)
    # weekly entries make 4 or 5 a month: every staff month to November is satisfied; the
    # 5 leaders wrote none: September and October missed, November due today, December pending
    assert statuses["satisfied"] == 2000 * 3
    assert statuses["missed"] == 5 * 2
    assert statuses["due_soon"] == 5
    assert statuses["pending"] == 2005
    monthly = Counter(f.status.value for f in result.findings if f.rule == "R205")
    assert monthly["satisfied"] == 100 * 3


def test_json_escapes_are_looked_for_in_bytes_exactly() -> None:
    # every character the JSON writer escapes is found by its byte pattern, and no other
    from lianfang.checker.escape import JSON_RAW
    from lianfang.checker.report.json_report import _JSON_RAW_UTF8

    for code in range(0x3000):
        char = chr(code)
        assert bool(JSON_RAW.search(char)) == bool(_JSON_RAW_UTF8.search(char.encode("utf-8"))), hex(code)


def test_json_escapes_are_found_wherever_they_stand(monkeypatch: pytest.MonkeyPatch) -> None:
    # the byte search that stands in for the regex over a whole report finds each escaped
    # character anywhere, among near misses (other characters starting with the same bytes),
    # also when there are so many near misses that it hands over to the regex
    import random

    from lianfang.checker.report import json_report

    rng = random.Random(13)
    escaped = ["\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\u2066", "\u2069"]
    near = ["—", "“", "”", "…", "·", "§", "\u2027", "\u202f", "\u2065", "\u206a", "\xa0", "\x7e", "é"]
    for misses_allowed in (json_report.NEAR_MISSES, 3):
        monkeypatch.setattr(json_report, "NEAR_MISSES", misses_allowed)
        for _ in range(300):
            chars = [rng.choice([*near, "a", "廉", "\n"]) for _ in range(rng.randint(0, 40))]
            if rng.random() < 0.5:
                chars.insert(rng.randint(0, len(chars)), rng.choice(escaped))
            raw = "".join(chars).encode("utf-8")
            expected = json_report._JSON_RAW_UTF8.search(raw) is not None
            assert json_report._has_json_raw(raw) == expected, raw


def test_ids_unique_agrees_with_a_set() -> None:
    # the bulk reader's uniqueness check (ordered files, then a sort) against the obvious one
    import random

    import pyarrow as pa

    from lianfang.models.bulk import BulkState, ids_unique

    rng = random.Random(13)
    for _ in range(500):
        pool = [f"R{rng.randint(0, 30):03d}" for _ in range(40)]
        files = []
        for _ in range(rng.randint(0, 4)):
            chosen = rng.sample(pool, rng.randint(0, 6))
            files.append(sorted(set(chosen)) if rng.random() < 0.5 else chosen)
        rows = [f"R{rng.randint(0, 40):03d}" for _ in range(rng.randint(0, 3))]
        state = BulkState()
        state.ids = [pa.array(ids, pa.string()) for ids in files]
        every = [i for ids in files for i in ids] + rows
        assert ids_unique(state, rows) == (len(set(every)) == len(every)), (files, rows)
