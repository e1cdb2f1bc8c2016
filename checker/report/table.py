"""``--format table``: what a compliance officer reads in a terminal.

Grouped by status (most urgent first), then by department; Chinese labels by default.
"""

from __future__ import annotations

import os
from itertools import groupby
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lianfang.checker.escape import rich_text
from lianfang.checker.findings import Finding
from lianfang.checker.labels import SEVERITY_LABELS, STATUS_LABELS
from lianfang.checker.messages import trigger_label
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.result import CheckResult, sort_key

HEADERS = {
    "zh": ["规则", "对象", "期间", "截止日期", "责任人", "说明"],
    "en": ["rule", "subject", "period", "due", "accountable", "message"],
}
WORDS = {
    "zh": {
        "title": "{unit} 廉政风险防控检查 — {year} 年度，截至 {as_of}",
        "none": "没有需要处理的事项。",
        "unit_level": "单位层面",
        "summary": "共检查 {checked} 项：",
        "group": "{status}（{count}）",
    },
    "en": {
        "title": "{unit} integrity-risk check — {year}, as of {as_of}",
        "none": "Nothing needs attention.",
        "unit_level": "unit level",
        "summary": "{checked} obligations and checks evaluated: ",
        "group": "{status} ({count})",
    },
}
STYLES = {
    "missed": "bold red",
    "failed": "bold red",
    "late": "yellow",
    "early": "yellow",
    "due_soon": "cyan",
    "waived": "magenta",
    "pending": "dim",
    "satisfied": "green",
}


def _console(stream: TextIO) -> Console:
    interactive = hasattr(stream, "isatty") and stream.isatty()
    # a file or a pipe gets a wide table (COLUMNS if set): Chinese wrapped at 80 columns is unreadable
    width = None if interactive else int(os.environ.get("COLUMNS") or 180)
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def _people(result: CheckResult, ids: tuple[str, ...]) -> str:
    """One person a line, so that a narrow terminal never breaks a name in the middle."""
    people = result.workspace.people
    return (
        "\n".join(people[i].name if i in people else i for i in ids)
        if result.lang == "zh"
        else "\n".join(f"{people[i].name} ({i})" if i in people else i for i in ids)
    )


def _add_columns(table: Table, headers: list[str], rows: list[list[str]]) -> None:
    """Columns that fold long text; the period, due date and people columns are never narrower
    than their longest word, so a narrow terminal does not break a name or a date in two."""
    for index, header in enumerate(headers):
        keep_whole = index in (2, 3, 4)
        words = [word for row in rows for word in str(row[index]).split()]
        widest = max([cell_len(word) for word in words] + [cell_len(header)])
        table.add_column(header, overflow="fold", min_width=widest if keep_whole else None)


@register("table")
def write_table(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    lang = result.lang
    words = WORDS[lang]
    console = _console(stream)
    ws = result.workspace
    console.print(rich_text(words["title"].format(unit=ws.org.unit.name, year=ws.year, as_of=result.as_of), "bold"))
    findings = options.selected(result)
    if not findings:
        console.print(words["none"])
    if options.by_owner:
        _write_by_owner(result, console, findings)
        findings = []
    for status, group in groupby(sorted(findings, key=sort_key), key=lambda f: f.status.value):
        items = list(group)
        label = STATUS_LABELS[lang][status]
        console.print()
        console.print(Text(words["group"].format(status=label, count=len(items)), style=STYLES.get(status, "")))
        for department, rows in groupby(items, key=lambda f: f.department or ""):
            name = ws.departments[department].name if department in ws.departments else words["unit_level"]
            table = Table(
                title=rich_text(name), title_justify="left", box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False
            )
            cells = [_row(result, f) for f in rows]
            _add_columns(table, HEADERS[lang], cells)
            for row in cells:
                table.add_row(*(rich_text(c) for c in row))
            console.print(table)
    for problem in result.waiver_problems:
        console.print(rich_text(problem.message, "magenta"))
    summary = result.summary()
    counts = "，".join if lang == "zh" else ", ".join
    parts = [f"{STATUS_LABELS[lang][s]} {n}" for s, n in summary["by_status"].items()]
    console.print()
    console.print(rich_text(words["summary"].format(checked=summary["checked"]) + counts(parts)))


def _row(result: CheckResult, f: Finding) -> list[str]:
    # a waived finding no longer counts as an error or warning: say so instead of its severity
    label = (STATUS_LABELS if f.waiver else SEVERITY_LABELS)[result.lang][
        f.status.value if f.waiver else f.severity.value
    ]
    rule = f"{f.rule} {f.title}\n[{label}]"
    subject = f"{f.subject_name}\n({f.subject})" if f.subject_name != f.subject else f.subject
    return [
        rule,
        subject,
        f.period or trigger_label(f.trigger),
        f.due.isoformat() if f.due else "",
        _people(result, f.accountable),
        f.detail or f.message,
    ]


def _write_by_owner(result: CheckResult, console: Console, findings: list[Finding]) -> None:
    """One table per accountable person (``--by-owner``), each with only that person's items."""
    from lianfang.checker.report.owners import by_owner

    lang = result.lang
    for section in by_owner(result, findings):
        console.print()
        table = Table(title=rich_text(section.heading(lang)), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for header in OWNER_HEADERS[lang]:
            table.add_column(header, overflow="fold")
        for f in section.findings:
            tier = section.tier(f)
            row = _row(result, f)
            status = Text(STATUS_LABELS[lang][f.status.value], style=STYLES.get(f.status.value, ""))
            cells = [rich_text(c) for c in row]
            tier_text = rich_text(TIER[lang].format(tier=tier) if tier else "")
            table.add_row(cells[0], cells[1], status, cells[2], cells[3], tier_text, cells[5])
        console.print(table)


OWNER_HEADERS = {
    "zh": ["规则", "对象", "状态", "期间", "截止日期", "层级", "说明"],
    "en": ["rule", "subject", "status", "period", "due", "tier", "message"],
}
TIER = {"zh": "第 {tier} 层", "en": "tier {tier}"}
