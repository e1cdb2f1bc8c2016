"""``lianfang graph``: the network diagram, its graph exports and the ledger view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from lianfang.checker.labels import count_label
from lianfang.checker.options import (
    cannot_write,
    check_options,
    echo_notices,
    echo_warning,
    echo_wrote,
    fail,
    fail_input,
    output_option,
)
from lianfang.models.errors import InputError, suggest

FORMATS = ("svg", "png", "pdf", "dot", "graphml", "json", "ledger")
#: the format a file's extension implies when --format is not given
EXTENSIONS = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".graphml": "graphml",
    ".json": "json",
    ".csv": "ledger",
    ".md": "ledger",
}
#: formats drawn by graphviz's ``dot`` program (the others are written by Python alone)
NEEDS_DOT = ("svg", "png", "pdf")
DOT_INSTALL_HINT = "sudo apt-get install graphviz (macOS: brew install graphviz; Windows: winget install graphviz)"


def output_format(output: Path, fmt: str | None) -> str:
    """The format asked for, or the one the file's extension implies."""
    suffix = output.suffix.lower()
    if fmt is None:
        if suffix not in EXTENSIONS:
            known = ", ".join(EXTENSIONS)
            fail(
                f'cannot tell the format of "{output}" from its extension; use --format or one of {known}',
                f"无法从扩展名判断“{output}”的格式；请用 --format，或使用以下扩展名之一：{known}",
            )
        fmt = EXTENSIONS[suffix]
    if fmt == "ledger" and suffix not in (".csv", ".md"):
        fail(
            f'the ledger is written as CSV or Markdown: name the file "{output.stem}.csv" or "{output.stem}.md"',
            f"台账只能写成 CSV 或 Markdown：请把文件命名为“{output.stem}.csv”或“{output.stem}.md”",
        )
    return fmt


def missing_dot(fmt: str, lang: str = "en") -> str:
    """The error when graphviz is not installed, with the command that installs it."""
    if lang == "zh":
        return (
            f"在 PATH 中找不到 graphviz 的 dot 程序，绘制 {fmt.upper()} 需要它；请安装：{DOT_INSTALL_HINT}"
            "（--format dot、graphml、json 和 ledger 不需要 graphviz）"
        )
    return (
        f'graphviz\'s "dot" program was not found on PATH; it is needed to draw {fmt.upper()}; '
        f"install it: {DOT_INSTALL_HINT} (--format dot, graphml, json and ledger need no graphviz)"
    )


def resolve(kind: str, value: str, names: dict[str, str], where: str) -> str:
    """An id given as itself or as its name (``jiaojiu`` or ``教就部``); else exit 2 with a hint."""
    if value in names:
        return value
    by_name = {name: item_id for item_id, name in names.items()}
    if value in by_name:
        return by_name[value]
    hint = suggest(value, list(names) + list(by_name))
    shown = ", ".join(list(names)[:12]) + (", …" if len(names) > 12 else "")
    zh_kind = {"department": "部室", "power item": "权力事项"}.get(kind, kind)
    fail(
        f'unknown {kind} "{value}"{hint or f"; the {kind}s are: {shown}"} (see {where})',
        f"未知的{zh_kind}“{value}”{hint or f'；可选：{shown}'}（见 {where}）",
    )


@click.command("graph")
@check_options(
    as_of=" and mark its open findings on the nodes they concern (without --as-of, none are marked).",
    waivers=" for --as-of; waived findings are not marked",
)
@output_option("File to write; its extension gives the format unless --format is given.", required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="svg, png, pdf or dot (the diagram); graphml or json (the networkx graph); ledger (the 一览表, .csv or .md).",
)
@click.option("--department", metavar="ID", help="Draw one department only (its id or its name).")
@click.option("--power", metavar="ID", help="Draw one power item only (its id or its name).")
def graph_command(
    workspace: Path,
    output: Path,
    fmt: str | None,
    department: str | None,
    power: str | None,
    as_of: date | None,
    lang: str,
    waivers_file: Path | None,
) -> None:
    """Draw the power-operation network diagram (廉政风险防控管理网络图), or export its graph or ledger.

    Per department: each power item's steps left to right, the risk points on the step
    where they arise, coloured and starred by level, with their measures, owners and the
    accountable people. With --as-of, the open findings of `lianfang check` for that date
    are marked on the nodes they concern. SVG, PNG and PDF need graphviz (`dot`); DOT,
    GraphML, JSON and the ledger do not. Exit codes: 0 written, 2 bad input or usage.

    Example: lianfang graph examples/dongying -o 网络图.png --as-of 2026-11-30
    """
    from lianfang.checker.output import atomic_path, refuse_output
    from lianfang.graph import fonts
    from lianfang.graph.model import build_graph, scope, write_graphml, write_json
    from lianfang.graph.render import RenderError, RenderOptions, dot_available, render

    refuse_output(output, workspace, waivers_file)
    fmt = output_format(output, fmt)
    if fmt in NEEDS_DOT and not dot_available():
        fail(missing_dot(fmt), missing_dot(fmt, "zh"))
    try:
        if as_of is not None:
            from lianfang.checker.run import check_with_waivers

            # the findings `lianfang check` prints: the check's, with the waivers applied
            result = check_with_waivers(workspace, as_of, lang, waivers_file=waivers_file)
            ws, findings = result.workspace, result.findings
        else:
            from lianfang.checker.run import open_workspace

            ws, findings = open_workspace(workspace)[0], []
    except InputError as problem:
        fail_input(problem)
    echo_notices(ws.notices, lang)
    if department is not None:
        department = resolve("department", department, {d.id: d.name for d in ws.org.departments}, "org.yaml")
    if power is not None:
        power = resolve("power item", power, {p.id: p.name for p in ws.risks.powers}, "risks.yaml, powers")
        owner = ws.powers[power].department
        if department is not None and owner != department:
            fail(
                f'power item "{power}" belongs to department "{owner}", not "{department}"; drop --department or change it',
                f"权力事项“{power}”属于部室“{owner}”，不属于“{department}”；请去掉 --department 或改正它",
            )

    graph = scope(build_graph(ws, findings, as_of.isoformat() if as_of else ""), department, power)
    try:
        with atomic_path(output) as temp:
            if fmt == "graphml":
                write_graphml(graph, temp)
            elif fmt == "json":
                write_json(graph, temp)
            elif fmt == "ledger":
                from lianfang.graph.ledger import write_ledger

                write_ledger(graph, temp, lang)
            else:
                font = fonts.choose_cjk_font()
                if font is None and fmt in NEEDS_DOT:
                    click.echo(fonts.missing_font_warning(lang), err=True)
                options = RenderOptions(
                    lang=lang, department=department, power=power, date=(as_of or date.today()).isoformat(), font=font
                )
                for en, zh in render(graph, temp, fmt, options):
                    echo_warning(en, zh)
    except OSError as problem:
        cannot_write(output, problem)
    except RenderError as problem:
        # "missing": dot vanished between the check above and the run
        if str(problem) == "missing":
            fail(missing_dot(fmt), missing_dot(fmt, "zh"))
        fail(f"graphviz could not draw the diagram: {problem}", f"graphviz 无法绘制网络图：{problem}")
    risks = sum(1 for _, kind in graph.nodes(data="kind") if kind == "risk")
    marked = sum(1 for _, n in graph.nodes(data="findings") if n)
    said_en, said_zh = [fmt, count_label("risk_point", risks, "en")], [fmt, count_label("risk_point", risks, "zh")]
    if as_of:
        said_en.append(f"{count_label('node_with_findings', marked, 'en')} as of {as_of}")
        said_zh.append(f"截至 {as_of} {count_label('node_with_findings', marked, 'zh')}")
    echo_wrote(output, "; ".join(said_en), "；".join(said_zh), err=False)
