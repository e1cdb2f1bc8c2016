"""The network diagram (``lianfang graph``): what a reader sees in the SVG and PNG, the graph
exports, the ledger, and the errors.

Most tests draw a small unit written here (two departments, two power items, six risk
points) so that they do not depend on the example's details; the PNG test draws the example.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from lianfang.checker.run import check_workspace, open_workspace
from lianfang.graph import fonts
from lianfang.graph.model import build_graph, read_graphml, read_json
from lianfang.graph.render import LEVEL_COLOURS, UNGRADED_COLOUR, RenderOptions, build_dot
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz dot is not installed")

LIANFANG = "year: 2026\n"
ORG = """
unit: {id: u, name: 测试市残联, short_name: 测残联, main_leader: boss, programme_leader: vice}
people:
  - {id: boss,   name: 王主席, role: leader}
  - {id: vice,   name: 李副主席, role: leader}
  - {id: head-a, name: 张甲}
  - {id: head-b, name: 赵乙}
  - {id: clerk-a, name: 陈科员}
  - {id: clerk-b, name: 刘科员}
departments:
  - {id: dept-a, name: 甲部, head: head-a, leader_in_charge: vice, key: true}
  - {id: dept-b, name: 乙部, head: head-b, leader_in_charge: boss}
posts:
  - {id: post-a, name: 审核岗, department: dept-a, holder: clerk-a}
  - {id: post-b, name: 出纳岗, department: dept-b, holder: clerk-b}
"""
RISKS = """
powers:
  - {id: pw-a, name: 证件核发, department: dept-a, category: 行政确认, steps: [申请, 受理, 评定, 审核批准, 公示]}
  - {id: pw-b, name: 资金支付, department: dept-b, category: 内部管理, steps: [提出, 审批, 支付]}
risk_points:
  - id: rp-eval
    owner: dept-a
    category: 业务流程
    description: 评定降低标准
    form: 放宽评定等级
    level: 1
    power_item: pw-a
    step: 评定
    measures: [{description: 多人联合评定, owner: head-a}, {description: 结果公示, owner: clerk-a}]
    responsible: head-a
  - id: rp-accept
    owner: post-a
    category: 岗位职责
    description: 受理材料不全
    level: 2
    power_item: pw-a
    step: 受理
    measures: [{description: 一次性告知清单, owner: clerk-a}]
    responsible: head-a
  - id: rp-pay
    owner: dept-b
    category: 制度机制
    description: 支付凭证不全
    level: 3
    power_item: pw-b
    step: 支付
    measures: [{description: 凭证逐笔审核, owner: head-b}]
    responsible: head-b
  - id: rp-leader
    owner: vice
    category: 大额资金使用
    description: 分管审批把关不严
    level: 2
    power_item: pw-b
    step: 审批
    measures: [{description: 三级联签, owner: vice}]
    responsible: vice
  - id: rp-cash
    owner: post-b
    category: 廉洁自律
    description: 坐支现金
    level: 2
    measures: [{description: 现金不定期盘点, owner: head-b}]
    responsible: head-b
  - id: rp-whole
    owner: dept-a
    category: 其他
    description: 办理时限不明确
    power_item: pw-a
    measures: [{description: 公开办理时限}]
  - id: rp-unit
    owner: u
    category: 重大事项决策
    description: 重大事项未经集体决策
    level: 1
    measures: [{description: 三重一大集体决策, owner: boss}]
    responsible: boss
"""
# rp-whole concerns pw-a as a whole (no step) and has no level and no measure owner.
# rp-unit (一级) is monitored every month from September: G305 holds for it; rp-eval
# (一级) has no monitoring record at all: G305 is missed for September and October.
RECORDS = """id,kind,date,subject,period,by,result,ref,note
M1,risk_monitoring,2026-09-20,rp-unit,2026-09,,,,
M2,risk_monitoring,2026-10-20,rp-unit,2026-10,,,,
M3,risk_monitoring,2026-11-20,rp-unit,2026-11,,,,
"""
AS_OF = "2026-11-30"


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unit") / "ws"
    (root / "records").mkdir(parents=True)
    (root / "lianfang.yaml").write_text(LIANFANG, encoding="utf-8")
    (root / "org.yaml").write_text(ORG, encoding="utf-8")
    (root / "risks.yaml").write_text(RISKS, encoding="utf-8")
    (root / "records" / "monitoring.csv").write_text(RECORDS, encoding="utf-8")
    return root


def draw(args: list[str | Path], out: Path) -> ET.Element:
    run(["graph", *args, "-o", out], 0)
    return ET.parse(out).getroot()


def groups(svg: ET.Element, cls: str) -> dict[str, ET.Element]:
    """SVG groups of a class (node, edge), by their id."""
    return {g.get("id", ""): g for g in svg.iter(f"{SVG}g") if cls in (g.get("class") or "").split()}


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def fills(element: ET.Element) -> set[str]:
    return {p.get("fill", "").lower() for p in element.iter(f"{SVG}polygon")}


def x_of(element: ET.Element) -> float:
    return min(float(t.get("x", "0")) for t in element.iter(f"{SVG}text"))


@pytest.fixture(scope="module")
def plain_svg(unit: Path, tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    if shutil.which("dot") is None:
        pytest.skip("graphviz dot is not installed")
    return draw([unit], tmp_path_factory.mktemp("svg") / "unit.svg")


@pytest.fixture(scope="module")
def findings_svg(unit: Path, tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    if shutil.which("dot") is None:
        pytest.skip("graphviz dot is not installed")
    return draw([unit, "--as-of", AS_OF], tmp_path_factory.mktemp("svg") / "findings.svg")


# ----------------------------------------------------------------------------- the SVG


def test_every_power_item_and_its_steps_in_order_left_to_right(unit: Path, plain_svg: ET.Element) -> None:
    ws, _ = open_workspace(unit)
    nodes, edges = groups(plain_svg, "node"), groups(plain_svg, "edge")
    for power in ws.risks.powers:
        assert f"power:{power.id}" in nodes, power.id
        assert power.name in "".join(texts(nodes[f"power:{power.id}"]))
        steps = [nodes[f"step:{power.id}:{k}"] for k in range(1, len(power.steps) + 1)]
        for step, name in zip(steps, power.steps, strict=True):
            assert name in "".join(texts(step))
        xs = [x_of(s) for s in steps]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), f"{power.id} steps not left to right: {xs}"
        assert x_of(nodes[f"power:{power.id}"]) < xs[0]
        assert f"power:{power.id}->step:{power.id}:1" in edges
        for k in range(1, len(power.steps)):
            assert f"step:{power.id}:{k}->step:{power.id}:{k + 1}" in edges


def test_every_risk_point_is_drawn_and_hangs_on_its_step(unit: Path, plain_svg: ET.Element) -> None:
    ws, _ = open_workspace(unit)
    nodes, edges = groups(plain_svg, "node"), groups(plain_svg, "edge")
    for risk in ws.risks.risk_points:
        assert f"risk:{risk.id}" in nodes, f"{risk.id} is not drawn"
        if risk.step is not None:
            assert risk.power_item is not None
            k = ws.powers[risk.power_item].steps.index(risk.step) + 1
            edge = edges.get(f"step:{risk.power_item}:{k}->risk:{risk.id}")
            assert edge is not None, f"{risk.id} is not joined to its step {risk.step}"
            assert "risk_at" in (edge.get("class") or "")
    # a risk point of a power item as a whole hangs on the item itself
    assert "risk_at" in (edges["power:pw-a->risk:rp-whole"].get("class") or "")
    # risk points on no step sit in their department's box, or the unit's
    unlinked = {i for i, g in nodes.items() if "unlinked" in (g.get("class") or "")}
    assert unlinked == {"risk:rp-cash", "risk:rp-unit"}
    boxes = {"".join(texts(g)) for g in groups(plain_svg, "cluster").values()}
    assert any("未关联权力事项的风险点" in b for b in boxes)


@pytest.mark.parametrize(
    ("risk", "level", "label"),
    [("rp-eval", 1, "一级 ★★★"), ("rp-accept", 2, "二级 ★★"), ("rp-pay", 3, "三级 ★"), ("rp-whole", 0, "未定级")],
)
def test_risk_points_coloured_and_labelled_by_level(plain_svg: ET.Element, risk: str, level: int, label: str) -> None:
    node = groups(plain_svg, "node")[f"risk:{risk}"]
    assert f"level-{level}" in (node.get("class") or "").split()
    assert LEVEL_COLOURS.get(level, UNGRADED_COLOUR).lower() in fills(node)
    assert any(label in t for t in texts(node)), texts(node)
    # and no other level's colour: the colour says the same as the text
    others = {LEVEL_COLOURS[x].lower() for x in LEVEL_COLOURS if x != level}
    assert not fills(node) & others


def test_measures_owners_and_accountable_people_are_shown(plain_svg: ET.Element) -> None:
    text = "".join(texts(groups(plain_svg, "node")["risk:rp-eval"]))
    assert "多人联合评定" in text and "张甲" in text and "陈科员" in text
    assert "责任人" in text and "李副主席" in text  # the leader in charge of 甲部
    dept = "".join(texts(groups(plain_svg, "node")["department:dept-a"]))
    assert "张甲" in dept and "李副主席" in dept and "重点部室" in dept


def test_legend_and_title(plain_svg: ET.Element) -> None:
    top = next(g for g in plain_svg.iter(f"{SVG}g") if g.get("class") == "graph")
    own = [t.text or "" for t in top.findall(f"{SVG}text")]  # the graph label, not the nodes
    assert "图例" in own
    for label in ("一级 ★★★", "二级 ★★", "三级 ★"):
        assert label in own
    assert {c.lower() for c in LEVEL_COLOURS.values()} <= {
        p.get("fill", "").lower() for p in top.findall(f"{SVG}polygon")
    }
    assert any("测试市残联" in t and "网络图" in t for t in own)
    assert any("2026年度" in t for t in own)


def test_no_findings_marked_without_as_of(plain_svg: ET.Element) -> None:
    marked = [i for i, g in groups(plain_svg, "node").items() if "findings" in (g.get("class") or "").split()]
    assert marked == []
    assert not any("检查发现" in t for t in texts(plain_svg))


def count_shown(node: ET.Element) -> int:
    match = re.search(r"检查发现 (\d+) 项", "".join(texts(node)))
    return int(match.group(1)) if match else 0


def test_findings_overlay_marks_the_checks_own_findings(unit: Path, findings_svg: ET.Element) -> None:
    result = check_workspace(unit, date.fromisoformat(AS_OF))
    open_ = [f for f in result.findings if f.is_open]
    nodes = groups(findings_svg, "node")
    # the planted gap: rp-eval (一级) has no monitoring; rp-unit is monitored every month
    g305 = [f for f in open_ if f.rule == "G305" and f.subject == "rp-eval"]
    assert {f.period for f in g305} >= {"2026-09", "2026-10"}
    assert "G305 未完成" in "".join(texts(nodes["risk:rp-eval"]))
    assert "findings" not in (nodes["risk:rp-unit"].get("class") or "")
    assert count_shown(nodes["risk:rp-unit"]) == 0
    # every risk point shows exactly the check's open findings of itself and of its owner
    # when the owner (a post or a leader) is not drawn as a node of its own
    ws = result.workspace
    for risk in ws.risks.risk_points:
        subjects = {risk.id} | ({risk.owner} if risk.owner in ws.posts or risk.owner in ws.people else set())
        expected = sum(1 for f in open_ if f.subject in subjects)
        assert count_shown(nodes[f"risk:{risk.id}"]) == expected, risk.id
    # a department's and the unit's own findings are on their nodes
    for subject, node in (("dept-a", "department:dept-a"), ("dept-b", "department:dept-b"), ("u", "unit:u")):
        own = sum(1 for f in open_ if f.subject == subject)
        assert own > 0, subject
        assert count_shown(nodes[node]) >= own, node
    top = next(g for g in findings_svg.iter(f"{SVG}g") if g.get("class") == "graph")
    assert any("截至 2026-11-30" in (t.text or "") for t in top.findall(f"{SVG}text"))


def test_findings_in_the_graph_export_are_the_checks(unit: Path, tmp_path: Path) -> None:
    run(["graph", unit, "--as-of", AS_OF, "-o", tmp_path / "g.json"], 0)
    g = read_json(tmp_path / "g.json")
    result = check_workspace(unit, date.fromisoformat(AS_OF))
    expected = sum(1 for f in result.findings if f.is_open and f.subject == "rp-eval")
    assert g.nodes["risk:rp-eval"]["findings"] == expected
    assert g.graph["as_of"] == AS_OF


# ----------------------------------------------------------------------------- scope


@needs_dot
def test_one_department_alone(unit: Path, tmp_path: Path) -> None:
    svg = draw([unit, "--department", "dept-a"], tmp_path / "a.svg")
    nodes = groups(svg, "node")
    assert "power:pw-a" in nodes and "power:pw-b" not in nodes
    assert {"risk:rp-eval", "risk:rp-accept"} <= set(nodes)
    assert not {"risk:rp-pay", "risk:rp-cash", "risk:rp-unit"} & set(nodes)
    # by name too
    svg = draw([unit, "--department", "乙部"], tmp_path / "b.svg")
    assert {"risk:rp-pay", "risk:rp-leader", "risk:rp-cash"} <= set(groups(svg, "node"))


@needs_dot
def test_one_power_item_alone(unit: Path, tmp_path: Path) -> None:
    nodes = groups(draw([unit, "--power", "pw-b"], tmp_path / "b.svg"), "node")
    assert "power:pw-b" in nodes and "power:pw-a" not in nodes
    assert {"risk:rp-pay", "risk:rp-leader"} <= set(nodes) and "risk:rp-cash" not in nodes


@needs_dot
def test_english_labels(unit: Path, tmp_path: Path) -> None:
    svg = draw([unit, "--lang", "en"], tmp_path / "en.svg")
    node = groups(svg, "node")["risk:rp-eval"]
    # the level and the category in English, the level as every output spells it
    assert any("level 1 ★★★" in t and "business process" in t for t in texts(node))
    assert "Legend" in texts(svg)
    every = " ".join(texts(svg))
    # the power items' categories and the risk points' are translated, none left in Chinese
    assert "administrative confirmation" in every and "internal management" in every
    for category in ("业务流程", "岗位职责", "制度机制", "大额资金使用", "廉洁自律", "行政确认", "内部管理"):
        assert category not in every
    assert "Owner: " in every and "Owner：" not in every


def test_english_counts_say_one_finding_and_several_findings(tmp_path: Path) -> None:
    out = tmp_path / "en.dot"
    run(["graph", EXAMPLE, "-o", out, "--lang", "en", "--as-of", "2026-11-30", "--department", "jicai"], 0)
    source = out.read_text(encoding="utf-8")
    assert "(s)" not in source
    counts = re.findall(r"▲ (\d+) open (finding|findings)\b", source)
    assert ("1", "finding") in counts and ("4", "findings") in counts
    assert all((n == "1") == (word == "finding") for n, word in counts)


def test_level_and_status_words_are_the_catalogue_s_in_every_output(unit: Path, tmp_path: Path) -> None:
    """The diagram, the ledger, the forms and the check's table say 一级/二级 and the statuses alike."""
    from lianfang.checker.labels import LEVEL_LABELS, STATUS_LABELS

    dot = tmp_path / "g.dot"
    run(["graph", unit, "-o", dot, "--as-of", AS_OF], 0)
    ledger = tmp_path / "g.md"
    run(["graph", unit, "-o", ledger, "--as-of", AS_OF], 0)
    source, table = dot.read_text(encoding="utf-8"), ledger.read_text(encoding="utf-8")
    for level in (1, 2, 3):
        assert f"{LEVEL_LABELS['zh'][level]} " in source and f"{LEVEL_LABELS['zh'][level]} " in table
    assert f"G305 {STATUS_LABELS['zh']['missed']}" in source and f"G305 {STATUS_LABELS['zh']['missed']}" in table
    from openpyxl import load_workbook

    book = tmp_path / "forms.xlsx"
    run(["forms", "export", unit, "-o", book], 0)
    cells = {str(c.value) for sheet in load_workbook(book).worksheets for row in sheet.iter_rows() for c in row}
    assert {LEVEL_LABELS["zh"][1], LEVEL_LABELS["zh"][2], LEVEL_LABELS["zh"][3]} <= cells
    check = run(["check", unit, "--as-of", AS_OF], 1)
    assert STATUS_LABELS["zh"]["missed"] in check.stdout


# ----------------------------------------------------------------------------- exports


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_graph_export_round_trips_through_networkx(unit: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"g{suffix}"
    run(["graph", unit, "-o", out], 0)
    back = read_graphml(out) if suffix == ".graphml" else read_json(out)
    original = build_graph(open_workspace(unit)[0])
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(original.nodes)
    assert set(back.edges(keys=True)) == set(original.edges(keys=True))
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    # plain networkx reads it too, for other tools
    plain = nx.read_graphml(out) if suffix == ".graphml" else None
    if plain is not None:
        assert set(plain.nodes) == set(original.nodes)


def test_graph_model_contents(unit: Path) -> None:
    g = build_graph(open_workspace(unit)[0])
    assert g.nodes["risk:rp-eval"]["level"] == 1 and g.nodes["risk:rp-eval"]["category"] == "业务流程"
    assert g.nodes["risk:rp-eval"]["accountable"] == "head-a,vice"
    assert g.has_edge("step:pw-a:3", "risk:rp-eval", key="risk_at")
    assert g.has_edge("risk:rp-eval", "measure:rp-eval:1", key="controlled_by")
    assert g.has_edge("measure:rp-eval:1", "person:head-a", key="owned_by")
    # 分层管理: post → head → leader in charge → main leader
    assert g.has_edge("post:post-a", "person:head-a", key="supervised_by")
    assert g.has_edge("person:head-a", "person:vice", key="supervised_by")
    assert g.has_edge("person:vice", "person:boss", key="supervised_by")
    # the 权力运行轨迹: from the first step along the "next" edges
    step, names = "step:pw-a:1", []
    while step:
        names.append(g.nodes[step]["name"])
        step = next((v for _, v, k in g.out_edges(step, keys=True) if k == "next"), "")
    assert names == ["申请", "受理", "评定", "审核批准", "公示"]


@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_ledger(unit: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"ledger{suffix}"
    run(["graph", unit, "-o", out, "--format", "ledger"], 0)
    raw = out.read_bytes()
    text = raw.decode("utf-8-sig")
    header = "序号 | 部室 | 风险类别 | 风险点 | 主要表现形式 | 风险等级 | 防控措施 | 部门负责人 | 责任领导"
    if suffix == ".csv":
        assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
        import csv

        rows = list(csv.reader(text.splitlines(keepends=True)))
        assert " | ".join(rows[0]) == header
        body = rows[1:]
    else:
        lines = text.splitlines()
        assert f"| {header} |" in lines
        body = [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[lines.index(f"| {header} |") + 2 :]]
    assert len(body) == 7  # one row per risk point
    eval_row = next(r for r in body if r[3] == "评定降低标准")
    assert eval_row[1] == "甲部" and eval_row[5] == "一级 ★★★" and eval_row[7] == "张甲" and eval_row[8] == "李副主席"
    assert "多人联合评定（张甲）" in eval_row[6] and "结果公示（陈科员）" in eval_row[6]


# ----------------------------------------------------------------------------- the PNG


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_dot
def test_png_of_the_example_uses_a_cjk_font(tmp_path: Path) -> None:
    out = tmp_path / "网络图.png"
    run(["graph", EXAMPLE, "-o", out, "--as-of", "2026-11-30"], 0)
    width, height = png_size(out)
    assert out.stat().st_size > 200_000 and width > 1500 and height > 1500
    family = fonts.choose_cjk_font()
    assert family is not None, "no CJK font installed: " + fonts.INSTALL_HINT
    assert fonts.resolves_to_cjk(family)
    # what graphviz itself resolves every font of the drawing to (dot -v reports it)
    ws, _ = open_workspace(EXAMPLE)
    source = build_dot(build_graph(ws), RenderOptions(font=family)).source
    done = subprocess.run(
        ["dot", "-v", "-Tpng", "-o", str(tmp_path / "v.png")], input=source.encode(), capture_output=True, check=True
    )
    resolved = re.findall(r'fontname: "([^"]*)" resolved to: \(\w+\) "([^",]*)', done.stderr.decode("utf-8", "replace"))
    assert resolved, "dot -v reported no font resolution"
    assert {asked for asked, _ in resolved} == {family}
    assert all(got in fonts.cjk_families() for _, got in resolved), resolved


# ----------------------------------------------------------------------------- errors


def test_missing_dot_exits_2_with_the_install_command(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run(["graph", unit, "-o", tmp_path / "g.png", "--lang", "en"], 2)
    assert result.stderr.startswith("lianfang: error: ")
    assert "sudo apt-get install graphviz" in result.stderr
    assert not (tmp_path / "g.png").exists()
    # the formats written by Python alone still work
    for name in ("g.dot", "g.graphml", "g.json", "g.csv"):
        run(["graph", unit, "-o", tmp_path / name], 0)
        assert (tmp_path / name).stat().st_size > 0


@needs_dot
def test_missing_cjk_font_warns(unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "choose_cjk_font", lambda: None)
    result = run(["graph", unit, "-o", tmp_path / "g.svg"], 0)
    assert "lianfang: 警告：未找到中文（CJK）字体" in result.stderr
    result = run(["graph", unit, "-o", tmp_path / "g.svg", "--lang", "en"], 0)
    assert "lianfang: warning: no Chinese (CJK) font found" in result.stderr
    assert "fc-list :lang=zh" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "dept-aa"], 'unknown department "dept-aa" (did you mean "dept-a"?)'),
        (["--power", "pw-bb"], 'unknown power item "pw-bb" (did you mean "pw-b"?)'),
        (["--department", "dept-a", "--power", "pw-b"], 'power item "pw-b" belongs to department "dept-b"'),
    ],
)
def test_bad_scope_exits_2_with_a_suggestion(unit: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = run(["graph", unit, "-o", tmp_path / "g.dot", *args, "--lang", "en"], 2)
    assert result.stderr.startswith("lianfang: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_extension_and_bad_input(unit: Path, tmp_path: Path) -> None:
    result = run(["graph", unit, "-o", tmp_path / "g.txt", "--lang", "en"], 2)
    assert "cannot tell the format" in result.stderr
    result = run(["graph", unit, "-o", tmp_path / "g.txt", "--format", "ledger", "--lang", "en"], 2)
    assert '"g.csv" or "g.md"' in result.stderr
    result = run(["graph", tmp_path / "nowhere", "-o", tmp_path / "g.dot", "--lang", "en"], 2)
    assert result.stderr.startswith("lianfang: error: ")


def test_too_large_for_a_png_warns_and_suggests_one_department(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lianfang.graph import render as graph_render

    # what dot says when a 200-department unit exceeds cairo's 32767-pixel bitmaps
    said = "Warning: graph is too large for cairo-renderer bitmaps. Scaling by 0.148563 to fit\n"
    monkeypatch.setattr(graph_render, "dot_available", lambda: True)
    monkeypatch.setattr(graph_render, "run_dot", lambda source, fmt: (b"\x89PNG", said))
    result = run(["graph", unit, "-o", tmp_path / "big.png"], 0)
    assert "lianfang: 警告：网络图太大，PNG 放不下" in result.stderr and "--department" in result.stderr
    result = run(["graph", unit, "-o", tmp_path / "big.png", "--lang", "en"], 0)
    assert "lianfang: warning: the diagram is too large for a PNG" in result.stderr
    assert "15%" in result.stderr and "--department" in result.stderr
