"""``--format table``: what a compliance officer reads in a terminal.

Grouped by status (most urgent first), then by department; Chinese labels by default.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from lianfang.checker.escape import plain
from lianfang.checker.findings import Finding
from lianfang.checker.labels import COLUMN_LABELS, SEVERITY_LABELS, STATUS_LABELS
from lianfang.checker.messages import trigger_label
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.report.terminal import Screen, Table, cell_width
from lianfang.checker.result import CheckResult, sort_key

COLUMNS = ("rule", "subject", "period", "due", "accountable", "detail")
#: the columns whose words (names, ids, dates) a narrow terminal must not break
KEEP_WHOLE = {COLUMNS.index(c) for c in ("subject", "period", "due", "accountable")}
HEADERS = {lang: [words[c] for c in COLUMNS] for lang, words in COLUMN_LABELS.items()}
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


def _people(result: CheckResult, ids: tuple[str, ...]) -> str:
    """One person a line, so that a narrow terminal never breaks a name in the middle."""
    people = result.workspace.people
    return (
        "\n".join(people[i].name if i in people else i for i in ids)
        if result.lang == "zh"
        else "\n".join(f"{people[i].name} ({i})" if i in people else i for i in ids)
    )


#: a word up to this wide (in terminal cells) is never broken: a name, an id, a date, a period;
#: a longer one (a risk point's description, written without spaces) may fold
WHOLE_WORD_CELLS = 18
#: in the folding columns (the rule's title, the message), words up to this wide stay whole: a date
SHORT_WORD_CELLS = 10


def column_widths(headers: list[str], rows: list[list[str]], keep_whole: set[int], room: int) -> list[int]:
    """Column widths that fold long text, and never inside a name, an id or a date ("许建/仁").

    A table that fits in ``room`` cells gets each column's widest line. Otherwise a
    ``keep_whole`` column gets at least its widest word (up to WHOLE_WORD_CELLS), a folding
    column (the rule's title, the message) its widest short word (a date); what is left goes
    to the columns whose text is longest. When even that does not fit, the widest columns
    give up cells until it does (a very narrow terminal: then a name may fold).
    """
    # a cell of space at each edge, three between two columns
    padding = 2 + 3 * (len(headers) - 1)
    columns = [[header, *(row[index] for row in rows)] for index, header in enumerate(headers)]
    natural = [max(cell_width(line) for text in column for line in text.split("\n")) for column in columns]
    if sum(natural) + padding <= room:
        return natural
    for limit in (SHORT_WORD_CELLS, 0):
        # the least each column needs; if that is too much, the folding columns give up their
        # short words (a date in a message may then fold, a name never)
        least = []
        for index, column in enumerate(columns):
            cap = WHOLE_WORD_CELLS if index in keep_whole else limit
            sizes = (cell_width(word) for text in column[1:] for word in text.split())
            least.append(max([*(size for size in sizes if size <= cap), cell_width(column[0]), 1]))
        spare = room - padding - sum(least)
        if spare >= 0:
            break
    else:
        widths = list(least)
        while sum(widths) + padding > room and max(widths) > 1:
            widths[widths.index(max(widths))] -= 1
        return widths
    widths = list(least)
    # the whole-word columns wrap at spaces and need no more; the folding ones share the rest
    wants = [0 if i in keep_whole else max(0, natural[i] - widths[i]) for i in range(len(widths))]
    while spare > 0 and any(wants):
        # a cell at a time to the narrowest column that wants more: long texts share the room
        index = min((i for i in range(len(wants)) if wants[i]), key=lambda i: widths[i])
        widths[index] += 1
        wants[index] -= 1
        spare -= 1
    return widths


@register("table")
def write_table(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    lang = result.lang
    words = WORDS[lang]
    screen = Screen(stream)
    ws = result.workspace
    screen.print(plain(words["title"].format(unit=ws.org.unit.name, year=ws.year, as_of=result.as_of)), "bold")
    findings = options.selected(result)
    if not findings:
        screen.print(words["none"])
    if options.by_owner:
        _write_by_owner(result, screen, findings)
        findings = []
    for status, group in groupby(sorted(findings, key=sort_key), key=lambda f: f.status.value):
        items = list(group)
        label = STATUS_LABELS[lang][status]
        screen.print()
        screen.print(words["group"].format(status=label, count=len(items)), STYLES.get(status, ""))
        for department, rows in groupby(items, key=lambda f: f.department or ""):
            name = ws.departments[department].name if department in ws.departments else words["unit_level"]
            cells = [[plain(c) for c in _row(result, f)] for f in rows]
            table = Table(plain(name), HEADERS[lang], column_widths(HEADERS[lang], cells, KEEP_WHOLE, screen.width))
            for row in cells:
                table.add_row(row)
            screen.table(table)
    for problem in result.waiver_problems:
        screen.print(plain(problem.message), "magenta")
    summary = result.summary()
    counts = "，".join if lang == "zh" else ", ".join
    parts = [f"{STATUS_LABELS[lang][s]} {n}" for s, n in summary["by_status"].items()]
    screen.print()
    screen.print(plain(words["summary"].format(checked=summary["checked"]) + counts(parts)))
    screen.flush()


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


def _write_by_owner(result: CheckResult, screen: Screen, findings: list[Finding]) -> None:
    """One table per accountable person (``--by-owner``), each with only that person's items."""
    from lianfang.checker.report.owners import by_owner

    lang = result.lang
    for section in by_owner(result, findings):
        screen.print()
        rows = []
        for f in section.findings:
            tier = section.tier(f)
            rule, subject, period, due, _, detail = _row(result, f)
            tier_text = TIER[lang].format(tier=tier) if tier else ""
            # the tier under the status: a seventh column would leave no room at 80 columns
            status = "\n".join(x for x in (STATUS_LABELS[lang][f.status.value], tier_text) if x)
            rows.append((f, [plain(c) for c in (rule, subject, status, period, due, detail)]))
        headers = OWNER_HEADERS[lang]
        widths = column_widths(headers, [row for _, row in rows], OWNER_KEEP_WHOLE, screen.width)
        table = Table(plain(section.heading(lang)), headers, widths)
        for f, row in rows:
            table.add_row(row, {2: STYLES.get(f.status.value, "")})
        screen.table(table)


TIER = {"zh": "第 {tier} 层", "en": "tier {tier}"}
TIER_HEADER = {"zh": "层级", "en": "tier"}
OWNER_COLUMNS = ("rule", "subject", "status", "period", "due", "detail")
OWNER_KEEP_WHOLE = {OWNER_COLUMNS.index(c) for c in ("subject", "status", "period", "due")}
OWNER_HEADERS = {
    lang: [f"{words[c]}/{TIER_HEADER[lang]}" if c == "status" else words[c] for c in OWNER_COLUMNS]
    for lang, words in COLUMN_LABELS.items()
}
