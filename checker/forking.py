"""Forked helpers: the few calls every forked process of a check uses.

Two places fork processes that see this process's memory through the fork and answer through
a pipe: the engine's workers (checker/engine.py) and the shares of a large check
(checker/shares.py). Each leaves with ``os._exit`` and takes no lock another thread could hold.
"""

from __future__ import annotations

import os
import warnings


def fork() -> int:
    """``os.fork``. In a process with other threads (a Dask worker's) Python 3.12+ warns that
    the child could inherit a lock one of them holds; the children here take none: they run
    the engine's C code or check a share of the subjects, write their answer to a pipe and
    leave with ``os._exit``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def write_all(fd: int, data: bytes | memoryview) -> None:
    """Write the whole of ``data`` to ``fd`` (a pipe takes at most its free space per write)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
