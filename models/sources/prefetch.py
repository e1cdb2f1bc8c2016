"""Large record files read as columns ahead, in a background thread, while the YAML is loaded.

A city's records are ~150 MB of CSV: parsing them (pyarrow, in C++, without the GIL) took a
second of the load, and loading org.yaml and risks.yaml (Python, with the GIL) another, one
after the other on one core. ``Prefetch`` starts reading the large files' columns in one
thread before the YAML is read, and ``read_records`` takes each table from it when it gets
to that file: the same ``columns`` call, made earlier, so the same table or None (then the
row reader reads the file, with its own messages), and an error it raised is raised there.

Only files ``read_records`` itself would read as columns are read ahead: a regular file
(``path_problem`` finds nothing: no pipe, device, folder or link out of the workspace) of
a source with a columnar reader, of at least ``BULK_MIN_BYTES`` (the loader's threshold,
given as ``min_bytes``). A file not read ahead is read as before. What is read ahead and not
yet taken is bounded (``MAX_AHEAD_BYTES``), so a workspace of many large files is not all held
in memory at once.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lianfang.models.sources.base import RecordSource, source_for
from lianfang.models.sources.csv_columns import BULK_MIN_BYTES, ColumnTable
from lianfang.models.sources.text import path_problem

if TYPE_CHECKING:  # concurrent.futures (and logging with it) is imported only for a large file
    from concurrent.futures import Future, ThreadPoolExecutor

#: bytes of files read ahead and not yet taken, at most (past one file): a city's 150 MB of
#: ledgers are all read while its YAML loads, a province's are not all held at once
MAX_AHEAD_BYTES = 256 * 2**20


class _File(NamedTuple):
    path: Path
    display: str
    size: int
    source: RecordSource


class Prefetch:
    """Column tables read ahead, by path, in the order given. Use as a context manager: on
    leaving, what was not taken is dropped (a file being read is finished first, the others
    are not started)."""

    def __init__(
        self,
        paths: list[tuple[Path, str]],
        root: Path,
        min_bytes: int = BULK_MIN_BYTES,
        max_ahead_bytes: int = MAX_AHEAD_BYTES,
    ):
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: deque[_File] = deque()
        self._ahead: dict[Path, tuple[_File, Future[ColumnTable | None]]] = {}
        self._ahead_bytes = 0
        self._max_ahead_bytes = max_ahead_bytes
        for path, display in paths:
            source = source_for(path)
            if source is None or source.columns is None or path_problem(path, display, root) is not None:
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size >= min_bytes:
                self._waiting.append(_File(path, display, size, source))
        self._fill()

    def _fill(self) -> None:
        """Start reading the next files while the budget allows (always one when none is ahead)."""
        while self._waiting and (not self._ahead or self._ahead_bytes + self._waiting[0].size <= self._max_ahead_bytes):
            file = self._waiting.popleft()
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(1, thread_name_prefix="lianfang-prefetch")
            assert file.source.columns is not None
            self._ahead[file.path] = (file, self._pool.submit(file.source.columns, file.path, file.display))
            self._ahead_bytes += file.size

    @property
    def reading(self) -> list[Path]:
        """The files being read ahead or read and not yet taken."""
        return list(self._ahead)

    def columns(self, source: RecordSource, path: Path, display: str) -> ColumnTable | None:
        """``source.columns(path, display)``: the table read ahead, or read now."""
        ahead = self._ahead.pop(path, None)
        if ahead is None:
            self._waiting = deque(f for f in self._waiting if f.path != path)  # not read twice
            assert source.columns is not None
            table = source.columns(path, display)
            self._fill()
            return table
        file, future = ahead
        self._ahead_bytes -= file.size
        self._fill()
        return future.result()

    def close(self) -> None:
        self._waiting.clear()
        for _, future in self._ahead.values():
            future.cancel()
        self._ahead.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
