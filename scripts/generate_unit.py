"""Generate a large synthetic workspace: N people, a year of weekly diary entries.

Used by the scale test and by scripts/bench_check.py. Deterministic for a given seed.

    python scripts/generate_unit.py OUT_DIR --people 2000
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

EVALS = {"self": "2026-06-05", "peer": "2026-06-10", "public": "2026-06-15", "collective": "2026-06-20"}


def generate(root: Path, people: int = 2000, per_department: int = 20, seed: int = 7) -> Path:
    """Write a workspace with ``people`` staff in departments of ``per_department``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    departments = max(1, people // per_department)
    leaders = [{"id": f"ldr-{i}", "name": f"领导{i}", "role": "leader"} for i in range(5)]
    staff = [{"id": f"p{i:05d}", "name": f"职工{i}"} for i in range(people)]
    depts, posts, gradings = [], [], []
    for d in range(departments):
        members = staff[d * per_department : (d + 1) * per_department]
        depts.append(
            {
                "id": f"d{d:03d}",
                "name": f"部室{d}",
                "head": members[0]["id"],
                "leader_in_charge": f"ldr-{1 + d % 4}",
                "key": d < 12,
            }
        )
        for m in members:
            posts.append(
                {"id": f"post-{m['id']}", "name": f"岗位{m['id']}", "department": f"d{d:03d}", "holder": m["id"]}
            )
    for subject in [d["id"] for d in depts] + [p["id"] for p in posts] + [x["id"] for x in leaders]:
        gradings.append(
            {"subject": subject, "level": rng.choice([1, 2, 3]), "evaluations": EVALS, "review": "2026-06-23"}
        )
    org = {
        "unit": {"id": "unit", "name": "测试大单位", "main_leader": "ldr-0", "programme_leader": "ldr-1"},
        "people": leaders + staff,
        "departments": depts,
        "posts": posts,
    }
    risks = {"gradings": gradings, "powers": [], "risk_points": []}
    (root / "lianfang.yaml").write_text("year: 2026\n", encoding="utf-8")
    (root / "org.yaml").write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "risks.yaml").write_text(yaml.safe_dump(risks, allow_unicode=True, sort_keys=False), encoding="utf-8")
    records = root / "records"
    records.mkdir(exist_ok=True)
    with (records / "diary.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "kind", "date", "subject", "period", "by", "result", "ref", "note"])
        n = 0
        for person in staff:
            day = date(2026, 1, 2) + timedelta(days=rng.randrange(7))
            while day.year == 2026:
                n += 1
                writer.writerow([f"D{n:07d}", "diary_entry", day.isoformat(), person["id"], "", "", "", "", ""])
                day += timedelta(days=7)
    with (records / "monthly.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "kind", "date", "subject", "period", "by", "result", "ref", "note"])
        for d in depts:
            for month in range(9, 12):
                writer.writerow(
                    [
                        f"M-{d['id']}-{month}",
                        "dept_monthly_report",
                        f"2026-{month:02d}-28",
                        d["id"],
                        f"2026-{month:02d}",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    generate(args.out, args.people)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
