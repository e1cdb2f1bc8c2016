"""Partitions evaluated in parallel worker processes give the same result, byte for byte, as one
process — whatever the number of processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from lianfang.checker import engine
from lianfang.checker.report import ReportOptions
from lianfang.checker.report.json_report import as_dict
from lianfang.checker.run import check_workspace

engine.set_processes(int(sys.argv[2]))
result = check_workspace(Path(sys.argv[1]), date(2026, 12, 31))
sys.stdout.write(json.dumps(as_dict(result, ReportOptions(show_all=True)), ensure_ascii=False, indent=2))
sys.stderr.write(f"parallel runs: {engine.PARALLEL_RUNS}")
"""


def check_json(root: Path, processes: int) -> tuple[str, int]:
    """The --all JSON of a check in a fresh process (no threads: forking is allowed there)."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), str(processes)], capture_output=True, text=True, check=True
    )
    return done.stdout, int(done.stderr.rsplit(":", 1)[1])


def test_parallel_partitions_give_byte_identical_json(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from generate_unit import generate

    root = generate(tmp_path / "unit", people=300)
    single, single_runs = check_json(root, 1)
    assert single_runs == 0
    for processes in (2, 3):
        parallel, runs = check_json(root, processes)
        assert runs >= 1  # partitions really were evaluated in worker processes
        assert parallel == single
    assert '"status": "satisfied"' in single and '"status": "missed"' in single
