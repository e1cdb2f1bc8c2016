"""The workspace as a networkx graph: who exercises which power, where its risks arise.

unit → departments → power items → their ordered steps → risk points (on the step where they
arise) → measures → their owners; plus the tiered responsibility of 分层管理 (post →
department head → leader in charge → main leader) as ``supervised_by`` edges. Open findings
of a check, when given, are attached to the node of their subject.

Every attribute is a string, an int or a bool, so that GraphML (which has no lists and no
null) and node-link JSON both carry the same graph and read back equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from lianfang.checker.chain import Chains
from lianfang.checker.findings import Finding
from lianfang.models.risks import LEVEL_LABELS, LEVEL_STARS
from lianfang.models.workspace import Workspace

#: kinds of node, in the order of the pipeline the diagram shows
KINDS = ("unit", "department", "person", "post", "power", "step", "risk", "measure")

#: edge relations (the multigraph's edge keys)
RELATIONS = (
    "has_department",  # unit → department
    "main_leader",  # unit → person
    "programme_leader",  # unit → person
    "headed_by",  # department → person
    "in_charge",  # department → person (分管领导)
    "has_post",  # department → post
    "held_by",  # post → person
    "supervised_by",  # post → head → leader in charge → main leader (分层管理)
    "exercises",  # department → power item
    "has_step",  # power item → each of its steps
    "next",  # step → the following step (权力运行轨迹)
    "risk_at",  # step (or a power item without steps named) → risk point
    "owned_by",  # risk point → its owner; measure → its owner
    "responsible",  # risk point → the person responsible
    "controlled_by",  # risk point → measure
)


def node_id(kind: str, *parts: str | int) -> str:
    """The graph's id of a workspace object: ``risk:rp-01``, ``step:pw-x:3`` (1-based)."""
    return ":".join([kind, *(str(p) for p in parts)])


def subject_node(ws: Workspace, subject: str) -> str | None:
    """The node of a workspace subject id (unit, person, department, post, risk point)."""
    if subject == ws.unit_id:
        return node_id("unit", subject)
    for kind, table in (
        ("department", ws.departments),
        ("post", ws.posts),
        ("person", ws.people),
        ("risk", ws.risk_points),
        ("power", ws.powers),
    ):
        if subject in table:
            return node_id(kind, subject)
    return None


def _level(ws: Workspace, subject: str) -> dict[str, Any]:
    """The grade of a subject as node attributes: its level, and whether the grade is in force."""
    grading = ws.gradings.get(subject)
    if grading is None:
        return {}
    return {"level": grading.level, "level_in_force": grading.review is not None}


def build_graph(ws: Workspace, findings: Iterable[Finding] = (), as_of: str = "") -> nx.MultiDiGraph:
    """Build the diagram's graph from a workspace; ``findings`` (open ones) overlay their subjects.

    ``as_of`` (ISO date) is recorded as a graph attribute when findings come from a check.
    """
    unit = ws.org.unit
    g = nx.MultiDiGraph(
        unit=unit.name,
        unit_short=unit.short_name or unit.name,
        year=ws.year,
        as_of=as_of,
    )

    def edge(tail: str, head: str, relation: str) -> None:
        assert relation in RELATIONS
        if tail != head:  # a main leader in charge of a department supervises nobody above
            g.add_edge(tail, head, key=relation, relation=relation)

    unit_node = node_id("unit", unit.id)
    g.add_node(
        unit_node,
        kind="unit",
        ref=unit.id,
        name=unit.name,
        main_leader=unit.main_leader,
        programme_leader=unit.programme_leader,
    )
    for person in ws.org.people:
        about = {"kind": "person", "ref": person.id, "name": person.name, "title": person.title, "role": person.role}
        g.add_node(node_id("person", person.id), **about, **_level(ws, person.id))
    main = node_id("person", unit.main_leader)
    edge(unit_node, main, "main_leader")
    edge(unit_node, node_id("person", unit.programme_leader), "programme_leader")

    for dept in ws.org.departments:
        d = node_id("department", dept.id)
        g.add_node(
            d,
            kind="department",
            ref=dept.id,
            name=dept.name,
            key_subject=dept.key,
            head=dept.head or "",
            leader_in_charge=dept.leader_in_charge or "",
            **_level(ws, dept.id),
        )
        edge(unit_node, d, "has_department")
        if dept.head:
            edge(d, node_id("person", dept.head), "headed_by")
        if dept.leader_in_charge:
            edge(d, node_id("person", dept.leader_in_charge), "in_charge")
        # 分层管理: the head answers to the leader in charge, who answers to the main leader;
        # a missing tier is skipped so that the chain still reaches the top (T501 reports it)
        lic = node_id("person", dept.leader_in_charge) if dept.leader_in_charge else main
        if dept.head:
            edge(node_id("person", dept.head), lic, "supervised_by")
        edge(lic, main, "supervised_by")

    for post in ws.org.posts:
        p = node_id("post", post.id)
        g.add_node(
            p,
            kind="post",
            ref=post.id,
            name=post.name,
            department=post.department,
            holder=post.holder or "",
            key_subject=post.key,
            **_level(ws, post.id),
        )
        edge(node_id("department", post.department), p, "has_post")
        if post.holder:
            edge(p, node_id("person", post.holder), "held_by")
        dept = ws.departments[post.department]
        upper = dept.head or dept.leader_in_charge or unit.main_leader
        edge(p, node_id("person", upper), "supervised_by")

    for power in ws.risks.powers:
        pw = node_id("power", power.id)
        g.add_node(
            pw,
            kind="power",
            ref=power.id,
            name=power.name,
            department=power.department,
            category=power.category,
            steps=len(power.steps),
        )
        edge(node_id("department", power.department), pw, "exercises")
        previous = None
        for order, step in enumerate(power.steps, start=1):
            s = node_id("step", power.id, order)
            g.add_node(s, kind="step", ref=power.id, name=step, power=power.id, order=order)
            edge(pw, s, "has_step")
            if previous is not None:
                edge(previous, s, "next")
            previous = s

    chains = Chains(ws, set(ws.risk_points))
    for risk in ws.risks.risk_points:
        r = node_id("risk", risk.id)
        owner = subject_node(ws, risk.owner)
        attrs: dict[str, Any] = {
            "kind": "risk",
            "ref": risk.id,
            "name": risk.description or risk.id,
            "description": risk.description,
            "form": risk.form,
            "category": risk.category,
            "owner": risk.owner,
            "owner_kind": (owner or "").split(":")[0],
            "owner_name": ws.name_of(risk.owner),
            "department": ws.department_of(risk.owner) or "",
            "power": risk.power_item or "",
            "step": risk.step or "",
            "responsible": risk.responsible or "",
            # ids, comma-separated (GraphML has no lists): responsible person first, then the
            # owner's chain as the check names it (T501)
            "accountable": ",".join(chains.accountable(risk.id)),
            "measures": len(risk.measures),
        }
        if risk.level is not None:
            attrs.update(level=risk.level, level_label=LEVEL_LABELS[risk.level], stars=LEVEL_STARS[risk.level])
        g.add_node(r, **attrs)
        if risk.power_item and risk.step:
            power = ws.powers[risk.power_item]
            edge(node_id("step", power.id, power.steps.index(risk.step) + 1), r, "risk_at")
        elif risk.power_item:
            edge(node_id("power", risk.power_item), r, "risk_at")
        if owner is not None:
            edge(r, owner, "owned_by")
        if risk.responsible:
            edge(r, node_id("person", risk.responsible), "responsible")
        for order, measure in enumerate(risk.measures, start=1):
            m = node_id("measure", risk.id, order)
            g.add_node(
                m,
                kind="measure",
                ref=risk.id,
                name=measure.description,
                order=order,
                owner=measure.owner or "",
            )
            edge(r, m, "controlled_by")
            if measure.owner:
                edge(m, node_id("person", measure.owner), "owned_by")

    attach_findings(g, ws, findings)
    return g


def attach_findings(g: nx.MultiDiGraph, ws: Workspace, findings: Iterable[Finding]) -> None:
    """Record each open finding on its subject's node: a count and ``RULE status`` items.

    The findings are the check's own (``CheckResult.findings``): nothing is recomputed here.
    """
    for finding in findings:
        if not finding.is_open:
            continue
        n = subject_node(ws, finding.subject)
        if n is None or n not in g:
            continue
        data = g.nodes[n]
        data["findings"] = data.get("findings", 0) + 1
        item = f"{finding.rule} {finding.status.value}"
        data["finding_items"] = f"{data['finding_items']},{item}" if data.get("finding_items") else item


# --------------------------------------------------------------------------- queries


def children(g: nx.MultiDiGraph, n: str, relation: str) -> list[str]:
    """Heads of the ``relation`` edges leaving ``n``, in insertion (= workspace) order."""
    return [head for _, head, key in g.out_edges(n, keys=True) if key == relation]


def parents(g: nx.MultiDiGraph, n: str, relation: str) -> list[str]:
    """Tails of the ``relation`` edges entering ``n``."""
    return [tail for tail, _, key in g.in_edges(n, keys=True) if key == relation]


def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    """Every node of a kind, in insertion order."""
    return [n for n, k in g.nodes(data="kind") if k == kind]


def placement(g: nx.MultiDiGraph, r: str) -> str:
    """Where a risk point is drawn: its step's power item, else its owner's department, else
    the unit (for the unit's and the leaders' risk points that arise at no step)."""
    for at in parents(g, r, "risk_at"):
        data = g.nodes[at]
        return node_id("power", data["power"] if data["kind"] == "step" else data["ref"])
    department = g.nodes[r].get("department")
    return node_id("department", department) if department else nodes_of(g, "unit")[0]


def scope(g: nx.MultiDiGraph, department: str | None = None, power: str | None = None) -> nx.MultiDiGraph:
    """The part of the graph one department (or one power item) shows, as a new graph.

    Kept: the unit; the department; its posts (or none, for a power item alone); the power
    items and their steps; the risk points drawn there with their measures; and the people
    any kept node names. Without ``department`` and ``power`` the graph is returned as is.
    """
    if department is None and power is None:
        return g
    powers: set[str] = set()
    if power is not None:
        powers = {node_id("power", power)}
        department = str(g.nodes[node_id("power", power)]["department"])
    dept = node_id("department", str(department))
    if power is None:
        powers = set(children(g, dept, "exercises"))
    keep = {nodes_of(g, "unit")[0], dept} | powers
    if power is None:
        keep |= set(children(g, dept, "has_post"))
    for p in powers:
        keep |= set(children(g, p, "has_step"))
    for r in nodes_of(g, "risk"):
        where = placement(g, r)
        if where in powers or (power is None and where == dept):
            keep.add(r)
            keep |= set(children(g, r, "controlled_by"))
            # a post that owns it, for its name and its findings (posts are not drawn)
            keep |= {o for o in children(g, r, "owned_by") if g.nodes[o]["kind"] == "post"}
    people: set[str] = set()
    for n in keep:
        people |= {head for head in g.successors(n) if g.nodes[head]["kind"] == "person"}
        people |= {node_id("person", p) for p in str(g.nodes[n].get("accountable", "")).split(",") if p}
    return nx.MultiDiGraph(g.subgraph(keep | people))


# --------------------------------------------------------------------------- export


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML (yEd, Gephi, Cytoscape); edge ids are the relations.

    Every text passes through ``xml_text``: a character XML 1.0 forbids would make the file
    unreadable to every GraphML reader.
    """
    from lianfang.checker.escape import xml_text

    def clean(value: Any) -> Any:
        return xml_text(value) if isinstance(value, str) else value

    safe = nx.relabel_nodes(g, {n: xml_text(n) for n in g if isinstance(n, str)}, copy=True)
    safe.graph.update({k: clean(v) for k, v in safe.graph.items()})
    for _, data in safe.nodes(data=True):
        data.update({k: clean(v) for k, v in data.items()})
    for _, _, data in safe.edges(data=True):
        data.update({k: clean(v) for k, v in data.items()})
    nx.write_graphml(safe, str(path), encoding="utf-8", prettyprint=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read back what ``write_graphml`` wrote, as the same kind of graph."""
    graph = nx.read_graphml(str(path), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    return graph


def _node_link_kwargs() -> dict[str, str]:
    # networkx 3.4 renamed ``link`` to ``edges`` (and warns about the default); 3.2 has only
    # ``link``. Name the key explicitly so the file is the same whatever the version.
    from inspect import signature

    if "edges" in signature(nx.node_link_data).parameters:
        return {"edges": "links"}
    return {"link": "links"}


def graph_to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form of the graph (D3, Cytoscape.js, ``nx.node_link_graph``)."""
    data: dict[str, Any] = nx.node_link_data(g, **_node_link_kwargs())
    return data


def write_json(g: nx.MultiDiGraph, path: Path) -> None:
    """Write node-link JSON, UTF-8, Chinese kept readable."""
    from lianfang.checker.escape import json_text

    text = json_text(json.dumps(graph_to_json(g), ensure_ascii=False, indent=1))
    path.write_text(text + "\n", encoding="utf-8")


def read_json(path: Path) -> nx.MultiDiGraph:
    """Read back what ``write_json`` wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, **_node_link_kwargs())
    assert isinstance(graph, nx.MultiDiGraph)
    return graph
