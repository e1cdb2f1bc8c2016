"""The archive tests' throwaway PostgreSQL server (tests/postgres_server.py): a server whose test
process was killed (a crash runs no teardown) is stopped and removed by the next run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.postgres_server import OWNER, PREFIX, server_bin, stop_orphans

ROOT = Path(__file__).resolve().parents[1]
#: a test process that starts a server, says its URL and dies by a signal without its teardown
CRASHING = """
import os, signal, sys, tempfile
from pathlib import Path
tempfile.tempdir = sys.argv[1]
from tests.postgres_server import running_server
with running_server(Path(sys.argv[2])) as url:
    print(url, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def accepts(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{url}/postgres", connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def test_a_server_left_by_a_crashed_test_process_is_stopped_and_removed() -> None:
    bindir = server_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binary (initdb) on this machine: apt-get install postgresql")
    temp = Path(tempfile.mkdtemp(prefix="lianfang-orphans-"))
    temp.chmod(0o755)  # (the server's user, when the tests run as root, must reach its folder)
    try:
        crashed = subprocess.run(
            [sys.executable, "-c", CRASHING, str(temp), str(bindir)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert crashed.returncode == -9, crashed.stderr
        url = crashed.stdout.strip()
        [left] = temp.glob(f"{PREFIX}*")
        assert accepts(url)  # the server runs on without its test process
        # a server whose owner still runs, and a folder that is none of these, are left alone
        mine = temp / f"{PREFIX}mine"
        mine.mkdir()
        (mine / OWNER).write_text(str(os.getpid()))
        other = temp / f"{PREFIX}other"
        other.mkdir()
        assert stop_orphans(bindir, temp) == [left]
        assert not left.exists() and not accepts(url)
        assert sorted(temp.iterdir()) == [mine, other]
    finally:
        for root in temp.glob(f"{PREFIX}*"):  # (should the check above fail with a server running)
            if (root / "data" / "postmaster.pid").exists():
                subprocess.run(["pkill", "-f", str(root / "data")], check=False)
        shutil.rmtree(temp, ignore_errors=True)
