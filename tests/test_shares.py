"""A large check is split by subject into shares evaluated in forked processes
(checker/shares.py): its output is byte for byte the one process's. The environment forces the
split on small workspaces here."""

from __future__ import annotations

import faulthandler
import os
import re
import shutil
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lianfang.checker import shares
from lianfang.checker.findings import Finding, Severity, Status
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"


def split(monkeypatch: pytest.MonkeyPatch, processes: int = 2) -> None:
    monkeypatch.setenv("LIANFANG_SHARES_MIN", "0")
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", str(processes))


def whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANFANG_SHARES_MIN", str(10**9))


def check(root: Path, *extra: str, exit_code: int = 1) -> bytes:
    args = ["check", root, "--as-of", "2026-11-30", "--all", *extra]
    return run(args, exit_code).stdout_bytes


@pytest.mark.parametrize("processes", [2, 3])
def test_shares_give_the_one_process_output(monkeypatch: pytest.MonkeyPatch, processes: int) -> None:
    """The example has every status, escalated misses and T502's actions (made inside a share)."""
    whole(monkeypatch)
    before = shares.PROCESSES_STARTED
    alone = {lang: check(EXAMPLE, "--format", "json", "--lang", lang) for lang in ("zh", "en")}
    table = check(EXAMPLE, "--lang", "en")
    assert before == shares.PROCESSES_STARTED  # nothing split
    assert b'"rule": "T502"' in alone["zh"] and b'"status": "missed"' in alone["zh"]
    split(monkeypatch, processes)
    for lang, output in alone.items():
        assert check(EXAMPLE, "--format", "json", "--lang", lang) == output
    assert check(EXAMPLE, "--lang", "en") == table
    assert shares.PROCESSES_STARTED - before == 3 * (processes - 1)  # this process takes one share


def test_a_generated_unit_alike(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from generate_unit import generate

    root = generate(tmp_path / "unit", people=120)
    whole(monkeypatch)
    alone = check(root, "--format", "json")
    split(monkeypatch)
    assert check(root, "--format", "json") == alone


def test_a_large_check_is_split_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIANFANG_SHARES_MIN", raising=False)
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", "2")
    assert shares.share_count(shares.SHARES_MIN_OBLIGATIONS - 1) == 1
    assert shares.share_count(shares.SHARES_MIN_OBLIGATIONS) == 2


def in_a_share(action: Any) -> Any:
    """``decide_here`` that does ``action`` first in a share's own process (not in this one)."""
    real = shares.decide_here
    parent = os.getpid()

    def decide_here(*args: Any) -> Any:
        if os.getpid() != parent:
            action()
        return real(*args)

    return decide_here


def crash() -> None:
    faulthandler.disable()  # (pytest's handler would print the simulated crash)
    os.kill(os.getpid(), signal.SIGSEGV)  # what a crash inside durable-rules looks like


def test_a_share_whose_process_crashes_once_is_run_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    whole(monkeypatch)
    alone = check(EXAMPLE, "--format", "json")
    marker = tmp_path / "crashed"

    def crash_once() -> None:
        if not marker.exists():
            marker.write_text("")
            crash()

    split(monkeypatch)
    monkeypatch.setattr(shares, "decide_here", in_a_share(crash_once))
    assert check(EXAMPLE, "--format", "json") == alone
    assert marker.exists()


def test_a_share_that_keeps_crashing_fails_the_check_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    split(monkeypatch)
    monkeypatch.setattr(shares, "decide_here", in_a_share(crash))
    result = run(["check", EXAMPLE, "--as-of", "2026-11-30"], 3)
    assert "Traceback" not in result.stderr
    assert "EngineError: a share of the check failed twice (signal 11)" in crash_report(result.stderr)


def test_an_error_inside_a_share_fails_the_check_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ValueError("broken share")

    split(monkeypatch)
    monkeypatch.setattr(shares, "decide_here", in_a_share(broken))
    result = run(["check", EXAMPLE, "--as-of", "2026-11-30"], 3)
    assert "a share of the check failed: ValueError('broken share')" in crash_report(result.stderr)


def crash_report(stderr: str) -> str:
    """The report an internal error (exit 3) writes, named in its message (then removed)."""
    assert "internal error" in stderr
    found = re.search(r"The details are in (\S+);", stderr)
    assert found is not None, stderr
    path = Path(found.group(1))
    text = path.read_text(encoding="utf-8")
    path.unlink()
    return text


def test_no_share_process_outlives_the_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "ex"
    shutil.copytree(EXAMPLE, root)
    import psutil

    split(monkeypatch, 3)
    children = {p.pid for p in psutil.Process().children()}
    before = shares.PROCESSES_STARTED
    check(root, "--format", "json")
    assert before < shares.PROCESSES_STARTED
    assert {p.pid for p in psutil.Process().children()} == children  # each one ended and was waited for


# ------------------------------------------------------------------------------ the codec

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
PLAIN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def findings(text: st.SearchStrategy[str]) -> st.SearchStrategy[Finding]:
    return st.builds(
        Finding,
        rule=text,
        status=st.sampled_from(list(Status)),
        severity=st.sampled_from(list(Severity)),
        subject=text,
        subject_name=text,
        department=st.none() | text,
        period=st.none() | text,
        due=st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31)),
        evidence=st.lists(text, max_size=3).map(tuple),
        accountable=st.lists(text, max_size=3).map(tuple),
        source=text,
        message=text,
        title=text,
        trigger=st.none() | text,
        detail=text,
    )


def same(a: list[Finding], b: list[Finding]) -> bool:
    """Equal in every field, those left out of ``==`` too."""
    return [(f, f.detail, f.waiver) for f in a] == [(f, f.detail, f.waiver) for f in b]


@settings(max_examples=150, deadline=None)
@given(st.lists(findings(PLAIN), max_size=6))
def test_findings_come_back_as_they_were_sent(found: list[Finding]) -> None:
    data = shares.encode(found)
    assert data[:1] == b"t"  # as text: no control character in any field
    assert same(shares.decode(data), found)


@settings(max_examples=150, deadline=None)
@given(st.lists(findings(TEXT), max_size=6))
def test_any_text_comes_back_as_it_was_sent(found: list[Finding]) -> None:
    """The separators inside a field (a rule pack's words are not read by the readers that
    refuse control characters): pickled instead, still exactly the findings."""
    assert same(shares.decode(shares.encode(found)), found)


def test_a_separator_in_a_field_is_pickled() -> None:
    f = Finding("R201", Status.MISSED, Severity.ERROR, "a", "甲", None, "2026-10", None, ("x",), (), "s", "m\x1fn", "t")
    data = shares.encode([f])
    assert data[:1] == b"p"
    assert same(shares.decode(data), [f])


def test_what_follows_from_the_obligation_is_made_again_and_anything_else_sent() -> None:
    """A share sends of an obligation's finding only what was decided (status, words, evidence,
    a chain escalation changed); a finding with any other field unlike what its obligation
    gives is sent whole."""
    from dataclasses import replace

    from lianfang.checker.chain import Chains
    from lianfang.checker.run import open_workspace
    from lianfang.checker.stages.evidence import build_evidence
    from lianfang.checker.stages.obligations import expand
    from lianfang.checker.stages.status import FindingMaker

    as_of = date(2026, 11, 30)
    ws, catalogue = open_workspace(EXAMPLE)
    obligations = list({o.oid: o for o in expand(catalogue, ws, as_of)}.values())
    chains = Chains(ws, {o.subject for o in obligations} | ws.subject_ids())
    context = shares.Context(catalogue, build_evidence(catalogue, ws, as_of), ws, as_of, "zh", 14, chains)
    found, _ = shares.decide_here(obligations, context)
    escalated = [f for f in found if "T502" in f.message]
    assert escalated  # their chain is one tier longer than the subject's own
    changed = found[:]
    changed[3] = replace(changed[3], severity=Severity.INFO, subject_name="改过的名字")
    for sent in (found, changed):
        data = shares.encode(sent, obligations, FindingMaker(ws, "zh", chains))
        assert same(shares.decode(data, obligations, FindingMaker(ws, "zh", chains)), sent)
    compact = len(shares.encode(found, obligations, FindingMaker(ws, "zh", chains)))
    assert compact < len(shares.encode(found)) * 0.8
