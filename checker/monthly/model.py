"""What the monthly report shows, gathered from one check result (waivers applied), the
score, the archive's check history and the network diagram."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lianfang.checker.findings import OPEN_STATUSES, STATUS_LABELS, Finding, Status
from lianfang.checker.messages import trigger_label
from lianfang.checker.run import STATUS_ORDER, CheckResult
from lianfang.checker.scoring import LoadedScheme, Scorecard, scorecards
from lianfang.rules.catalogue import FAMILY_ORDER

#: the statuses counted as open, gravest first (the check's order)
OPEN_ORDER = [s for s in STATUS_ORDER if Status(s) in OPEN_STATUSES]
#: how far ahead "upcoming deadlines" look
HORIZON_DAYS = 30
#: a cell's colour class: the gravest open status in it
CELL_CLASS = {
    "missed": "bad",
    "failed": "bad",
    "unknown": "unknown",
    "late": "warn",
    "early": "warn",
    "due_soon": "soon",
}


@dataclass
class Row:
    """One finding as the report lists it."""

    rule: str
    title: str
    subject: str
    subject_name: str
    period: str
    status: str
    status_label: str
    due: str
    accountable: str
    detail: str


@dataclass
class DepartmentSection:
    id: str
    name: str
    head: str
    leader: str
    rows: list[Row]


@dataclass
class Cell:
    count: int
    status: str  # the gravest open status, "" when none
    css: str


@dataclass
class Diagram:
    department: str
    name: str
    svg: str
    risks: int


@dataclass
class HistoryView:
    available: bool
    #: why there is no history, when there is none
    note: str = ""
    runs: int = 0
    last_as_of: str = ""
    new: list[Row] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    chart: str = ""


@dataclass
class ReportModel:
    lang: str
    unit: str
    unit_id: str
    year: int
    as_of: str
    version: str
    by_status: dict[str, int]
    open_by_severity: dict[str, int]
    open_total: int
    waived: int
    due_30: int
    status_chart: str
    families: list[tuple[str, str]]
    matrix: list[tuple[str, list[Cell]]]
    sections: list[DepartmentSection]
    upcoming: list[Row]
    unit_card: Scorecard
    department_cards: list[Scorecard]
    score_chart: str
    waivers: list[Finding]
    waiver_problems: list[Any]
    history: HistoryView
    diagrams: list[Diagram]
    diagram_problems: list[str]
    status_labels: dict[str, str]


def people_names(result: CheckResult, ids: tuple[str, ...] | list[str]) -> str:
    ws = result.workspace
    sep = "、" if result.lang == "zh" else ", "
    return sep.join(ws.people[i].name if i in ws.people else i for i in ids if i and i != "-")


def row(result: CheckResult, f: Finding) -> Row:
    labels = STATUS_LABELS[result.lang]
    return Row(
        rule=f.rule,
        title=f.title,
        subject=f.subject,
        subject_name=f.subject_name,
        period=f.period or trigger_label(f.trigger),
        status=f.status.value,
        status_label=labels[f.status.value],
        due=f.due.isoformat() if f.due else "",
        accountable=people_names(result, f.accountable),
        detail=f.detail or f.message,
    )


def row_from_json(result: CheckResult, data: dict[str, Any]) -> Row:
    """A finding of a saved run (``Finding.to_json()``) as a report row."""
    status = str(data.get("status", ""))
    return Row(
        rule=str(data.get("rule", "")),
        title=str(data.get("title", "")),
        subject=str(data.get("subject", "")),
        subject_name=str(data.get("subject_name") or data.get("subject", "")),
        period=str(data.get("period") or trigger_label(data.get("trigger"))),
        status=status,
        status_label=STATUS_LABELS[result.lang].get(status, status),
        due=str(data.get("due") or ""),
        accountable=people_names(result, list(data.get("accountable") or [])),
        detail=str(data.get("message", "")),
    )


def json_key(data: dict[str, Any]) -> str:
    """The identity of a saved finding, as ``Finding.key``."""
    return f"{data.get('rule')}:{data.get('subject')}:{data.get('trigger') or data.get('period') or ''}"


def matrix(result: CheckResult, unit_label: str) -> tuple[list[tuple[str, str]], list[tuple[str, list[Cell]]]]:
    """Departments (and the unit's own row) × rule families: open findings and the gravest status."""
    ws = result.workspace
    families = [
        (family, result.catalogue.families[family].title.get(result.lang))
        for family in FAMILY_ORDER
        if family in result.catalogue.families
    ]
    cells: dict[tuple[str | None, str], list[Finding]] = defaultdict(list)
    for f in result.open_findings():
        cells[(f.department, f.rule[0])].append(f)
    rows: list[tuple[str, list[Cell]]] = []
    keys: list[tuple[str | None, str]] = [(d.id, d.name) for d in ws.org.departments] + [(None, unit_label)]
    for dept, name in keys:
        line = []
        for family, _ in families:
            found = cells.get((dept, family), [])
            worst = min((OPEN_ORDER.index(f.status.value) for f in found), default=None)
            status = OPEN_ORDER[worst] if worst is not None else ""
            line.append(Cell(len(found), status, CELL_CLASS.get(status, "ok")))
        rows.append((name, line))
    return families, rows


def sections(result: CheckResult) -> list[DepartmentSection]:
    """Open findings by department, with the department's head and leader in charge by name."""
    ws = result.workspace
    grouped: dict[str | None, list[Finding]] = defaultdict(list)
    for f in result.open_findings():
        grouped[f.department].append(f)
    out = []
    for d in ws.org.departments:
        if grouped.get(d.id):
            out.append(
                DepartmentSection(
                    d.id,
                    d.name,
                    people_names(result, [d.head or ""]),
                    people_names(result, [d.leader_in_charge or ""]),
                    [row(result, f) for f in grouped[d.id]],
                )
            )
    if grouped.get(None):
        unit = ws.org.unit
        out.append(
            DepartmentSection(
                unit.id,
                "",
                people_names(result, [unit.programme_leader]),
                people_names(result, [unit.main_leader]),
                [row(result, f) for f in grouped[None]],
            )
        )
    return out


def upcoming(result: CheckResult, days: int = HORIZON_DAYS) -> list[Row]:
    """Obligations not yet done that fall due within ``days`` after the as-of date."""
    end = result.as_of + timedelta(days=days)
    items = [
        f
        for f in result.findings
        if f.status in (Status.DUE_SOON, Status.PENDING) and f.due is not None and result.as_of <= f.due <= end
    ]
    items.sort(key=lambda f: (f.due or date.max, f.rule, f.subject))
    return [row(result, f) for f in items]


def history_view(
    result: CheckResult,
    runs: list[Any] | None,
    note_none: str,
    note_unavailable: str,
    chart: Callable[[list[str], dict[str, list[int]]], str],
) -> HistoryView:
    """Trend over the earlier checks saved in the archive, and what changed since the last one.

    ``runs`` is ``recent_runs(...)`` (oldest first), or None where the archive is not
    installed. Runs as of the report's date or later are not "earlier".
    """
    if runs is None:
        return HistoryView(False, note_unavailable)
    as_of = result.as_of.isoformat()
    # one point per date: of several checks saved for the same day, the last
    by_date = {str(r.as_of)[:10]: r for r in runs if str(r.as_of)[:10] < as_of}
    earlier = [by_date[d] for d in sorted(by_date)]
    if not earlier:
        return HistoryView(False, note_none)
    dates = [str(r.as_of)[:10] for r in earlier] + [as_of]
    series: dict[str, list[int]] = {s: [] for s in OPEN_ORDER}
    for run_findings in [r.findings for r in earlier] + [[f.to_json() for f in result.findings]]:
        counts = Counter(str(f.get("status")) for f in run_findings)
        for s in OPEN_ORDER:
            series[s].append(counts.get(s, 0))
    last = earlier[-1]
    before = {json_key(f): f for f in last.findings if f.get("status") in OPEN_ORDER}
    now = {f.key: f for f in result.open_findings()}
    new = [row(result, f) for key, f in now.items() if key not in before]
    resolved = []
    current = {f.key: f for f in result.findings}
    for key, data in before.items():
        if key in now:
            continue
        after = current.get(key)
        status_now = after.status.value if after is not None else ""
        resolved.append({"row": row_from_json(result, data), "now": status_now})
    return HistoryView(
        True,
        runs=len(earlier),
        last_as_of=str(last.as_of)[:10],
        new=new,
        resolved=resolved,
        chart=chart(dates, series),
    )


def load_history(workspace: Path, db_url: str | None) -> list[Any] | None:
    """The archive's recent check runs, oldest first; None where the archive is not installed."""
    try:
        from lianfang.models.archive.history import recent_runs  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return list(recent_runs(workspace, db_url=db_url, limit=12))


def unit_and_department_cards(result: CheckResult, loaded: LoadedScheme) -> tuple[Scorecard, list[Scorecard]]:
    return scorecards(result, loaded, "unit")[0], scorecards(result, loaded, "department")
