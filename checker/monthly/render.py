"""Assemble the monthly report and write it as HTML (self-contained) or PDF (WeasyPrint)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from lianfang import __version__
from lianfang.checker.findings import SEVERITY_LABELS, STATUS_LABELS
from lianfang.checker.labels import count_label
from lianfang.checker.messages import trigger_label
from lianfang.checker.monthly import charts
from lianfang.checker.monthly.labels import LABELS
from lianfang.checker.monthly.model import (
    OPEN_ORDER,
    Diagram,
    ReportModel,
    history_view,
    matrix,
    sections,
    unit_and_department_cards,
    upcoming,
)
from lianfang.checker.monthly.svg import UnsafeSvg, sanitize_svg
from lianfang.checker.run import CheckResult
from lianfang.checker.scoring import LoadedScheme

#: CSS font stack: the CJK family fontconfig chose first, then common ones on other systems
FONT_STACK = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
]

Step = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def diagrams(result: CheckResult, font: str | None, step: Step = _quiet) -> tuple[list[Diagram], list[str]]:
    """One network diagram per department (SVG, sanitised), with the check's open findings."""
    from lianfang.graph.model import build_graph, scope
    from lianfang.graph.render import RenderError, RenderOptions, build_dot, dot_available, run_dot

    ws = result.workspace
    words = LABELS[result.lang]
    if not dot_available():
        return [], [words["no_dot"]]
    graph = build_graph(ws, result.findings, result.as_of.isoformat())
    out: list[Diagram] = []
    problems: list[str] = []
    departments = ws.org.departments
    for i, d in enumerate(departments, 1):
        step(f"{words['drawing']} {i}/{len(departments)} {d.name}")
        part = scope(graph, department=d.id)
        options = RenderOptions(lang=result.lang, department=d.id, date=result.as_of.isoformat(), font=font)
        try:
            data, _ = run_dot(build_dot(part, options).source, "svg")
            svg = sanitize_svg(data, f"d{i}-")
        except (RenderError, UnsafeSvg) as error:
            problems.append(f"{d.name}: {error}")
            continue
        risks = sum(1 for _, kind in part.nodes(data="kind") if kind == "risk")
        out.append(Diagram(d.id, d.name, svg, risks))
    return out, problems


def build_model(
    result: CheckResult,
    loaded: LoadedScheme,
    runs: list[Any] | None,
    font: str | None,
    step: Step = _quiet,
    with_diagrams: bool = True,
) -> ReportModel:
    lang = result.lang
    words = LABELS[lang]
    status_labels = STATUS_LABELS[lang]
    summary = result.summary()
    by_status = {s: summary["by_status"].get(s, 0) for s in OPEN_ORDER}
    open_total = sum(by_status.values())
    step(words["charting"])
    counts = {s: n for s, n in by_status.items() if n}
    counts_waived = summary["by_status"].get("waived", 0)
    chart_counts = {**counts, **({"waived": counts_waived} if counts_waived else {})}
    status_chart = (
        sanitize_svg(charts.status_bars(chart_counts, status_labels, font, words["chart_status"]), "c1-")
        if chart_counts
        else ""
    )
    unit_card, department_cards = unit_and_department_cards(result, loaded)
    score_chart = sanitize_svg(
        charts.score_bars(
            [(i.item.title.get(lang), float(i.points), float(i.score)) for i in unit_card.items],
            font,
            words["chart_score"].format(total=f"{float(unit_card.total):g}"),
            (words["points"], words["score"]),
        ),
        "c2-",
    )

    def trend_chart(dates: list[str], series: dict[str, list[int]]) -> str:
        return sanitize_svg(charts.trend(dates, series, status_labels, font, words["chart_trend"]), "c3-")

    history = history_view(result, runs, words["history_none"], words["history_unavailable"], trend_chart)
    upcoming_rows = upcoming(result)
    families, cells = matrix(result, words["unit_row"])
    found_diagrams: list[Diagram] = []
    diagram_problems: list[str] = []
    if with_diagrams:
        found_diagrams, diagram_problems = diagrams(result, font, step)
    ws = result.workspace
    return ReportModel(
        lang=lang,
        unit=ws.org.unit.name,
        unit_id=ws.org.unit.id,
        year=ws.year,
        as_of=result.as_of.isoformat(),
        version=__version__,
        by_status=by_status,
        open_by_severity={s: summary["open_by_severity"].get(s, 0) for s in ("error", "warning")},
        open_total=open_total,
        waived=counts_waived,
        due_30=len(upcoming_rows),
        status_chart=status_chart,
        families=families,
        matrix=cells,
        sections=sections(result),
        upcoming=upcoming_rows,
        unit_card=unit_card,
        department_cards=department_cards,
        score_chart=score_chart,
        waivers=[f for f in result.findings if f.status.value == "waived"],
        waiver_problems=list(result.waiver_problems),
        history=history,
        diagrams=found_diagrams,
        diagram_problems=diagram_problems,
        status_labels=status_labels,
    )


def environment() -> Environment:
    # autoescape on for every template: names, risk points and notes are users' text
    env = Environment(
        loader=PackageLoader("lianfang.checker.monthly", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: f"{float(v):g}"
    return env


def render_html(model: ReportModel, font: str | None) -> str:
    fonts = ([font] if font and font not in FONT_STACK else []) + FONT_STACK
    template = environment().get_template("report.html.j2")
    return template.render(
        m=model,
        t=LABELS[model.lang],
        severity_labels=SEVERITY_LABELS[model.lang],
        # CSS, not HTML: family names (from fontconfig) quoted, with nothing that could end the string
        font_stack=Markup(", ".join('"' + re.sub(r'["\\<>;{}]', "", f) + '"' for f in fonts) + ", sans-serif"),
        # sanitised SVG markup (svg.sanitize_svg), not text
        safe=Markup,
        trigger_label=trigger_label,
        count=lambda what, n: count_label(what, n, model.lang),
    )


def write_pdf(html: str, path: Path) -> None:
    """The same page through WeasyPrint; it embeds (subsets) the fonts the text uses."""
    from weasyprint import HTML

    HTML(string=html, base_url=None).write_pdf(path)
