"""Progress on a terminal: one line on stderr, rewritten in place; nothing in a pipe or a file."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """``step("drawing 3/7 教就部")`` shows what long work is doing, only when stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = (hasattr(self.stream, "isatty") and self.stream.isatty()) if enabled is None else enabled
        self._shown = False

    def step(self, text: str) -> None:
        if not self.enabled:
            return
        self.stream.write(f"\r\x1b[K{self.label}: {text}")
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()
