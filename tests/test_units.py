"""Many units in one command, on Dask distributed: each unit's result is what checking it alone
gives; a broken unit fails alone; the same through a real ``dask scheduler`` and two ``dask worker``
processes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lianfang.checker.cli import main
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"
AS_OF = "2026-11-30"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three units: the example, the example with one record's kind changed, and a broken one."""
    root = tmp_path_factory.mktemp("units")
    a = root / "dongying"
    shutil.copytree(EXAMPLE, a)
    b = root / "other" / "dongying"  # the same folder name: report files must not collide
    shutil.copytree(EXAMPLE, b)
    (b / "records" / "schedule-2026.csv").unlink()  # no schedule records: a different result
    broken = root / "broken"
    shutil.copytree(EXAMPLE, broken)
    (broken / "records" / "extra.csv").write_text(
        "id,kind,date,subject\nX1,dept_monthly_report,2026-13-01,jiaojiu\n", encoding="utf-8"
    )
    return [a, broken, b]


def alone(unit: Path) -> tuple[int, dict[str, Any], str]:
    """The exit code, JSON (without ``tool``) and stderr of ``lianfang check UNIT --format json``."""
    result = CliRunner().invoke(main, ["check", str(unit), "--as-of", AS_OF, "--format", "json", "--lang", "en"])
    data = json.loads(result.stdout) if result.exit_code != 2 else {}
    data.pop("tool", None)
    return result.exit_code, data, result.stderr


def assert_each_unit_as_alone(document: dict[str, Any], units: list[Path]) -> None:
    assert [u["workspace"] for u in document["units"]] == [str(u) for u in units]
    for item, unit in zip(document["units"], units, strict=True):
        code, data, stderr = alone(unit)
        assert item["exit"] == code
        if code == 2:
            # the unit's problems, as a single check prints them (without the "lianfang: error: " prefix)
            assert item["error"] == "\n".join(line.removeprefix("lianfang: error: ") for line in stderr.splitlines())
            assert "records/extra.csv: row 2:" in item["error"] and "2026-13-01" in item["error"]
            assert "findings" not in item
        else:
            assert {k: v for k, v in item.items() if k not in ("workspace", "exit")} == data
    summary = document["summary"]
    assert summary["units"] == 3 and summary["exit"] == 2
    assert summary["by_exit"] == {"1": 2, "2": 1}
    checked = [u for u in document["units"] if "summary" in u]
    for status, n in summary["by_status"].items():
        assert n == sum(u["summary"]["by_status"].get(status, 0) for u in checked)


def test_each_unit_as_if_checked_alone_and_a_broken_unit_fails_alone(units: list[Path], tmp_path: Path) -> None:
    result = run(
        [
            "check",
            *units,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--lang",
            "en",
            "--workers",
            "2",
            "-o",
            tmp_path / "out",
        ],
        exit_code=2,
    )
    document = json.loads(result.stdout)
    assert_each_unit_as_alone(document, units)
    a, b = document["units"][0], document["units"][2]
    assert a["summary"] != b["summary"]  # the two units really differ
    # the broken unit's problem on stderr, prefixed with its workspace
    assert f"lianfang: error: {units[1]}: records/extra.csv: row 2: date" in result.stderr
    # one report per unit in -o DIR: the file a single check writes with -o FILE
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["broken.error.txt", "dongying-1.json", "dongying-2.json"]
    single = tmp_path / "single.json"
    run(["check", "--lang", "en", units[2], "--as-of", AS_OF, "--format", "json", "-o", single], exit_code=1)
    assert (tmp_path / "out" / "dongying-2.json").read_text(encoding="utf-8") == single.read_text(encoding="utf-8")
    assert "row 2" in (tmp_path / "out" / "broken.error.txt").read_text(encoding="utf-8")


def test_the_rollup_table(units: list[Path]) -> None:
    result = run(["check", units[0], units[2], "--as-of", AS_OF, "--lang", "en", "--workers", "1"], exit_code=1)
    out = result.stdout
    assert "Many-unit check — 2 units, as of 2026-11-30" in out
    for word in ("workspace", "unit", "exit", "missed", "satisfied"):
        assert word in out
    assert str(units[0]) in out and str(units[2]) in out


def test_usage_errors_of_several_units(units: list[Path], tmp_path: Path) -> None:
    result = run(["check", "--lang", "en", units[0], units[2], "--format", "sarif"], exit_code=2)
    assert "add -o DIR" in result.stderr
    result = run(["check", "--lang", "en", units[0], units[2], "--waivers", tmp_path / "w.yaml"], exit_code=2)
    assert "each unit's own waivers.yaml" in result.stderr
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = run(["check", "--lang", "en", units[0], units[2], "-o", tmp_path / "f"], exit_code=2)
    assert "is a file" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, torn down after."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    log = (tmp_path / "dask.log").open("w")
    procs = [
        subprocess.Popen(
            [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [BIN / "dask", "worker", address, "--nthreads", "1", "--no-dashboard", "--no-nanny"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=tmp_path,
                )
            )
        from distributed import Client

        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def test_through_a_dask_scheduler_and_two_workers(units: list[Path], dask_cluster: str) -> None:
    done = subprocess.run(
        [
            BIN / "lianfang",
            "check",
            "--lang",
            "en",
            *units,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--scheduler",
            dask_cluster,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert_each_unit_as_alone(json.loads(done.stdout), units)


def test_a_broken_units_problems_follow_lang(units: list[Path]) -> None:
    """Chinese by default, like a single check: the unit's problem names file and row in Chinese."""
    result = run(["check", *units[:2], "--as-of", AS_OF, "--format", "json", "--workers", "1"], exit_code=2)
    assert f"lianfang: 错误：{units[1]}: records/extra.csv: 第 2 行" in result.stderr
    broken = json.loads(result.stdout)["units"][1]
    assert broken["exit"] == 2 and "不是真实的日期" in broken["error"]


def test_a_missing_unit_folder_is_named_once(units: list[Path], tmp_path: Path) -> None:
    """Its problem begins with the folder's path: the line does not name it twice."""
    missing = tmp_path / "no-such-unit"
    result = run(["check", units[0], missing, "--as-of", AS_OF, "--lang", "en", "--workers", "1"], exit_code=2)
    assert f"lianfang: error: {missing}: workspace folder not found" in result.stderr, result.stderr
    assert f"{missing}: {missing}" not in result.stderr + result.stdout
    assert f"{missing}: not checked: workspace folder not found" in result.stdout


def test_a_busy_port_8787_does_not_stop_the_local_cluster(units: list[Path]) -> None:
    """Dask's scheduler serves HTTP on 8787 by default even without a dashboard: a second
    many-unit check running at the same time must not fail (it did: exit 3)."""
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by something else: the case under test all the same
    try:
        result = run(["check", units[0], units[2], "--as-of", AS_OF, "--lang", "en", "--workers", "1"], exit_code=1)
    finally:
        holder.close()
    assert "8787" not in result.stderr
    assert "Many-unit check — 2 units" in result.stdout
