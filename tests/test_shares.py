"""A large check is split by subject into shares evaluated in forked processes
(checker/shares.py): its output is byte for byte the one process's. The environment forces the
split on small workspaces here."""

from __future__ import annotations

import faulthandler
import json
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from lianfang.checker import shares
from lianfang.checker.report import json_report
from tests.cli_helpers import run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from generate_unit import generate

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"


def split(monkeypatch: pytest.MonkeyPatch, processes: int = 2) -> None:
    monkeypatch.setenv("LIANFANG_SHARES_MIN", "0")
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", str(processes))


def whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANFANG_SHARES_MIN", str(10**9))


def check(root: Path, *extra: str, exit_code: int = 1) -> bytes:
    args = ["check", str(root), "--as-of", "2026-11-30", "--all", *extra]
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
    root = generate(tmp_path / "unit", people=120)
    whole(monkeypatch)
    alone = check(root, "--format", "json")
    split(monkeypatch)
    assert check(root, "--format", "json") == alone


def test_outputs_that_read_the_evidence_of_a_shares_findings_alike(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A share sends each finding's JSON item instead of its evidence ids (``Finding.json_item``),
    read from the item when an output asks: SARIF and JUnit list every finding's evidence, and a
    waiver makes a new finding of one (its evidence kept, its JSON made anew)."""
    whole(monkeypatch)
    late = [f for f in json.loads(check(EXAMPLE, "--format", "json"))["findings"] if f["status"] == "late"]
    assert late and all(f["evidence"] for f in late)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        + "".join(
            f"  - {{rule: {f['rule']}, subject: {f['subject']}, period: '{f['period']}', expires: 2026-12-31,\n"
            "      justification: 延期经领导小组同意, approved_by: xu-jianren}\n"
            for f in late
        ),
        encoding="utf-8",
    )
    kinds = [
        ("--format", "sarif"),
        ("--format", "junit"),
        ("--by-owner",),
        ("--format", "json", "--waivers", str(waivers)),
    ]
    alone = {kind: check(EXAMPLE, *kind) for kind in kinds}
    waived = [f for f in json.loads(alone[kinds[-1]])["findings"] if f["status"] == "waived"]
    assert [(f["subject"], f["evidence"]) for f in waived] == [(f["subject"], f["evidence"]) for f in late]
    split(monkeypatch)
    for kind, output in alone.items():
        assert check(EXAMPLE, *kind) == output, kind


def test_this_process_makes_its_json_items_while_it_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``--format json``, this process gives its own findings their JSON items while the
    other share is still at work (here: held back a second); the output is the one process's.
    Any other format leaves that work undone."""
    whole(monkeypatch)
    alone = {fmt: check(EXAMPLE, "--format", fmt) for fmt in ("json", "table")}
    split(monkeypatch)
    monkeypatch.setattr(shares, "check_subjects", in_a_share(lambda: time.sleep(1.0)))
    monkeypatch.setattr(json_report, "CHUNK_FINDINGS", 50)  # (several steps of the work, a chunk each)
    given: dict[int, Any] = {}  # the findings given an item so far, by identity
    real = shares._with_json_items

    def with_json_items(findings: list[Any]) -> Any:
        for step in real(findings):
            given.update((id(f), f) for f in findings if f.json_item is not None)
            yield step

    monkeypatch.setattr(shares, "_with_json_items", with_json_items)
    assert check(EXAMPLE, "--format", "table") == alone["table"]
    assert not given
    assert check(EXAMPLE, "--format", "json") == alone["json"]
    assert len(given) > 100  # (this process's share of the example: ~250 findings, in 5 steps)


def test_a_large_workspace_is_split_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIANFANG_SHARES_MIN", raising=False)
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", "2")

    class Workspace:
        def __init__(self, subjects: int) -> None:
            self.subjects = {f"s{i}" for i in range(subjects)}

        def subject_ids(self) -> set[str]:
            return self.subjects

    assert shares.share_count(Workspace(shares.SHARES_MIN_SUBJECTS - 1)) == 1  # type: ignore[arg-type]
    assert shares.share_count(Workspace(shares.SHARES_MIN_SUBJECTS)) == 2  # type: ignore[arg-type]
    groups = shares.split(Workspace(9), 2)  # type: ignore[arg-type]
    assert [len(g) for g in groups] == [4, 5] and not groups[0] & groups[1]
    # this process's share is 9 subjects to every 10 of another's: it also makes the register checks
    for count in (2, 3):
        groups = shares.split(Workspace(400), count)  # type: ignore[arg-type]
        assert set().union(*groups) == {f"s{i}" for i in range(400)} and sum(map(len, groups)) == 400
        assert [round(len(g) / len(groups[-1]), 2) for g in groups] == [0.9, *[1.0] * (count - 1)]


def in_a_share(action: Any) -> Any:
    """``check_subjects`` that does ``action`` first in a share's own process (not in this one)."""
    real = shares.check_subjects
    parent = os.getpid()

    def check_subjects(*args: Any) -> Any:
        if os.getpid() != parent:
            action()
        return real(*args)

    return check_subjects


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
    monkeypatch.setattr(shares, "check_subjects", in_a_share(crash_once))
    assert check(EXAMPLE, "--format", "json") == alone
    assert marker.exists()


def test_a_share_that_dies_halfway_through_its_answer_is_run_again_without_what_it_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The answer comes in pieces: those of a process that then died are dropped, not doubled."""
    whole(monkeypatch)
    alone = check(EXAMPLE, "--format", "json")
    marker = tmp_path / "crashed"
    real = shares._pieces
    parent = os.getpid()

    def pieces(found: list) -> Any:
        for number, piece in enumerate(real(found)):
            if number == 1 and os.getpid() != parent and not marker.exists():  # (a share's answer)
                marker.write_text("")
                time.sleep(0.3)  # the first piece is written meanwhile (a thread writes them)
                crash()
            yield piece

    split(monkeypatch)
    monkeypatch.setattr(shares, "PIECE_FINDINGS", 50)
    monkeypatch.setattr(shares, "_pieces", pieces)
    assert check(EXAMPLE, "--format", "json") == alone
    assert marker.exists()


def test_a_share_that_keeps_crashing_fails_the_check_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    split(monkeypatch)
    monkeypatch.setattr(shares, "check_subjects", in_a_share(crash))
    result = run(["check", str(EXAMPLE), "--as-of", "2026-11-30"], 3)
    assert "Traceback" not in result.stderr
    assert "EngineError: a share of the check failed twice (signal 11)" in crash_report(result.stderr)


def test_an_error_inside_a_share_fails_the_check_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ValueError("broken share")

    split(monkeypatch)
    monkeypatch.setattr(shares, "check_subjects", in_a_share(broken))
    result = run(["check", str(EXAMPLE), "--as-of", "2026-11-30"], 3)
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


def test_a_share_of_the_counted_entries_before_and_after_all_of_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A share sorts out its subjects' diary entries from the columns; once every group was
    built (the columns then let go), a share's come from those: the same groups either way."""
    from datetime import date

    from lianfang.checker.run import open_workspace
    from lianfang.models import workspace

    monkeypatch.setattr(workspace, "BULK_MIN_BYTES", 0)
    ws, _ = open_workspace(generate(tmp_path / "unit", people=60))
    share = shares.split(ws, 2)[1]
    as_of = date(2026, 10, 15)
    first = list(ws.counted.up_to(as_of, share))
    every = list(ws.counted.up_to(as_of))
    assert first and len(first) < len(every)

    def plain(groups: list) -> list:
        return [(g.kind, g.subject, g.label, list(g.days), g.ids) for g in groups]

    assert plain(first) == plain([g for g in every if g.subject in share])
    assert plain(list(ws.counted.up_to(as_of, share))) == plain(first)
