"""Benchmark: time and peak memory of a check on a generated unit (default 2,000 people).

    python scripts/bench_check.py [--people 2000] [--runs 3]

Prints figures; asserts nothing (speed targets live here, not in the tests).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_unit import generate

from lianfang.checker.run import open_workspace, run_check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "unit", args.people)
        records = sum(1 for p in (root / "records").glob("*.csv") for _ in p.open(encoding="utf-8")) - 2
        print(f"unit: {args.people} people, {records} records")
        t0 = time.perf_counter()
        ws, catalogue = open_workspace(root)
        t1 = time.perf_counter()
        print(f"load:  {t1 - t0:6.2f} s")
        for run in range(args.runs):
            t2 = time.perf_counter()
            result = run_check(ws, catalogue, date(2026, 11, 30))
            t3 = time.perf_counter()
            print(
                f"check: {t3 - t2:6.2f} s  (run {run + 1}: {len(result.findings)} findings, {len(result.open_findings())} open)"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # ru_maxrss counts the engine's C heap too (tracemalloc would not, and slows the run 5x)
    print(f"peak memory (max RSS, Python and engine): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
