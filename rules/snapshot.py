"""The shipped rule pack as read, shipped beside it: no YAML parsed for it on every command.

Every command reads the rule pack; parsing the shipped pack's YAML (~155 KB) took ~27 ms of
each, a twentieth of the example's check. ``rules/pack_snapshot.json`` holds each file of the
shipped pack as ``read_yaml`` returns it (plain JSON values: the pack holds no date, no float),
with the SHA-256 of the file's bytes. A file whose bytes differ from its snapshot, or a
snapshot missing or unreadable, is read as YAML, as before: the snapshot can make a command
faster, never different. ``scripts/snapshot_pack.py`` writes it; a test fails while it is
stale. Only the shipped pack has one: a workspace's own pack is always read as YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SNAPSHOT_FILE = Path(__file__).resolve().parent / "pack_snapshot.json"


def load_snapshot(path: Path = SNAPSHOT_FILE) -> dict[str, Any]:
    """File name → {"sha256", "data"}; empty when there is no usable snapshot."""
    import orjson

    try:
        files = orjson.loads(path.read_bytes()).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def snapshot_data(snapshot: dict[str, Any], path: Path) -> Any | None:
    """The data of ``path`` from ``snapshot`` when the file's bytes are those it was made from."""
    import hashlib

    entry = snapshot.get(path.name)
    if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
        return None
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return entry["data"] if digest == entry.get("sha256") else None


def same_values(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (``1 == True`` and ``1 == 1.0`` are not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
