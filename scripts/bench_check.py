"""Benchmark: lianfang against DuckDB on a city-scale workspace, side by side, in one run.

    python scripts/bench_check.py [--people 10000] [--repeat 3] [--city] [--pre31]

Prints, for the workspace of ``make_city.py OUT 10000`` (10,000 people, ~2.4M records;
generated once into --cache and reused):
- ``lianfang check WS --all --format json`` as a child process: wall, CPU (user+system, its
  worker processes included) and peak memory — ``ru_maxrss`` of the child (its largest
  process) and the sampled sum of PSS over its process tree (forked engine workers
  included, each shared page counted once in all: the memory the check really holds);
- ``duckdb_check.py WS AS_OF --json`` the same way, and the ratio of the wall times;
- the counts per rule and status of both (the rules DuckDB evaluates: R2xx, K4xx), compared;
- linearity: the same at 2,500 / 5,000 / 10,000 people (cost per record, fitted exponent);
- the example (``examples/dongying``) checked as a whole process (best of 10, and the median);
- with ``--city``: 100 generated units checked in one command through the Dask scheduler.

Timings are taken while other work may load the machine: each is the best of --repeat runs
(the load average is printed). Nothing is asserted: the targets (issue 13) are printed with
"met" or "NOT met" beside the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-12-31"
EXAMPLE_AS_OF = "2026-11-30"
TARGET_WALL, TARGET_RSS_MB, TARGET_RATIO, TARGET_EXAMPLE = 15.0, 2048, 5.0, 0.5
#: DuckDB's wall time for the same evaluation when issue 13 set the targets, on this machine
#: (10,000 people): the yardstick of how fast the machine was then
DUCKDB_WALL_AT_TARGETS = 4.5
#: whole-process runs of the example, the best shown (each ~0.5 s)
EXAMPLE_RUNS = 10
#: rules duckdb_check.py evaluates
DUCKDB_RULES = ("R", "K")


def shared_bench() -> Path:
    """The folder of make_city.py and duckdb_check.py (../shared/bench beside the checkout)."""
    env = os.environ.get("LIANFANG_BENCH_DIR")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "bench", ROOT.parent.parent / "shared" / "bench"]
    for candidate in candidates:
        if (candidate / "make_city.py").is_file():
            return candidate
    sys.exit("bench_check: make_city.py not found; set LIANFANG_BENCH_DIR to the folder holding it")


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_mb: float
    tree_mb: float
    code: int


def measure(cmd: list[str], stdout: Path | None = None) -> Run:
    """Run ``cmd`` as a child: wall, CPU and memory of that child alone (os.wait4)."""
    import psutil

    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def pss(pid: int) -> int:
        """PSS in bytes from /proc/PID/smaps_rollup: one walk of the process's page tables.
        (psutil's memory_full_info reads the whole smaps file: sampled every 50 ms over a 1.4 GB
        process and its workers it took most of a core and slowed the check it measured.)"""
        with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        return 0

    def sample() -> None:
        try:
            parent = psutil.Process(proc.pid)
            while not done.is_set():
                # PSS: a page shared by the parent and its forked engine workers counts once
                total = sum(pss(p.pid) for p in [parent, *parent.children(recursive=True)])
                peak[0] = max(peak[0], total)
                done.wait(0.2)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout:
        out.close()  # type: ignore[union-attr]
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 2**20, proc.returncode)


#: the check's stages timed one by one in a child process (wall, CPU of the process and of its
#: forked children: the shares of checker/shares.py, the engine's workers); as run.run_check
#: calls them
PHASES = r"""
import resource, sys, time
from datetime import date
from pathlib import Path
last = [time.perf_counter(), time.process_time(), 0.0]
from lianfang.checker import run as R
from lianfang.checker.report import ReportOptions
from lianfang.checker.report.json_report import json_pieces
from lianfang.checker.result import CheckResult
from lianfang.checker.shares import Context, decide, share_count
rows = []
def mark(name):
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    now = [time.perf_counter(), time.process_time(), ru.ru_utime + ru.ru_stime]
    rows.append((name, now[0] - last[0], now[1] - last[1], now[2] - last[2]))
    last[:] = now
mark("import")
root, as_of = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
ws, catalogue = R.open_workspace(root); mark("load")
horizon = ws.config.params.due_soon_days
findings, mismatches = decide(Context(catalogue, ws, as_of, "zh", horizon, json_items=True))  # (as --format json)
mark(f"obligations … register ({share_count(ws)} shares)")
findings.sort(key=R.sort_key); mark("sort")
result = CheckResult(ws, catalogue, as_of, "zh", findings, period_mismatches=mismatches)
size = sum(map(len, json_pieces(result, ReportOptions(show_all=True)))); mark("JSON")
for name, wall, cpu, children in rows:
    print(f"  {name:34s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  + children {children:6.2f} s")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"  {len(findings):,} findings, {size / 2**20:.0f} MB of JSON, this process's peak RSS {peak:.0f} MB")
"""


def phases(root: Path) -> None:
    """Print the time of each stage of one check of ``root`` (see ``PHASES``)."""
    done = subprocess.run([sys.executable, "-c", PHASES, str(root), AS_OF], capture_output=True, text=True)
    print(done.stdout.rstrip() if done.returncode == 0 else f"  (phases not measured: {done.stderr.strip()[-300:]})")


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def lianfang_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from lianfang.checker.cli import run; run()", *args]


def city(cache: Path, bench: Path, people: int) -> tuple[Path, int]:
    """The make_city.py workspace of ``people`` (generated once) and its number of records."""
    root = cache / f"city-{people}"
    marker = root / ".records"
    if not marker.is_file():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {root} …", flush=True)
        done = subprocess.run(
            [sys.executable, str(bench / "make_city.py"), str(root), str(people)], capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(done.stderr)
        marker.write_text(done.stdout.split()[0], encoding="utf-8")
    return root, int(marker.read_text(encoding="utf-8"))


def lianfang_counts(path: Path) -> dict[str, dict[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: dict[str, Counter[str]] = {}
    for f in data["findings"]:
        if f["rule"].startswith(DUCKDB_RULES):
            counts.setdefault(f["rule"], Counter())[f["status"]] += 1
    return {rule: dict(c) for rule, c in counts.items()}


def compare(ours: dict[str, dict[str, int]], theirs: dict[str, dict[str, int]]) -> list[str]:
    """Lines describing each rule whose counts differ (empty: equal)."""
    lines = []
    for rule in sorted(set(ours) | set(theirs)):
        a, b = ours.get(rule, {}), theirs.get(rule, {})
        if a != b:
            lines.append(f"  {rule}: lianfang {a} | duckdb {b}")
    return lines


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def bench_workspace(root: Path, bench: Path, repeat: int, pre31: bool, tmp: Path) -> tuple[Run, Run, list[str]]:
    out = tmp / "lianfang.json"
    ours = best(
        [
            measure(lianfang_cmd("check", str(root), "--as-of", AS_OF, "--all", "--format", "json", "-o", str(out)))
            for _ in range(repeat)
        ]
    )
    duck_out = tmp / "duckdb.json"
    duck_cmd = [
        sys.executable,
        str(bench / "duckdb_check.py"),
        str(root),
        AS_OF,
        "--json",
        *(["--pre31"] if pre31 else []),
    ]
    theirs = best([measure(duck_cmd, duck_out) for _ in range(repeat)])
    if theirs.code != 0:
        sys.exit(
            f"bench_check: {' '.join(duck_cmd)} failed (exit {theirs.code}); is duckdb installed (pip install duckdb)?"
        )
    differences = compare(lianfang_counts(out), json.loads(duck_out.read_text(encoding="utf-8")))
    return ours, theirs, differences


def row(name: str, r: Run) -> str:
    return f"  {name:10s} {r.wall:8.2f} {r.cpu:8.2f} {r.maxrss_mb:10.0f} {r.tree_mb:11.0f}   exit {r.code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lianfang-bench")
    parser.add_argument("--no-linearity", action="store_true", help="skip the 2,500 and 5,000 people runs")
    parser.add_argument("--city", action="store_true", help="also check 100 generated units in one command")
    parser.add_argument("--units", type=int, default=100, help="units for --city")
    parser.add_argument("--workers", type=int, default=None, help="Dask workers for --city")
    parser.add_argument("--pre31", action="store_true", help="compare with duckdb_check.py --pre31")
    args = parser.parse_args()
    bench = shared_bench()
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; best of {args.repeat}")
    header = f"  {'':10s} {'wall s':>8s} {'CPU s':>8s} {'maxrss MB':>10s} {'tree PSS MB':>11s}"
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        root, records = city(args.cache, bench, args.people)
        print(f"\n{root.name}: {args.people:,} people, {records:,} records, --all as of {AS_OF}")
        ours, theirs, differences = bench_workspace(root, bench, args.repeat, args.pre31, tmp)
        print(header)
        print(row("lianfang", ours))
        print(row("duckdb", theirs))
        ratio = ours.wall / theirs.wall
        print(f"  ratio (wall) {ratio:.1f}×  — target ≤ {TARGET_RATIO:g}×: {verdict(ratio <= TARGET_RATIO)}")
        print(f"  wall {ours.wall:.1f} s — target ≤ {TARGET_WALL:g} s: {verdict(ours.wall <= TARGET_WALL)}")
        if args.people == 10_000:
            # the machine's speed swings (the same DuckDB run took 4.5 s when the targets were set
            # and 7.5-13 s in later sessions): the wall scaled by DuckDB's, for reading, not a verdict
            scaled = ours.wall * DUCKDB_WALL_AT_TARGETS / theirs.wall
            print(
                f"    (DuckDB took {DUCKDB_WALL_AT_TARGETS:g} s here when the targets were set and {theirs.wall:.1f} s "
                f"now; at the speed of then this wall would be ~{scaled:.1f} s: an estimate, not the target)"
            )
        peak = max(ours.maxrss_mb, ours.tree_mb)
        print(f"  peak {peak:.0f} MB — target ≤ {TARGET_RSS_MB} MB: {verdict(peak <= TARGET_RSS_MB)}")
        rules = "§3.1 readings" if not args.pre31 else "readings before §3.1 (--pre31)"
        if differences:
            print(f"  counts per rule and status (R2xx, K4xx; duckdb with {rules}): DIFFER")
            print("\n".join(differences))
        else:
            print(f"  counts per rule and status (R2xx, K4xx; duckdb with {rules}): equal")

        print(f"\nstages of one check of {root.name} (one run, CPU is the steadier figure):")
        phases(root)

        if not args.no_linearity:
            print("\nlinearity (lianfang, best of each):")
            points = []
            for people in sorted({2_500, 5_000, args.people}):
                ws, n = city(args.cache, bench, people)
                out = tmp / "l.json"
                cmd = lianfang_cmd("check", str(ws), "--as-of", AS_OF, "--all", "--format", "json", "-o", str(out))
                # the largest was measured above
                r = ours if people == args.people else best([measure(cmd) for _ in range(args.repeat)])
                points.append((n, r))
                print(
                    f"  {people:6,} people {n:10,} records: wall {r.wall:6.2f} s, CPU {r.cpu:6.2f} s, "
                    f"{r.cpu / n * 1e6:5.2f} µs CPU/record, peak {max(r.maxrss_mb, r.tree_mb):6.0f} MB"
                )
            (n0, r0), (n1, r1) = points[0], points[-1]
            print(
                f"  cost ∝ records^{math.log(r1.cpu / r0.cpu) / math.log(n1 / n0):.2f} (CPU), ^{math.log(r1.wall / r0.wall) / math.log(n1 / n0):.2f} (wall)"
            )

        example = ROOT / "examples" / "dongying"
        # as an installed wheel runs (pip compiles its modules): with PYTHONDONTWRITEBYTECODE set
        # (as in some sandboxes) an editable checkout would otherwise recompile every module on
        # every run, ~20% of the example's time
        import lianfang

        package = Path(lianfang.__file__).parent  # in a checkout its folders are symlinks, which
        folders = {package, *(p.resolve() for p in package.iterdir() if p.is_dir())}  # compileall skips
        subprocess.run([sys.executable, "-m", "compileall", "-q", *map(str, sorted(folders))], check=False)
        # a run takes half a second: best of EXAMPLE_RUNS (at least), as timeit takes the least of
        # its runs, so that one slow phase of a shared machine is not the figure
        runs = [
            measure(lianfang_cmd("check", str(example), "--as-of", EXAMPLE_AS_OF))
            for _ in range(max(EXAMPLE_RUNS, args.repeat))
        ]
        r = best(runs)
        print(
            f"\nexample (whole process): wall {r.wall:.2f} s, CPU {r.cpu:.2f} s (best of {len(runs)}; median "
            f"{sorted(x.wall for x in runs)[len(runs) // 2]:.2f} s) — target ≤ {TARGET_EXAMPLE:g} s: {verdict(r.wall <= TARGET_EXAMPLE)}"
        )

        if args.city:
            sys.path.insert(0, str(ROOT / "scripts"))
            from generate_unit import generate

            units_root = args.cache / f"units-{args.units}"
            if not (units_root / ".done").is_file():
                shutil.rmtree(units_root, ignore_errors=True)
                for i in range(args.units):
                    generate(units_root / f"unit{i:03d}", people=60, per_department=10, seed=i)
                (units_root / ".done").write_text("", encoding="utf-8")
            units = sorted(str(p) for p in units_root.iterdir() if p.is_dir())
            cmd = lianfang_cmd("check", *units, "--as-of", EXAMPLE_AS_OF, "--format", "json")
            if args.workers:
                cmd += ["--workers", str(args.workers)]
            out = tmp / "units.json"
            r = best([measure(cmd, out) for _ in range(args.repeat)])
            summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
            print(
                f"\n{len(units)} units through the Dask scheduler (local cluster): wall {r.wall:.2f} s, "
                f"CPU {r.cpu:.2f} s, tree peak {r.tree_mb:.0f} MB, exit {r.code}, units by exit {summary['by_exit']}"
            )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
