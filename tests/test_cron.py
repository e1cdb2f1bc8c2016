"""docs/examples/lianfang-cron.sh: cron mails what it prints, so it must never print a stale report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "examples" / "lianfang-cron.sh"
EXAMPLE = ROOT / "examples" / "dongying"
LIANFANG = Path(sys.executable).parent / "lianfang"


def _fake_lianfang(tmp_path: Path, exit_code: int, message: str) -> Path:
    fake = tmp_path / "fake-lianfang"
    fake.write_text(f"#!/bin/sh\necho '{message}' >&2\nexit {exit_code}\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake


def _run(workspace: Path, lianfang: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(SCRIPT), str(workspace), str(lianfang)], capture_output=True, text=True, timeout=120
    )


def test_a_check_that_cannot_run_never_mails_the_last_report(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "reports").mkdir(parents=True)
    (ws / "reports" / "lianfang.md").write_text("# LAST MONTH'S REPORT\n", encoding="utf-8")
    for code in (2, 3):
        result = _run(ws, _fake_lianfang(tmp_path, code, "lianfang: error: org.yaml: broken"))
        assert result.returncode == code
        assert "LAST MONTH" not in result.stdout + result.stderr
        assert "could not run (exit " + str(code) + ")" in result.stdout
        assert "org.yaml: broken" in result.stderr
    assert sorted(p.name for p in (ws / "reports").iterdir()) == ["lianfang.md"]


def test_findings_mail_this_runs_report(tmp_path: Path) -> None:
    ws = tmp_path / "dongying"
    shutil.copytree(EXAMPLE, ws)
    result = _run(ws, LIANFANG)
    assert result.returncode == 1, result.stderr
    report = (ws / "reports" / "lianfang.md").read_text(encoding="utf-8")
    assert result.stdout == report and "东营市残疾人联合会" in report
    assert (ws / "reports" / "lianfang-junit.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_nothing_open_prints_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    fake = tmp_path / "clean-lianfang"
    # writes the -o file it is given, like lianfang does, and reports nothing open
    fake.write_text('#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && echo ok > "$2"; shift; done\nexit 0\n')
    fake.chmod(0o755)
    result = _run(ws, fake)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (ws / "reports" / "lianfang.md").exists()
