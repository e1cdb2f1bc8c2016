"""Write rules/pack_snapshot.json: the shipped rule pack as read, for commands to skip its YAML.

    python scripts/snapshot_pack.py

Run after changing a file of rules/pack/ (tests/test_catalogue.py fails while the snapshot is
stale; a stale snapshot is never used, only slower). Refuses a file whose data would not come
back from JSON exactly (a date, a float).
"""

from __future__ import annotations

import hashlib
import sys

import orjson

from lianfang.models.workspace import read_yaml
from lianfang.rules.catalogue import SHIPPED_PACK
from lianfang.rules.snapshot import SNAPSHOT_FILE, same_values


def main() -> None:
    files = {}
    for path in sorted(SHIPPED_PACK.glob("*.yaml")):
        problems: list = []
        data = read_yaml(path, path.name, problems)
        if data is None or problems:
            sys.exit(f"snapshot_pack: {path.name} does not read: {problems}")
        if not same_values(orjson.loads(orjson.dumps(data)), data):
            sys.exit(f"snapshot_pack: {path.name} holds a value JSON cannot carry exactly (a date, a float?)")
        files[path.name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "data": data}
    SNAPSHOT_FILE.write_bytes(orjson.dumps({"files": files}, option=orjson.OPT_APPEND_NEWLINE))
    print(f"snapshot_pack: wrote {SNAPSHOT_FILE} ({len(files)} files)")


if __name__ == "__main__":
    main()
