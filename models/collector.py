"""Python's cyclic garbage collector around the stages that build a check's long-lived objects.

Loading, expanding the calendar and building the evidence each create hundreds of thousands
of objects (a city: 185k obligations, 147k pieces of evidence, 2.4M entry ids) that all live
until the check ends and form no reference cycles. While they are built the collector runs
again and again and each full pass walks every one of them built so far, finding nothing:
in a city's evidence stage that was 1.4 s of 3.4 s. ``built_to_last`` pauses it while they
are built and then freezes them (``gc.freeze``) so later passes skip them too; memory is still
returned by reference counting as soon as they are dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def built_to_last() -> Iterator[None]:
    """Build objects that live as long as the check without the collector scanning them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
