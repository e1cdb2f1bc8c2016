"""Text users wrote, made safe for a terminal: control characters (an ESC that would recolour
or move the cursor, a bell, a carriage return) are shown as visible escapes, never sent.

The escaping itself is ``checker.escape.plain``, the one function for terminal text.
"""

from __future__ import annotations

from lianfang.checker.escape import plain

__all__ = ["plain"]
