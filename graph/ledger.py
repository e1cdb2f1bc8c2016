"""The ledger view (廉政风险台账, 一览表): the diagram's risk points as a table to print.

Columns (SPEC §6): 序号 | 部室 | 风险类别 | 风险点 | 主要表现形式 | 风险等级 | 防控措施 | 部门负责人 |
责任领导; with findings from a check, one more column names them. Written as CSV (UTF-8 with
a byte-order mark, so that Excel on Chinese Windows opens it as UTF-8) or as Markdown.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from lianfang.checker.escape import csv_cell, markdown_text
from lianfang.checker.labels import RISK_FIELD_LABELS, STATUS_LABELS, category_label, level_label
from lianfang.graph.model import children, node_id, nodes_of

_OWN_COLUMNS = {
    "zh": ("序号", "部室", "部门负责人", "责任领导"),
    "en": ("No.", "Department", "Department head", "Leaders accountable"),
}
#: SPEC §6's columns; the risk point's own are named as the forms name them
COLUMNS = {
    lang: [
        number,
        department,
        *(
            RISK_FIELD_LABELS[lang][f][:1].upper() + RISK_FIELD_LABELS[lang][f][1:]
            for f in ("category", "description", "form", "level", "measure")
        ),
        head,
        leaders,
    ]
    for lang, (number, department, head, leaders) in _OWN_COLUMNS.items()
}
FINDINGS_COLUMN = {"zh": "检查发现", "en": "Open findings"}
WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "ungraded": "未定级",
        "unit": "{name}（单位）",
        "measure": "{i}. {name}（{owner}）",
        "leader": "会领导（{name}）",
        "none": "未明确",
        "no_owner": "未明确责任人",
    },
    "en": {
        "ungraded": "ungraded",
        "unit": "{name} (unit)",
        "measure": "{i}. {name} ({owner})",
        "leader": "Leader ({name})",
        "none": "none named",
        "no_owner": "no owner",
    },
}


def _name(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n]["name"]) if n in g else n.split(":", 1)[-1]


def _person(g: nx.MultiDiGraph, person: str) -> str:
    return _name(g, node_id("person", person)) if person else ""


def ledger_rows(g: nx.MultiDiGraph, lang: str = "zh") -> list[list[str]]:
    """One row per risk point of the graph (already scoped), the unit's first, then by department.

    Multi-line cells (measures) are lists joined with newlines; writers adapt them.
    """
    w = WORDS[lang]
    unit = nodes_of(g, "unit")[0]
    order = {unit: -1} | {d: i for i, d in enumerate(nodes_of(g, "department"))}
    risks = nodes_of(g, "risk")
    position = {r: i for i, r in enumerate(risks)}

    def department_key(r: str) -> int:
        owner_department = g.nodes[r].get("department")
        return order.get(node_id("department", owner_department) if owner_department else unit, len(order))

    with_findings = bool(g.graph.get("as_of"))
    rows = []
    for number, r in enumerate(sorted(risks, key=lambda r: (department_key(r), position[r])), start=1):
        data = g.nodes[r]
        owner_kind, owner = data.get("owner_kind"), str(data.get("owner", ""))
        owner_node = f"{owner_kind}:{owner}"
        dept_id = data.get("department")
        dept = node_id("department", dept_id) if dept_id else None
        if owner_kind == "unit":
            where = w["unit"].format(name=g.graph.get("unit_short") or _name(g, unit))
        elif owner_kind == "person" and dept is None:
            where = w["leader"].format(name=_name(g, owner_node))
        elif owner_kind == "post":
            where = f"{_name(g, dept) if dept else ''}·{_name(g, owner_node)}"
        else:
            where = _name(g, dept) if dept else _name(g, owner_node)
        measures = []
        for i, m in enumerate(children(g, r, "controlled_by"), start=1):
            md = g.nodes[m]
            owner_name = _person(g, str(md.get("owner", ""))) or w["no_owner"]
            measures.append(w["measure"].format(i=i, name=md["name"], owner=owner_name))
        accountable = [_person(g, p) for p in str(data.get("accountable", "")).split(",") if p]
        if dept is not None and dept in g:
            head = _person(g, str(g.nodes[dept].get("head", ""))) or w["none"]
            leaders = _person(g, str(g.nodes[dept].get("leader_in_charge", ""))) or w["none"]
        else:
            # the unit's and the leaders' own risks: no department head; the leaders are the
            # accountable chain (the leader, the main leader)
            head = "—"
            leaders = "、".join(a for a in accountable if a) or w["none"]
        level = data.get("level")
        row = [
            str(number),
            where,
            category_label(str(data.get("category", "")), lang),
            str(data.get("description", "")),
            str(data.get("form", "")),
            level_label(level, lang, stars=True, ungraded=w["ungraded"]),
            "\n".join(measures),
            head,
            leaders,
        ]
        if with_findings:
            row.append(_findings(g, r, owner_node, lang))
        rows.append(row)
    return rows


def _findings(g: nx.MultiDiGraph, r: str, owner_node: str, lang: str) -> str:
    """The open findings of the risk point and of its owner (a post or leader), counted."""
    items: list[str] = []
    for n in (r, owner_node) if g.nodes[r].get("owner_kind") in ("post", "person") else (r,):
        if n in g:
            items += [x for x in str(g.nodes[n].get("finding_items", "")).split(",") if x]
    status = STATUS_LABELS[lang]
    parts = []
    for item, count in sorted(Counter(items).items()):
        rule, _, st = item.partition(" ")
        parts.append(f"{rule} {status.get(st, st)}" + (f" ×{count}" if count > 1 else ""))
    return "; ".join(parts)


def ledger_header(g: nx.MultiDiGraph, lang: str = "zh") -> list[str]:
    """The column headings, with the findings column when the graph carries a check's findings."""
    return COLUMNS[lang] + ([FINDINGS_COLUMN[lang]] if g.graph.get("as_of") else [])


def ledger_csv(g: nx.MultiDiGraph, lang: str = "zh") -> str:
    """The ledger as CSV text (cells with several measures keep their line breaks)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ledger_header(g, lang))
    writer.writerows([csv_cell(c) for c in row] for row in ledger_rows(g, lang))
    return out.getvalue()


def _md_cell(text: str) -> str:
    return markdown_text(text)


def ledger_markdown(g: nx.MultiDiGraph, lang: str = "zh") -> str:
    """The ledger as a Markdown table, with a heading naming the unit and the year."""
    header = ledger_header(g, lang)
    title = f"{g.graph.get('unit', '')} {g.graph.get('year', '')}"
    title += "年度廉政风险防控台账" if lang == "zh" else " integrity-risk ledger"
    if g.graph.get("as_of"):
        title += f"（截至 {g.graph['as_of']}）" if lang == "zh" else f" (as of {g.graph['as_of']})"
    lines = [f"# {markdown_text(title)}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in ledger_rows(g, lang)]
    return "\n".join(lines) + "\n"


LEDGER_SUFFIXES = (".csv", ".md")


def write_ledger(g: nx.MultiDiGraph, path: Path, lang: str = "zh") -> None:
    """Write the ledger; the file's extension (.csv or .md) chooses the form."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_text(ledger_csv(g, lang), encoding="utf-8-sig", newline="")
    elif suffix == ".md":
        path.write_text(ledger_markdown(g, lang), encoding="utf-8")
    else:
        raise ValueError(f"a ledger is written as .csv or .md, not {suffix!r}")
