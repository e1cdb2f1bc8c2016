"""A throwaway PostgreSQL server for the archive tests: initdb and pg_ctl under a temporary
folder, on a free port, as the ``postgres`` user when the tests run as root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_bin() -> Path | None:
    """The folder of the newest installed server's binaries (Debian's layout, else PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: the folders of the servers: ``<temp>/lianfang-pg-*``, each with the pid of the test process
#: that started it in ``OWNER``
PREFIX, OWNER = "lianfang-pg-", "owner.pid"


def _as_server_user() -> list[str]:
    """The server refuses to run as root: as root, its commands run as ``postgres``."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (someone else's process)
        return True
    return True


def stop_orphans(bindir: Path, temp: Path | None = None) -> list[Path]:
    """Stop and remove the servers whose test process is gone: one killed by a signal (a crash)
    never ran its teardown, and its server would run on. A server whose owner still runs (a test
    run beside this one) is left alone. Returns the folders removed."""
    removed = []
    for root in sorted(Path(temp or tempfile.gettempdir()).glob(f"{PREFIX}*")):
        try:
            owner = int((root / OWNER).read_text())
        except (OSError, ValueError):
            continue  # (not one of these servers, or one being set up)
        if _alive(owner):
            continue
        if (root / "data" / "postmaster.pid").exists():
            subprocess.run(
                [*_as_server_user(), str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(root, ignore_errors=True)
        removed.append(root)
    return removed


@contextmanager
def running_server(bindir: Path) -> Iterator[str]:
    """Start a server; yield its URL (user postgres, trust authentication); stop and remove it.
    Servers left running by a test process that crashed are stopped first (``stop_orphans``)."""
    stop_orphans(bindir)
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    (root / OWNER).write_text(str(os.getpid()))
    prefix = _as_server_user()
    if prefix:
        # its folder belongs to postgres
        shutil.chown(root, "postgres", "postgres")
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*args: str | Path) -> None:
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, timeout=120)

    try:
        run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        run(bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}"
        finally:
            run(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def new_database(server_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"
