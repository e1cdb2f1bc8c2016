"""The same records, shuffled and split differently across files and formats, give identical findings."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from datetime import date
from pathlib import Path

from lianfang.checker.run import check_workspace
from lianfang.models.records import RECORD_COLUMNS

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"


def read_all_rows(records: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(records.iterdir()):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        if path.suffix == ".jsonl":
            rows += [{k: str(v) for k, v in json.loads(line).items()} for line in text.splitlines() if line.strip()]
        else:
            rows += list(csv.DictReader(io.StringIO(text)))
    return rows


def rewrite(root: Path, rows: list[dict[str, str]], seed: int, parts: int) -> None:
    rng = random.Random(seed)
    rows = rows[:]
    rng.shuffle(rows)
    shutil.rmtree(root / "records")
    (root / "records" / "nested").mkdir(parents=True)
    for index in range(parts):
        chunk = rows[index::parts]
        kind = index % 3
        if kind == 0:
            (root / "records" / f"part{index}.jsonl").write_text(
                "".join(json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) + "\n" for r in chunk),
                encoding="utf-8",
            )
        else:
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(RECORD_COLUMNS))
            writer.writeheader()
            writer.writerows(chunk)
            encoding = "gb18030" if kind == 1 else "utf-8-sig"
            (root / "records" / "nested" / f"part{index}.csv").write_bytes(out.getvalue().encode(encoding))


def findings_of(root: Path) -> list[dict[str, object]]:
    result = check_workspace(root, date(2026, 11, 30))
    return [f.to_json() for f in result.findings]


def test_shuffled_and_split_records_give_identical_findings(tmp_path: Path) -> None:
    original = findings_of(EXAMPLE)
    assert any(f["status"] == "missed" for f in original)
    rows = read_all_rows(EXAMPLE / "records")
    for seed, parts in ((1, 1), (2, 5), (3, 17)):
        root = tmp_path / f"ws{seed}"
        shutil.copytree(EXAMPLE, root)
        rewrite(root, rows, seed, parts)
        assert findings_of(root) == original, f"findings differ for seed {seed}, {parts} files"


def test_repeated_runs_in_one_process_are_identical() -> None:
    first = findings_of(EXAMPLE)
    for _ in range(3):
        assert findings_of(EXAMPLE) == first
