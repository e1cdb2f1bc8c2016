"""Limits on what lianfang reads, so that a hostile or broken file is refused fast.

Every limit is far above what a real unit writes (the largest city-scale workspaces in the
tests stay well under each), and the message that refuses a file names the limit.
"""

from __future__ import annotations

#: largest file read (YAML, CSV or JSONL), in bytes
MAX_FILE_BYTES = 256 * 1024 * 1024
#: values a YAML document may expand to through its aliases, beyond the values written out
MAX_YAML_ALIAS_EXPANSION = 100_000
#: depth of nested YAML mappings and sequences
MAX_YAML_DEPTH = 64
#: characters in one CSV or JSONL field (a note, an id)
MAX_FIELD_CHARS = 100_000
#: characters in one JSONL line
MAX_JSONL_LINE_CHARS = 1_000_000
#: days any day-count parameter may add to a date (ten years)
MAX_DAYS = 3660
