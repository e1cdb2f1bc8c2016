"""Python's cyclic garbage collector, paused while many objects are made.

A city's check loads millions of records, then makes hundreds of thousands of obligations,
pieces of evidence and findings, then their JSON. A collection scans every young object and,
every so often, every object not frozen: 25–70% of those stages' time, for nothing, since
reference counting frees whatever is dropped and they make no reference cycles. Loading the
workspace (``models.workspace``), the check's stages and the JSON output use this one helper,
as a ``with`` block or as a decorator of the function that makes them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state before it is restored.

    With ``freeze``, what the block made lives on (the findings, until the output is
    written): it is frozen (``gc.freeze``) so that no later collection scans it, not even
    the first, which would otherwise find every object made here still young. Frozen
    objects are still freed when their last reference goes; only a reference cycle among
    them would never be, and the blocks that freeze make none.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:  # not after an error: its traceback's reference cycles must stay collectable
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
