"""Benchmark: the network diagram of a generated large unit (default 200 departments).

    python scripts/bench_graph.py [--departments 200] [--powers-in-first 30] [--keep DIR]

Builds on scripts/generate_unit.py (people, posts, gradings, diary records) and adds power
items, steps and risk points: two or three power items per department, risk points on their
steps, one risk point per department linked to none, and the first department with
``--powers-in-first`` power items (the legibility case of ``--department``). Prints timings
of each stage; asserts nothing (speed targets live here, not in the tests).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_unit import generate

from lianfang.checker.run import open_workspace, run_check
from lianfang.graph.fonts import choose_cjk_font
from lianfang.graph.ledger import ledger_csv
from lianfang.graph.model import build_graph, scope
from lianfang.graph.render import RenderOptions, build_dot

T = TypeVar("T")
STEPS = ["申请", "受理", "审核", "复核", "审批", "公示", "办结", "归档"]
DESCRIPTIONS = [
    "审核把关不严，优亲厚友",
    "违规审批，收受好处",
    "公示走过场",
    "资金拨付不及时、截留挪用",
    "资料造假，虚报冒领",
]
MEASURES = ["双人审核，结果公示", "集体决策，纪检全程监督", "每月核对台账并公示", "与相关部门数据比对"]


def add_risks(root: Path, departments: int, powers_in_first: int, seed: int = 11) -> tuple[int, int]:
    """Add power items and risk points to a generated workspace; return their counts."""
    rng = random.Random(seed)
    org = yaml.safe_load((root / "org.yaml").read_text(encoding="utf-8"))
    risks = yaml.safe_load((root / "risks.yaml").read_text(encoding="utf-8"))
    posts_by_dept: dict[str, list[str]] = {}
    for post in org["posts"]:
        posts_by_dept.setdefault(post["department"], []).append(post["id"])
    powers: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for d in org["departments"][:departments]:
        dept = d["id"]
        count = powers_in_first if dept == org["departments"][0]["id"] else rng.choice([2, 3])
        for i in range(count):
            steps = STEPS[: rng.randint(4, 8)]
            pid = f"pw-{dept}-{i}"
            powers.append(
                {"id": pid, "name": f"{dept}权力事项{i}", "department": dept, "category": "行政确认", "steps": steps}
            )
            for j in range(rng.randint(1, 4)):
                level = rng.choice([1, 2, 3])
                owner = rng.choice([dept, *posts_by_dept.get(dept, [])[:3]])
                points.append(
                    {
                        "id": f"rp-{pid}-{j}",
                        "owner": owner,
                        "category": "业务流程" if owner == dept else "岗位职责",
                        "description": rng.choice(DESCRIPTIONS),
                        "form": "表现形式示例",
                        "level": level,
                        "power_item": pid,
                        "step": rng.choice(steps),
                        "measures": [{"description": rng.choice(MEASURES), "owner": d["head"]}],
                        "responsible": d["head"],
                    }
                )
        points.append(
            {
                "id": f"rp-{dept}-free",
                "owner": posts_by_dept[dept][0],
                "category": "廉洁自律",
                "description": "未关联权力事项的岗位风险",
                "level": 3,
                "measures": [{"description": "廉政谈话每半年一次", "owner": d["head"]}],
                "responsible": d["head"],
            }
        )
    risks["powers"] = powers
    risks["risk_points"] = points
    (root / "risks.yaml").write_text(yaml.safe_dump(risks, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(powers), len(points)


def timed(label: str, action: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = action()
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--per-department", type=int, default=10, help="people per department")
    parser.add_argument("--powers-in-first", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="write the workspace and the outputs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        root = generate(out / "unit", args.departments * args.per_department, args.per_department)
        powers, points = add_risks(root, args.departments, args.powers_in_first)
        print(f"unit: {args.departments} departments, {powers} power items, {points} risk points")
        ws, catalogue = timed("load workspace", lambda: open_workspace(root))
        result = timed("check (as of 2026-11-30)", lambda: run_check(ws, catalogue, date(2026, 11, 30)))
        g = timed("build networkx graph (with findings)", lambda: build_graph(ws, result.findings, "2026-11-30"))
        print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
        timed("ledger (CSV)", lambda: ledger_csv(g))
        options = RenderOptions(date="2026-11-30", font=choose_cjk_font())
        dot = timed("DOT source, whole unit", lambda: build_dot(g, options))
        svg = timed("dot -Tsvg, whole unit", lambda: dot.pipe(format="svg", encoding=None))
        print(f"  SVG {len(svg) / 2**20:.1f} MiB")
        first = ws.org.departments[0].id
        part = scope(g, first)
        one = RenderOptions(date="2026-11-30", font=choose_cjk_font(), department=first)
        png = timed(
            f"dot -Tpng, --department {first} ({args.powers_in_first} items)",
            lambda: build_dot(part, one).pipe(format="png", encoding=None),
        )
        print(f"  PNG {len(png) / 2**20:.1f} MiB")
        if args.keep:
            (out / "unit.svg").write_bytes(svg)
            (out / f"{first}.png").write_bytes(png)
            print(f"wrote {out / 'unit.svg'} and {out / f'{first}.png'}")


if __name__ == "__main__":
    main()
