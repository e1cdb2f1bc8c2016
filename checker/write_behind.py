"""Writing behind: each piece of an output is written by a thread while the next is made.

A write to a file or a pipe leaves the GIL, so the thread that makes the pieces goes on
while the kernel copies the last one: ``--format json`` writes a city's 175 MB as it makes
them, and a share of a large check (checker/shares.py) pickles its findings while the pipe
to the check's process is full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def write_behind(
    pieces: Iterable[bytes | memoryview], write: Callable[[bytes | memoryview], object], finish: Callable[[], object]
) -> None:
    """``write`` each of ``pieces`` in a thread while the next is made, then ``finish()`` there.

    The first error of the writing (a closed pipe) stops the pieces, no more are made, and it
    is raised here; an error making them is raised here once what was made is written.
    """
    import queue
    import threading

    pending: queue.SimpleQueue[bytes | memoryview | None] = queue.SimpleQueue()
    failed: list[BaseException] = []

    def writer() -> None:
        try:
            while (piece := pending.get()) is not None:
                write(piece)
            finish()
        except BaseException as error:  # raised in the thread that makes the pieces
            failed.append(error)

    thread = threading.Thread(target=writer, name="lianfang-write-behind", daemon=True)
    thread.start()
    try:
        for piece in pieces:
            if failed:
                break
            pending.put(piece)
    finally:
        pending.put(None)
        thread.join()
    if failed:
        raise failed[0]
