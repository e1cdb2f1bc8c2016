"""Text users wrote, made safe for a terminal: control characters (an ESC that would recolour
or move the cursor, a bell, a carriage return) are shown as visible escapes, never sent."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """``text`` with every control character but tab and newline written as ``\\xNN``."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
