"""Partitions evaluated in forked child processes give exactly what one process gives.

Large runs fork (``checker.engine``: chunks of partitions sent to worker processes that leave
with ``os._exit``); the environment variables force that path on small workspaces here.
"""

from __future__ import annotations

import faulthandler
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from lianfang.checker import engine as engine_module
from lianfang.checker.engine import EngineError, engine, group_by_sid
from tests.cli_helpers import run
from tests.test_engine import RULES, facts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"


def forked(monkeypatch: pytest.MonkeyPatch, chunk: int = 40) -> None:
    monkeypatch.setenv("LIANFANG_ENGINE_FORK_MIN", "0")
    monkeypatch.setenv("LIANFANG_ENGINE_CHUNK", str(chunk))
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", "3")


def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANFANG_ENGINE_FORK_MIN", str(10**9))


def check_json(root: Path) -> bytes:
    result = run(["check", root, "--as-of", "2026-11-30", "--all", "--format", "json"], 1)
    return result.stdout_bytes


def test_forked_partitions_give_byte_identical_json(monkeypatch: pytest.MonkeyPatch) -> None:
    in_process(monkeypatch)
    before, sent = engine_module.CHILDREN_STARTED, engine_module.CHUNKS_SENT
    alone = check_json(EXAMPLE)
    assert (before, sent) == (engine_module.CHILDREN_STARTED, engine_module.CHUNKS_SENT)  # nothing forked
    forked(monkeypatch)
    parallel = check_json(EXAMPLE)
    # every stage forked; the match stage's 5 partitions (~900 facts) went one per chunk to at
    # most 3 workers, a worker evaluating several chunks one after another
    workers, chunks = engine_module.CHILDREN_STARTED - before, engine_module.CHUNKS_SENT - sent
    assert chunks >= 8
    assert 4 <= workers < chunks, (workers, chunks)
    assert b'"status": "satisfied"' in alone and b'"status": "missed"' in alone
    assert parallel == alone
    forked(monkeypatch, chunk=100_000)  # one child for everything: the same again
    assert check_json(EXAMPLE) == alone


LAST_MODE = [""]


def evaluate(n: int, sids: int, check_mode: bool = True) -> list[tuple[str, int]]:
    """The firings of ``facts(n, unrelated=False)`` in ``sids`` partitions; checks the mode the environment asks for."""
    seen: list[tuple[str, int]] = []
    with engine("t", RULES, lambda rule, m: seen.append((rule, m["o"]["n"]))) as e:
        e.assert_partitioned(group_by_sid(facts(n, unrelated=False), sids))
        LAST_MODE[0] = e.mode
        if check_mode:
            assert e.mode == ("forked" if os.environ.get("LIANFANG_ENGINE_FORK_MIN") == "0" else "process")
    return seen


def test_the_same_firings_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    in_process(monkeypatch)
    alone = evaluate(600, 37)
    forked(monkeypatch, chunk=50)
    assert evaluate(600, 37) == alone
    assert sorted(alone) == sorted(("found" if i % 3 else "none", i) for i in range(600))


def test_a_child_that_crashes_once_is_run_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    forked(monkeypatch, chunk=100)
    real = engine_module._evaluate_chunk
    marker = tmp_path / "crashed"

    def crash_once(*args: Any) -> bytes:
        if not marker.exists():
            marker.write_text("")
            faulthandler.disable()  # (pytest's handler would print the simulated crash)
            os.kill(os.getpid(), signal.SIGSEGV)  # what a crash inside durable-rules looks like
        return real(*args)

    monkeypatch.setattr(engine_module, "_evaluate_chunk", crash_once)
    assert sorted(evaluate(300, 11)) == sorted(("found" if i % 3 else "none", i) for i in range(300))


def test_a_child_that_keeps_crashing_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    forked(monkeypatch, chunk=100)

    def crash(*args: Any) -> bytes:
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
        return b""

    monkeypatch.setattr(engine_module, "_evaluate_chunk", crash)
    with pytest.raises(EngineError, match="failed twice"):
        evaluate(300, 11)


def test_an_action_error_in_a_forked_run_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    forked(monkeypatch)

    def boom(rule: str, m: dict[str, Any]) -> None:
        raise ValueError("broken action")

    with pytest.raises(EngineError, match="broken action"), engine("t", RULES, boom) as e:
        e.assert_partitioned(group_by_sid(facts(50, unrelated=False), 5))


def test_small_runs_stay_in_this_process_and_large_ones_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default a run forks from ``FORK_MIN_FACTS`` facts on: the example's runs (≤ 900 facts)
    stay in the check's process, a large unit's go to the workers; the firings are the same."""
    monkeypatch.delenv("LIANFANG_ENGINE_FORK_MIN", raising=False)
    modes = []
    for n in (300, 3_000):  # 500 and 5,000 facts
        seen = evaluate(n, 29, check_mode=False)
        modes.append(LAST_MODE[0])
        assert sorted(seen) == sorted(("found" if i % 3 else "none", i) for i in range(n))
    assert modes == ["process", "forked"]
