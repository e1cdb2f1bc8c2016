"""Draw the network diagram (廉政风险防控管理网络图) with graphviz.

Layout, left to right: the unit (main leader) → the leaders in charge → one cluster per
department (its head) → each power item's steps in order (权力运行轨迹) → the risk points,
each hanging on the step where it arises, coloured and labelled by level, with its measures,
their owners and the accountable people. Risk points that arise at no step sit in a box of
their department, or of the unit for the unit's and the leaders' own.

Each risk point is placed in its step's rank by an invisible edge from the step before, and
joined to the step by a visible edge that does not constrain the ranks: the risk then
stands in its step's column instead of pushing the next step one column to the right.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz
import networkx as nx

from lianfang.checker.escape import dot_string, html_text
from lianfang.checker.labels import STATUS_LABELS, category_label, count_label, level_label
from lianfang.checker.result import STATUS_ORDER
from lianfang.graph.fonts import FALLBACK
from lianfang.graph.model import children, nodes_of, parents, placement

RENDERED_FORMATS = ("svg", "png", "pdf")

LEVEL_COLOURS = {1: "#d73027", 2: "#f28e2b", 3: "#fdd835"}
LEVEL_TINTS = {1: "#fde4e1", 2: "#feecd9", 3: "#fff8d6"}
LEVEL_TEXT = {1: "white", 2: "black", 3: "black"}
UNGRADED_COLOUR = "#bdbdbd"
FINDING_COLOUR = "#6a1b9a"
DEPT_COLOUR = "#1f4e79"
POWER_COLOUR = "#37474f"
STEP_COLOUR = "#e3eefa"
EDGE_GREY = "#7f8c8d"
#: the order open findings are listed on a node, gravest first (the check's order)
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
#: drawn nodes above which the layout's last phase is capped (see Drawing.build)
LARGE = 1500
NSLIMIT_LARGE = "0.1"
#: the marker of a node with open findings (in the CJK font, unlike ⚠)
MARK = "▲"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "colon": "：",
        "paren": "（{}）",
        "list_sep": "、",
        "title": "{unit}廉政风险防控管理网络图",
        "year": "{year}年度",
        "as_of": "截至 {date}（检查发现为当日未结事项）",
        "drawn": "制图日期 {date}",
        "ungraded": "未定级",
        "not_in_force": "未经党组审核",
        "main_leader": "主要领导",
        "programme_leader": "分管本项工作",
        "leader_in_charge": "分管领导",
        "head": "部门负责人",
        "no_head": "未明确",
        "key": "重点部室",
        "measures": "防控措施",
        "no_measures": "无防控措施",
        "no_owner": "未明确责任人",
        "owner": "责任主体",
        "accountable": "责任人",
        "unlinked": "未关联权力事项的风险点",
        "unit_unlinked": "单位及会领导：未关联权力事项的风险点",
        "leadership": "会领导班子",
        "legend": "图例",
        "legend_risk": "风险点（按等级着色，并标注星级）",
        "legend_dept_box": "部室",
        "legend_ungraded": "风险点未定级，或部室、领导未定风险等级",
        "legend_power_box": "权力事项",
        "legend_power": "权力事项",
        "legend_step": "运行环节（按顺序）",
        "legend_dept": "部室（负责人、分管领导）",
        "legend_findings": "{mark} n：截至检查日的未结检查发现（{missed}、{late}等）",
        "legend_tiers": "连线：主要领导 — 分管领导 — 部室 — 权力事项 → 环节 — 风险点",
    },
    "en": {
        "colon": ": ",
        "paren": " ({})",
        "list_sep": ", ",
        "title": "{unit} — integrity-risk prevention network diagram",
        "year": "programme year {year}",
        "as_of": "as of {date} (open findings on that day)",
        "drawn": "drawn {date}",
        "ungraded": "ungraded",
        "not_in_force": "not reviewed",
        "main_leader": "Main leader",
        "programme_leader": "In charge of the programme",
        "leader_in_charge": "Leader in charge",
        "head": "Head",
        "no_head": "none named",
        "key": "key department",
        "measures": "Measures",
        "no_measures": "no measure",
        "no_owner": "no owner",
        "owner": "Owner",
        "accountable": "Accountable",
        "unlinked": "Risk points not linked to a power item",
        "unit_unlinked": "Unit and leaders: risk points not linked to a power item",
        "leadership": "Leadership",
        "legend": "Legend",
        "legend_risk": "risk point (coloured and starred by level)",
        "legend_dept_box": "department",
        "legend_ungraded": "risk point, department or leader without a level",
        "legend_power_box": "power item",
        "legend_power": "power item",
        "legend_step": "step (in order)",
        "legend_dept": "department (head, leader in charge)",
        "legend_findings": "{mark} n: open findings as of the check date ({missed}, {late} …)",
        "legend_tiers": "lines: main leader — leader in charge — department — power item → steps — risk points",
    },
}


@dataclass
class RenderOptions:
    """What to draw and how: language, a department or power item alone, title date, font."""

    lang: str = "zh"
    department: str | None = None
    power: str | None = None
    #: the date in the title (the as-of date of the findings, or the day it was drawn)
    date: str = ""
    font: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- text


def _width(text: str) -> float:
    """Display width in CJK characters (Latin letters count half)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


#: a line may end after these, and start before OPENING; never start with CLOSING
BREAK_AFTER = "，。；、：,;:）) —"
OPENING = "（(《“"
CLOSING = "，。；、：,;:）)》”！？"


def wrap(text: str, width: float) -> list[str]:
    """Break a label into lines of about ``width`` CJK characters, at punctuation if possible.

    A line breaks after a comma or before an opening bracket when that keeps at least half
    of it, and a closing bracket or comma stays on the line it closes (one character over).
    """
    lines: list[str] = []
    line = ""
    for i, char in enumerate(text):
        line += char
        following = text[i + 1] if i + 1 < len(text) else ""
        if _width(line) < width or following in CLOSING:
            continue
        cuts = [
            j
            for j in range(1, len(line))
            if (line[j - 1] in BREAK_AFTER or line[j] in OPENING) and _width(line[:j]) >= width / 2
        ]
        if cuts:
            lines.append(line[: cuts[-1]])
            line = line[cuts[-1] :]
        else:
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return [x.strip() for x in lines if x.strip()] or [""]


def esc(text: str) -> str:
    """Escape for an HTML-like graphviz label."""
    return html_text(text)


def plain_label(text: str) -> str:
    """A plain (quoted) graphviz string: never read as an HTML label, backslashes and quotes escaped."""
    return graphviz.nohtml(dot_string(text))


def lines_html(lines: list[str], align: str = "LEFT") -> str:
    """Lines joined by graphviz line breaks, each escaped."""
    return f'<BR ALIGN="{align}"/>'.join(esc(x) for x in lines) + f'<BR ALIGN="{align}"/>'


def circled(n: int) -> str:
    """①–⑳ for a step's order, then (21), (22) …"""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


# --------------------------------------------------------------------------- the drawing


class Drawing:
    """Builds the graphviz source from the networkx model (graph.model.build_graph)."""

    def __init__(self, g: nx.MultiDiGraph, options: RenderOptions):
        self.g = g
        self.o = options
        self.t = LABELS[options.lang]
        self.font = options.font or FALLBACK
        self._names: dict[str, str] = {}
        self._unattached: dict[str | None, list[str]] = {}
        self._unlinked: dict[str, list[str]] = {}
        self.unit = nodes_of(g, "unit")[0]
        # rows of unlinked risk points as wide as the longest power item, three to six
        self._grid_width = min(6, max([3] + [int(n) for _, n in g.nodes(data="steps") if n]))
        self.dot = graphviz.Digraph(name="lianfang", engine="dot")

    # ---- ids and names

    def name(self, n: str) -> str:
        """A dot node name free of ``:`` (the python graphviz package reads it as a port)."""
        if n not in self._names:
            self._names[n] = f"n{len(self._names)}"
        return self._names[n]

    def person(self, person_id: str) -> str:
        n = f"person:{person_id}"
        return str(self.g.nodes[n]["name"]) if n in self.g else person_id

    def field(self, key: str, value: str) -> str:
        """``负责人：张三`` / ``Head: Zhang San``: a label and its value, punctuated for the language."""
        return f"{self.t[key]}{self.t['colon'].rstrip() if not value else self.t['colon']}{value}"

    def paren(self, text: str) -> str:
        """``（text）`` in Chinese, `` (text)`` in English."""
        return self.t["paren"].format(text)

    def level_label(self, level: int | None) -> str:
        return level_label(level, self.o.lang, stars=True, ungraded=self.t["ungraded"])

    # ---- findings: a node shows its own, and those of subjects not drawn as nodes

    def status_label(self, status: str) -> str:
        return STATUS_LABELS[self.o.lang].get(status, status)

    def finding_items(self, n: str, named: bool = False) -> list[str]:
        """The open findings of node ``n`` as ``RULE status`` items.

        ``named`` appends ``|name`` to each: the node shows another subject's findings (a
        post's on its risk point, a person's on the department) and says whose they are.
        """
        value = self.g.nodes[n].get("finding_items", "") if n in self.g else ""
        suffix = f"|{self.g.nodes[n]['name']}" if named and value else ""
        return [x + suffix for x in str(value).split(",") if x]

    def risk_items(self, r: str) -> list[str]:
        """A risk point's own findings and its owner's, when the owner has no node of its own."""
        items = self.finding_items(r)
        for owner in self.owner_nodes(self.g.nodes[r]):
            items += self.finding_items(owner, named=True)
        return items

    def findings_row(self, items: list[str], colspan: int = 1) -> str:
        """A table row naming the open findings by rule and status, with the count."""
        if not items:
            return ""
        counts = Counter(items)
        shown = []

        # the node's own first, the gravest first (missed before due soon), then by rule
        def order(entry: tuple[str, int]) -> tuple[bool, int, str]:
            what, _, whose = entry[0].partition("|")
            return (bool(whose), STATUS_RANK.get(what.partition(" ")[2], 9), entry[0])

        for item, count in sorted(counts.items(), key=order):
            what, _, whose = item.partition("|")
            rule, _, status = what.partition(" ")
            line = f"{rule} {self.status_label(status)}" + (f" ×{count}" if count > 1 else "")
            shown.append(line + (self.paren(whose) if whose else ""))
        more = len(shown) - 4
        shown = shown[:4] + ([count_label("more", more, self.o.lang)] if more > 0 else [])
        head = f"{MARK} {count_label('open_finding', len(items), self.o.lang)}"
        return (
            f'<TR><TD COLSPAN="{colspan}" BGCOLOR="{FINDING_COLOUR}" ALIGN="LEFT">'
            f'<FONT COLOR="white"><B>{esc(head)}</B><BR ALIGN="LEFT"/>'
            f'<FONT POINT-SIZE="10">{lines_html(shown)}</FONT></FONT></TD></TR>'
        )

    # ---- node labels

    def risk_label(self, r: str) -> str:
        data = self.g.nodes[r]
        level = data.get("level")
        colour = LEVEL_COLOURS.get(level, UNGRADED_COLOUR)
        tint = LEVEL_TINTS.get(level, "#f5f5f5")
        text = LEVEL_TEXT.get(level, "black")
        measures = []
        for i, m in enumerate(children(self.g, r, "controlled_by"), start=1):
            md = self.g.nodes[m]
            owner = self.person(md["owner"]) if md.get("owner") else self.t["no_owner"]
            measures += wrap(f"{circled(i)} {md['name']}{self.paren(owner)}", 19)
        if not measures:
            measures = [self.t["no_measures"]]
        owner_line = self.field("owner", self.owner_name(data))
        accountable = [self.person(p) for p in str(data.get("accountable", "")).split(",") if p]
        people = self.field("accountable", self.t["list_sep"].join(accountable) or self.t["no_owner"])
        items = self.risk_items(r)
        header = f"{self.level_label(level)}  {category_label(str(data.get('category', '')), self.o.lang)}"
        return (
            f'<<TABLE BORDER="2" COLOR="{colour}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" BGCOLOR="{tint}">'
            f'<TR><TD BGCOLOR="{colour}" ALIGN="LEFT"><FONT COLOR="{text}"><B>{esc(header)}</B></FONT></TD>'
            f'<TD BGCOLOR="{colour}" ALIGN="RIGHT"><FONT COLOR="{text}" POINT-SIZE="9">{esc(data["ref"])}</FONT></TD></TR>'
            f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{lines_html(wrap(data["name"], 15))}</B></TD></TR>'
            f'<TR><TD COLSPAN="2" ALIGN="LEFT" BGCOLOR="white"><FONT POINT-SIZE="10">'
            f'{esc(self.field("measures", ""))}<BR ALIGN="LEFT"/>{lines_html(measures)}</FONT></TD></TR>'
            f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="10">'
            f"{lines_html(wrap(owner_line, 20) + wrap(people, 20))}</FONT></TD></TR>"
            f"{self.findings_row(items, 2)}</TABLE>>"
        )

    def owner_nodes(self, data: dict[str, Any]) -> list[str]:
        """The owner's node when the owner is not drawn (a post or a leader's own risk)."""
        if data.get("owner_kind") in ("post", "person"):
            return [f"{data['owner_kind']}:{data['owner']}"]
        return []

    def owner_name(self, data: dict[str, Any]) -> str:
        n = f"{data.get('owner_kind')}:{data.get('owner')}"
        if n not in self.g:  # an owner outside the part drawn (--department, --power)
            return str(data.get("owner_name") or data.get("owner", ""))
        owner = self.g.nodes[n]
        if owner["kind"] == "post" and owner.get("holder"):
            return f"{owner['name']}{self.paren(self.person(owner['holder']))}"
        return str(owner["name"])

    def grade_cell(self, data: dict[str, Any], colspan: int = 1) -> str:
        level: int = data.get("level", 0)
        colour = LEVEL_COLOURS.get(level, UNGRADED_COLOUR)
        text = self.level_label(level)
        if level and not data.get("level_in_force", True):
            text += self.paren(self.t["not_in_force"])
        return (
            f'<TR><TD COLSPAN="{colspan}" BGCOLOR="{colour}"><FONT COLOR="{LEVEL_TEXT.get(level, "black")}">'
            f"{esc(text)}</FONT></TD></TR>"
        )

    def department_label(self, d: str, extra_items: list[str]) -> str:
        data = self.g.nodes[d]
        head = self.person(data["head"]) if data.get("head") else self.t["no_head"]
        lic = self.person(data["leader_in_charge"]) if data.get("leader_in_charge") else self.t["no_head"]
        people = lines_html([self.field("head", head), self.field("leader_in_charge", lic)])
        rows = [
            f'<TR><TD BGCOLOR="{DEPT_COLOUR}"><FONT COLOR="white" POINT-SIZE="16"><B>{esc(data["name"])}</B></FONT></TD></TR>',
            self.grade_cell(data),
            f'<TR><TD ALIGN="LEFT">{people}</TD></TR>',
        ]
        if data.get("key_subject"):
            rows.append(f"<TR><TD><B>{esc(self.t['key'])}</B></TD></TR>")
        rows.append(self.findings_row(self.finding_items(d) + extra_items))
        return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" BGCOLOR="white">{"".join(rows)}</TABLE>>'

    def leader_label(self, p: str) -> str:
        data = self.g.nodes[p]
        rows = [
            f"<TR><TD>{esc(self.t['leader_in_charge'])}</TD></TR>",
            f'<TR><TD><FONT POINT-SIZE="16"><B>{esc(data["name"])}</B></FONT></TD></TR>',
            self.grade_cell(data),
            self.findings_row(self.finding_items(p)),
        ]
        return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" BGCOLOR="white">{"".join(rows)}</TABLE>>'

    def unit_label(self, u: str, extra_items: list[str]) -> str:
        data = self.g.nodes[u]
        main = self.field("main_leader", self.person(data["main_leader"]))
        programme = self.field("programme_leader", self.person(data["programme_leader"]))
        rows = [
            f'<TR><TD BGCOLOR="{DEPT_COLOUR}"><FONT COLOR="white" POINT-SIZE="18"><B>{esc(data["name"])}</B></FONT></TD></TR>',
            f'<TR><TD ALIGN="LEFT">{lines_html([main, programme])}</TD></TR>',
            self.findings_row(self.finding_items(u) + extra_items),
        ]
        return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" BGCOLOR="white">{"".join(rows)}</TABLE>>'

    # ---- what is drawn

    def unlinked(self, where: str) -> list[str]:
        """Risk points that hang on no step and are drawn in ``where`` (a department or the unit)."""
        return self._unlinked.get(where, [])

    def owner_key(self, r: str) -> str:
        data = self.g.nodes[r]
        return f"{data['owner_kind']}:{data['owner']}"

    # ---- building

    def build(self) -> graphviz.Digraph:
        """The whole diagram as a graphviz graph."""
        dot, font = self.dot, self.font
        drawn = sum(1 for _, kind in self.g.nodes(data="kind") if kind in ("risk", "step", "power", "department"))
        if drawn > LARGE:
            # dot's final network simplex (coordinates) grows faster than linearly: on a
            # 200-department unit it took 16 of 18 seconds. Capping its iterations keeps the
            # layout valid (nothing overlaps) and only a little less compact.
            dot.attr("graph", nslimit=NSLIMIT_LARGE)
        dot.attr(
            "graph",
            rankdir="LR",
            newrank="true",
            nodesep="0.18",
            ranksep="0.45",
            fontname=font,
            label=self.title(),
            labelloc="t",
            labeljust="l",
            id="lianfang-network",
            bgcolor="white",
            pad="0.3",
            outputorder="edgesfirst",
        )
        dot.attr("node", shape="plain", fontname=font, fontsize="12")
        dot.attr("edge", fontname=font, color=EDGE_GREY, arrowsize="0.7")
        unit = self.unit
        depts = nodes_of(self.g, "department")
        leaders: dict[str, str] = {}
        for d in depts:
            for p in children(self.g, d, "in_charge"):
                leaders.setdefault(p, self.name(p))
        self.index_unattached(set(leaders))
        for r in nodes_of(self.g, "risk"):
            if not parents(self.g, r, "risk_at"):
                self._unlinked.setdefault(placement(self.g, r), []).append(r)
        self.node(unit, self.unit_label(unit, self._unattached.get(None, [])), "unit")
        for p in leaders:
            self.node(p, self.leader_label(p), "person leader")
            self.edge(unit, p, "supervises", dir="none", penwidth="1.5")
        for i, d in enumerate(depts):
            self.department(i, d, leaders)
        risks = self.unlinked(unit)
        if risks:
            with dot.subgraph(name="cluster_unit_unlinked") as c:
                c.attr(
                    label=self.t["unit_unlinked"], style="rounded,dashed", color=DEPT_COLOUR, fontsize="14", margin="12"
                )
                anchor = "anchor:unit"
                c.node(
                    self.name(anchor),
                    label=esc(self.t["leadership"]),
                    shape="box",
                    style="rounded,filled",
                    fillcolor="white",
                    color=DEPT_COLOUR,
                    fontsize="14",
                    id="unit-leadership",
                )
                self.edge(unit, anchor, "supervises", dir="none", minlen="2", penwidth="1.5")
                self.grid(c, anchor, risks)
        return dot

    def index_unattached(self, drawn_people: set[str]) -> None:
        """Group the findings of posts and people drawn nowhere by their department.

        A post or person is drawn nowhere when it is not a leader node and owns no risk
        point (whose node shows its owner's findings); its findings then go on its
        department's node, or on the unit's for people of no department.
        """
        owners_shown = {self.owner_key(r) for r in nodes_of(self.g, "risk")}
        for n, data in self.g.nodes(data=True):
            if data.get("kind") not in ("post", "person") or n in drawn_people or n in owners_shown:
                continue
            items = self.finding_items(n, named=True)
            if items:
                self._unattached.setdefault(self.department_of(n), []).extend(items)

    def department_of(self, n: str) -> str | None:
        data = self.g.nodes[n]
        if data["kind"] == "post":
            return f"department:{data['department']}"
        for post in parents(self.g, n, "held_by"):
            return f"department:{self.g.nodes[post]['department']}"
        for d in parents(self.g, n, "headed_by"):
            return d
        return None

    def department(self, i: int, d: str, leaders: dict[str, str]) -> None:
        dot = self.dot
        with dot.subgraph(name=f"cluster_d{i}") as c:
            # the name also labels the box, at its top, for readers of a tall poster
            c.attr(
                label=plain_label(str(self.g.nodes[d]["name"])),
                labeljust="l",
                labelloc="t",
                fontsize="18",
                fontcolor=DEPT_COLOUR,
                style="rounded,filled",
                color="#9fb3c8",
                fillcolor="#f4f7fb",
                margin="14",
                penwidth="1.5",
            )
            extra = self._unattached.get(d, [])
            self.node(d, self.department_label(d, extra), "department", graph=c)
            lic = [p for p in children(self.g, d, "in_charge") if p in leaders]
            unit = self.unit
            if lic:
                self.edge(lic[0], d, "supervises", dir="none", penwidth="1.5")
            else:
                self.edge(unit, d, "supervises", dir="none", minlen="2", style="dashed", penwidth="1.5")
            # dot stacks sibling clusters bottom-up in the order they are stated (rankdir=LR
            # turns its left-to-right order upwards): stating the power items last-first
            # shows them top-down in the order of the register
            powers = children(self.g, d, "exercises")
            for j, p in reversed(list(enumerate(powers))):
                with c.subgraph(name=f"cluster_d{i}_p{j}") as lane:
                    lane.attr(
                        label="", style="rounded,filled", color="#cfd8dc", fillcolor="white", margin="10", penwidth="1"
                    )
                    self.power_lane(lane, d, p)
            risks = self.unlinked(d)
            if risks:
                with c.subgraph(name=f"cluster_d{i}_unlinked") as box:
                    box.attr(
                        label=self.t["unlinked"],
                        style="rounded,dashed",
                        color=DEPT_COLOUR,
                        fillcolor="white",
                        fontsize="13",
                        margin="10",
                    )
                    self.grid(box, d, risks, outer=c)

    def power_lane(self, lane: graphviz.Digraph, d: str, p: str) -> None:
        data = self.g.nodes[p]
        label = (
            f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="6" BGCOLOR="{POWER_COLOUR}">'
            f'<TR><TD><FONT COLOR="white" POINT-SIZE="14"><B>{lines_html(wrap(data["name"], 10), "CENTER")}</B></FONT></TD></TR>'
            f'<TR><TD><FONT COLOR="#cfd8dc" POINT-SIZE="10">{esc(category_label(data["category"], self.o.lang))}</FONT></TD></TR></TABLE>>'
        )
        # one group per power item: dot keeps a group's nodes on a straight line
        group = self.name(p)
        self.node(p, label, "power", graph=lane, group=group)
        self.edge(d, p, "exercises", dir="none", penwidth="1.5")
        previous = p
        for r in children(self.g, p, "risk_at"):  # a risk of the item as a whole
            self.risk(lane, r, p, None)
        for s in children(self.g, p, "has_step"):
            sd = self.g.nodes[s]
            self.node(
                s,
                plain_label(f"{circled(sd['order'])} {sd['name']}"),
                "step",
                graph=lane,
                shape="box",
                style="rounded,filled",
                fillcolor=STEP_COLOUR,
                color="#5b7fa6",
                fontsize="13",
                margin="0.12,0.06",
                group=group,
            )
            self.edge(previous, s, "next" if previous != p else "has_step", penwidth="2", color="#5b7fa6", weight="10")
            for r in children(self.g, s, "risk_at"):
                self.risk(lane, r, s, previous)
            previous = s

    def risk(self, graph: graphviz.Digraph, r: str, at: str, before: str | None) -> None:
        data = self.g.nodes[r]
        level = data.get("level")
        classes = f"risk level-{level or 0}" + (" findings" if self.risk_items(r) else "")
        self.node(r, self.risk_label(r), classes, graph=graph)
        colour = LEVEL_COLOURS.get(level, UNGRADED_COLOUR)
        if before is not None:
            # the rank of the step: one after the step (or power item) before it
            graph.edge(self.name(before), self.name(r), style="invis")
            self.edge(at, r, "risk_at", constraint="false", color=colour, penwidth="2.2", arrowhead="dot", graph=graph)
        else:
            self.edge(at, r, "risk_at", color=colour, penwidth="2.2", arrowhead="dot", graph=graph)

    def grid(
        self, graph: graphviz.Digraph, anchor: str, risks: list[str], outer: graphviz.Digraph | None = None
    ) -> None:
        """Lay risk points out in rows right of ``anchor``, at most six to a row.

        An edge statement makes both its ends members of the subgraph it is in, so the edge
        from an anchor outside the box is stated in ``outer``, the anchor's own subgraph.
        """
        width = self._grid_width
        for start in range(0, len(risks), width):
            previous = anchor
            for r in risks[start : start + width]:
                data = self.g.nodes[r]
                classes = f"risk level-{data.get('level') or 0} unlinked"
                if self.risk_items(r):
                    classes += " findings"
                self.node(r, self.risk_label(r), classes, graph=graph)
                where = outer if previous == anchor and outer is not None else graph
                where.edge(self.name(previous), self.name(r), style="invis")
                previous = r

    def node(self, n: str, label: str, classes: str, graph: graphviz.Digraph | None = None, **attrs: str) -> None:
        (graph or self.dot).node(
            self.name(n), label=label, _attributes={"id": plain_label(n), "class": classes, **attrs}
        )

    def edge(self, tail: str, head: str, relation: str, graph: graphviz.Digraph | None = None, **attrs: str) -> None:
        (graph or self.dot).edge(
            self.name(tail),
            self.name(head),
            _attributes={"id": plain_label(f"{tail}->{head}"), "class": relation, **attrs},
        )

    # ---- title and legend

    def title(self) -> str:
        """The graph's label: title and subtitle on the left, the legend on the right.

        The legend is part of the label, not a node, so that it always sits at the top
        whatever the layout does with a node that has no edges.
        """
        g = self.g.graph
        t = self.t
        subtitle = [t["year"].format(year=g.get("year", ""))]
        if g.get("as_of"):
            subtitle.append(t["as_of"].format(date=g["as_of"]))
        elif self.o.date:
            subtitle.append(t["drawn"].format(date=self.o.date))
        scope = []
        if self.o.department:
            scope.append(str(self.g.nodes[f"department:{self.o.department}"]["name"]))
        if self.o.power:
            scope.append(str(self.g.nodes[f"power:{self.o.power}"]["name"]))
        heading = esc(t["title"].format(unit=g.get("unit", "")))
        lines = [
            f'<FONT POINT-SIZE="30"><B>{heading}</B></FONT>',
            f'<FONT POINT-SIZE="18">{esc("　".join(subtitle))}</FONT>',
        ]
        if scope:
            lines.append(f'<FONT POINT-SIZE="22"><B>{esc(" · ".join(scope))}</B></FONT>')
        text = "".join(f'<TR><TD ALIGN="LEFT">{line}</TD></TR>' for line in lines)
        return (
            '<<TABLE BORDER="0" CELLPADDING="6" CELLSPACING="0"><TR>'
            f'<TD VALIGN="TOP" ALIGN="LEFT"><TABLE BORDER="0" CELLPADDING="4">{text}</TABLE></TD>'
            f'<TD WIDTH="40"></TD><TD VALIGN="TOP">{self.legend()}</TD></TR></TABLE>>'
        )

    def legend(self) -> str:
        """The legend table: levels by colour, text and stars; node kinds; the findings mark."""
        t = self.t

        def row(colour: str, text_colour: str, key: str, explanation: str) -> str:
            return (
                f'<TR><TD BGCOLOR="{colour}" WIDTH="110"><FONT COLOR="{text_colour}"><B>{esc(key)}</B></FONT></TD>'
                f'<TD ALIGN="LEFT">{esc(explanation)}</TD></TR>'
            )

        rows = [row(LEVEL_COLOURS[lv], LEVEL_TEXT[lv], self.level_label(lv), t["legend_risk"]) for lv in (1, 2, 3)]
        rows += [
            row(UNGRADED_COLOUR, "black", t["ungraded"], t["legend_ungraded"]),
            row(DEPT_COLOUR, "white", t["legend_dept_box"], t["legend_dept"]),
            row(POWER_COLOUR, "white", t["legend_power_box"], t["legend_power"]),
            row(STEP_COLOUR, "black", f"{circled(1)} → {circled(2)}", t["legend_step"]),
        ]
        if self.g.graph.get("as_of"):
            rows.append(
                row(
                    FINDING_COLOUR,
                    "white",
                    f"{MARK} n",
                    t["legend_findings"].format(
                        mark=MARK, missed=self.status_label("missed"), late=self.status_label("late")
                    ),
                )
            )
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="11">{esc(t["legend_tiers"])}</FONT></TD></TR>')
        return (
            '<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" BGCOLOR="white">'
            f'<TR><TD COLSPAN="2"><B>{esc(t["legend"])}</B></TD></TR>{"".join(rows)}</TABLE>'
        )


def iter_risk_nodes(g: nx.MultiDiGraph) -> Iterator[str]:
    """Every risk point of the model (for callers checking the diagram's completeness)."""
    yield from nodes_of(g, "risk")


def build_dot(g: nx.MultiDiGraph, options: RenderOptions) -> graphviz.Digraph:
    """The diagram as a graphviz graph (``.source`` is the DOT text)."""
    return Drawing(g, options).build()


def dot_available() -> bool:
    """Whether graphviz's ``dot`` program is on PATH (needed for SVG, PNG and PDF)."""
    return shutil.which("dot") is not None


class RenderError(Exception):
    """graphviz's ``dot`` is missing or failed; the message says which."""


#: the largest page side (points) that Acrobat and most printers' drivers accept: 200 inches
PDF_MAX_SIDE = 14400
SCALED = re.compile(r"too large for cairo-renderer bitmaps\. Scaling by ([0-9.]+)")
MEDIABOX = re.compile(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]")


def run_dot(source: str, fmt: str) -> tuple[bytes, str]:
    """Lay out and draw with ``dot``; return the output and dot's warnings (stderr)."""
    try:
        done = subprocess.run(["dot", f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False)
    except FileNotFoundError:
        raise RenderError("missing") from None
    warnings = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        last = [line for line in warnings.strip().splitlines() if line.strip()] or [f"exit {done.returncode}"]
        raise RenderError(last[-1])
    return done.stdout, warnings


def render(g: nx.MultiDiGraph, path: Path, fmt: str, options: RenderOptions) -> list[tuple[str, str]]:
    """Write the diagram to ``path`` as ``fmt`` (svg, png, pdf, or dot for the source).

    Returns warnings for the reader, each in English and Chinese: a unit too large for a legible PNG or a printable PDF
    page (then one department at a time, ``--department``, reads better).
    """
    dot = build_dot(g, options)
    if fmt == "dot":
        path.write_text(dot.source, encoding="utf-8")
        return []
    if fmt not in RENDERED_FORMATS:
        raise ValueError(f"not a rendered format: {fmt}")
    data, messages = run_dot(dot.source, fmt)
    path.write_bytes(data)
    warnings = []
    scaled = SCALED.search(messages)
    if scaled:
        percent = round(float(scaled.group(1)) * 100)
        warnings.append(
            (
                f"the diagram is too large for a PNG (graphviz shrank it to {percent}%, too small to read); "
                "draw one department at a time with --department, or write SVG",
                f"网络图太大，PNG 放不下（graphviz 已缩小到 {percent}%，无法辨认）；"
                "请用 --department 逐个部室绘制，或写出 SVG",
            )
        )
    box = MEDIABOX.search(data) if fmt == "pdf" else None
    if box and max(float(box.group(1)), float(box.group(2))) > PDF_MAX_SIDE:
        cm = [round(float(x) / 72 * 2.54) for x in box.groups()]
        warnings.append(
            (
                f"the PDF page is {cm[0]} × {cm[1]} cm, larger than most viewers and printers accept; "
                "draw one department at a time with --department",
                f"PDF 页面为 {cm[0]} × {cm[1]} 厘米，超出多数阅读器和打印机的限度；请用 --department 逐个部室绘制",
            )
        )
    return warnings
