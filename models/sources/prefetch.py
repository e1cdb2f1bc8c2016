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
given as ``min_bytes``). A file not read ahead is read as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from lianfang.models.sources.base import RecordSource, source_for
from lianfang.models.sources.csv_columns import BULK_MIN_BYTES, ColumnTable
from lianfang.models.sources.text import path_problem


class Prefetch:
    """Column tables read ahead, by path. Use as a context manager: on leaving, what was not
    taken is dropped (a file being read is finished first, the others are not started)."""

    def __init__(self, paths: list[tuple[Path, str]], root: Path, min_bytes: int = BULK_MIN_BYTES):
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: dict[Path, Future[ColumnTable | None]] = {}
        for path, display in paths:
            source = source_for(path)
            if source is None or source.columns is None or path_problem(path, display, root) is not None:
                continue
            try:
                if path.stat().st_size < min_bytes:
                    continue
            except OSError:
                continue
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="lianfang-prefetch")
            self._ahead[path] = self._pool.submit(source.columns, path, display)

    @property
    def reading(self) -> list[Path]:
        """The files read ahead and not yet taken."""
        return list(self._ahead)

    def columns(self, source: RecordSource, path: Path, display: str) -> ColumnTable | None:
        """``source.columns(path, display)``: the table read ahead, or read now."""
        ahead = self._ahead.pop(path, None)
        if ahead is not None:
            return ahead.result()
        assert source.columns is not None
        return source.columns(path, display)

    def close(self) -> None:
        for ahead in self._ahead.values():
            ahead.cancel()
        self._ahead.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
