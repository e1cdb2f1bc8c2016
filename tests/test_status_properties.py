"""Property-based tests of the status decision (SPEC §3 and §3.1), over generated evidence.

The expected statuses here are written from the SPEC's text, not from the checker: a record
matches an obligation by kind, subject and period (its own period, or its date when it has
none; a period of another granularity matches nothing); on time, late, early, then missed /
due soon / pending by the dates alone; R201 counts entries as §3.1 point 2 says; event
obligations open at their trigger. Beside those readings, three properties any reading must
keep: adding an on-time record never makes a finding worse, a record dated after the as-of
date changes nothing, and the order of the records never matters.

The examples are generated around the dates where statuses change: window starts, due
dates, month and quarter ends, the as-of date and the due-soon horizon. The run is fixed
(see the "ci" profile in tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from lianfang.checker.findings import Finding
from lianfang.checker.run import CheckResult, open_workspace, run_check
from lianfang.models.calendar import Period
from lianfang.models.records import Record
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue

BASE = Path(__file__).parent / "fixtures" / "base"
WORKSPACE, CATALOGUE = open_workspace(BASE)
YEAR = 2026


@dataclasses.dataclass(frozen=True)
class Case:
    """One obligation of the base unit, with its window as SPEC §2 states it."""

    rule: str
    kind: str
    subject: str
    period: str
    opens: date
    due: date


CASES = [
    # monthly: a department's report for October, due at the month's end
    Case("R205", "dept_monthly_report", "dept-a", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    # quarterly: the collective diary check of Q3, due at the quarter's end
    Case("R203", "diary_collective_check", "u1", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    # half-yearly: a department's review of its posts, H2
    Case("R208", "post_review", "dept-a", "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    # the annual schedule: a window 04-19..04-24, and a one-day step on 06-23 (§3.1 point 7)
    Case("S102", "study_session", "u1", "2026", date(2026, 4, 19), date(2026, 4, 24)),
    Case("S112", "risk_levels_reviewed", "u1", "2026", date(2026, 6, 23), date(2026, 6, 23)),
    # the year-end assessment, due 31 days after the year
    Case("R211", "year_end_assessment", "dept-a", "2026", date(2026, 1, 1), date(2027, 1, 31)),
]
LABELS = ["2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4", "2026-H2", "2026", "2025", "2026-04", "2026-Q2"]


def workspace(records: list[Record], **params: Any) -> Workspace:
    config = WORKSPACE.config
    if params:
        config = config.model_copy(update={"params": config.params.model_copy(update=params)})
    return dataclasses.replace(WORKSPACE, records=list(records), config=config)


def catalogue(*codes: str) -> Catalogue:
    return Catalogue(tuple(r for r in CATALOGUE.rules if r.code in codes), {})


def check(records: list[Record], as_of: date, codes: tuple[str, ...], **params: Any) -> CheckResult:
    return run_check(workspace(records, **params), catalogue(*codes), as_of)


def finding(result: CheckResult, rule: str, subject: str, period: str | None = None, trigger: str | None = None):
    found = [
        f
        for f in result.findings
        if f.rule == rule and f.subject == subject and f.period == period and f.trigger == trigger
    ]
    assert len(found) == 1, [(f.rule, f.subject, f.period, f.trigger) for f in result.findings]
    return found[0]


def no_evidence_status(due: date, as_of: date, soon: int) -> str:
    """SPEC §3: without matching evidence the dates alone decide."""
    if due < as_of:
        return "missed"
    if (due - as_of).days <= soon:
        return "due_soon"
    return "pending"


def matches(record: Record, period: Period) -> bool:
    """SPEC §3 and §3.1 point 1, as the SPEC words it."""
    if record.period is not None:
        return record.period.label == period.label
    return period.start <= record.date <= period.end


# ------------------------------------------------------------------------- strategies


def near(*anchors: date, spread: int = 3) -> st.SearchStrategy[date]:
    """A date close to one of ``anchors``, or anywhere from 2025-12 to 2027-02."""
    close = st.tuples(st.sampled_from(anchors), st.integers(-spread, spread)).map(lambda t: t[0] + timedelta(t[1]))
    anywhere = st.dates(date(2025, 12, 1), date(2027, 2, 28))
    return st.one_of(close, close, anywhere)


def anchors(case: Case) -> list[date]:
    period = Period.parse(case.period)
    month_ends = [Period.month(YEAR, m).end for m in range(1, 13)]
    return [case.opens, case.due, period.start, period.end, *month_ends[2::3], month_ends[9]]


def period_for(case: Case) -> st.SearchStrategy[Period | None]:
    """Empty, the obligation's own period, or another period (another granularity included)."""
    return st.one_of(st.none(), st.just(Period.parse(case.period)), st.sampled_from(LABELS).map(Period.parse))


@st.composite
def single_record_case(draw: st.DrawFn) -> tuple[Case, list[Record], date, int]:
    case = draw(st.sampled_from(CASES))
    points = anchors(case)
    as_of = draw(near(*points, case.due - timedelta(days=7), spread=4))
    soon = draw(st.integers(0, 10))
    count = draw(st.integers(0, 4))
    records = []
    for i in range(count):
        subject = draw(st.sampled_from([case.subject, case.subject, "dept-b" if case.subject != "dept-b" else "u1"]))
        kind = draw(st.sampled_from([case.kind, case.kind, case.kind, "risk_monitoring"]))
        if kind == "risk_monitoring":
            subject = "rp-a"
        records.append(
            Record(f"X-{i}", kind, draw(near(*points, as_of)), subject, draw(period_for(case)), file="records/x.csv")
        )
    return case, records, as_of, soon


@st.composite
def diary_case(draw: st.DrawFn) -> tuple[list[Record], date, int, int]:
    """Diary entries of staff-a around October 2026 (R201), with periods and results mixed."""
    october = Period.month(YEAR, 10)
    as_of = draw(near(october.start, october.end, date(2026, 11, 15), spread=5))
    n = draw(st.integers(1, 5))
    soon = draw(st.integers(0, 10))
    entries = []
    for i in range(draw(st.integers(0, 8))):
        day = draw(near(october.start, october.end, as_of, spread=6))
        period = draw(st.sampled_from([None, None, "2026-10", "2026-10", "2026-09", "2026-11", "2026-Q4", "2026"]))
        result = draw(st.sampled_from(["", "", "", "incomplete", "达标"]))
        entries.append(
            Record(
                f"D-{i:02d}",
                "diary_entry",
                day,
                "staff-a",
                Period.parse(period) if period else None,
                result=result,
                file="records/diary.csv",
                line=i + 2,
            )
        )
    return entries, as_of, n, soon


# ------------------------------------------------------------------ readings of the SPEC


@given(single_record_case())
def test_status_of_a_single_record_obligation_follows_spec_section_3(
    data: tuple[Case, list[Record], date, int],
) -> None:
    case, records, as_of, soon = data
    period = Period.parse(case.period)
    found = finding(check(records, as_of, (case.rule,), due_soon_days=soon), case.rule, case.subject, case.period)
    matching = [
        r
        for r in records
        if r.kind == case.kind and r.subject == case.subject and r.date <= as_of and matches(r, period)
    ]
    on_time = sorted(r.id for r in matching if case.opens <= r.date <= case.due)
    late = sorted(r.id for r in matching if r.date > case.due)
    early = sorted(r.id for r in matching if r.date < case.opens)
    if on_time:
        expected, evidence = "satisfied", on_time
    elif late:
        expected, evidence = "late", late
    elif early:
        expected, evidence = "early", early
    else:
        expected, evidence = no_evidence_status(case.due, as_of, soon), []
    assert (found.status.value, sorted(found.evidence)) == (expected, evidence), found.message
    assert found.due == case.due


@given(diary_case())
def test_r201_counts_entries_as_spec_section_3_1_point_2_says(data: tuple[list[Record], date, int, int]) -> None:
    entries, as_of, n, soon = data
    october = Period.month(YEAR, 10)
    result = check(entries, as_of, ("R201",), diary_min_entries_per_month=n, due_soon_days=soon)
    found = finding(result, "R201", "staff-a", "2026-10")
    counted = sorted(
        (r for r in entries if r.result != "incomplete" and r.date <= as_of and matches(r, october)),
        key=lambda r: (r.date, r.id),
    )
    on_time = [r for r in counted if october.start <= r.date <= october.end]
    late = [r for r in counted if r.date > october.end]
    if len(on_time) >= n:
        expected = "satisfied"
    elif len(on_time) + len(late) >= n:
        expected = "late"
        nth = sorted(on_time + late, key=lambda r: r.date)[n - 1].date
        assert f"{nth}" in found.message and f"逾期 {(nth - october.end).days} 天" in found.message
    elif len(counted) >= n:
        expected = "early"
    else:
        expected = no_evidence_status(october.end, as_of, soon)
    assert found.status.value == expected, found.message
    # the finding lists the entries it counted, whatever its status
    assert list(found.evidence) == [r.id for r in counted]
    assert f"计入 {len(counted)} 篇" in found.message
    # §3.1 point 1: an entry labelled with a quarter or a year matches no month, and is named
    wrong = {r.id for r in entries if r.period is not None and r.period.granularity != "month" and r.date <= as_of}
    assert {m.record for m in result.period_mismatches} == wrong
    assert all(r.id not in found.evidence for r in entries if r.id in wrong)


@given(
    trigger_day=near(date(2026, 10, 10), date(2026, 11, 9), date(2026, 11, 30)),
    actions=st.lists(
        st.tuples(near(date(2026, 10, 10), date(2026, 11, 9), date(2026, 11, 30)), st.sampled_from(["P-1", "P-2"])),
        max_size=3,
    ),
    as_of=near(date(2026, 10, 10), date(2026, 11, 9), date(2026, 11, 30)),
    soon=st.integers(0, 10),
)
def test_event_obligations_open_at_their_trigger(
    trigger_day: date, actions: list[tuple[date, str]], as_of: date, soon: int
) -> None:
    """SPEC §3.1 point 4 (R204): evidence before the diary problem is early; after as-of, none."""
    records = [Record("P-1", "diary_problem", trigger_day, "staff-a")]
    records += [
        Record(f"A-{i}", "accountability_action", day, "staff-a", ref=ref) for i, (day, ref) in enumerate(actions)
    ]
    result = check(records, as_of, ("R204",), due_soon_days=soon)
    if trigger_day > as_of:
        assert not [f for f in result.findings if f.rule == "R204"]
        return
    found = finding(result, "R204", "staff-a", trigger="P-1")
    due = trigger_day + timedelta(days=30)
    answering = [f"A-{i}" for i, (day, ref) in enumerate(actions) if ref == "P-1" and day <= as_of]
    days = {f"A-{i}": day for i, (day, _) in enumerate(actions)}
    if any(trigger_day <= days[a] <= due for a in answering):
        expected = "satisfied"
    elif any(days[a] > due for a in answering):
        expected = "late"
    elif answering:
        expected = "early"
    else:
        expected = no_evidence_status(due, as_of, soon)
    assert found.status.value == expected, found.message
    assert found.due == due


# ------------------------------------------------------------ properties of any reading

RANK = {"satisfied": 0, "late": 1, "early": 2, "missed": 3, "due_soon": 3, "pending": 3}
METAMORPHIC_RULES = ("R201", *(c.rule for c in CASES), "T502")


def outcome(result: CheckResult) -> dict[str, tuple[Any, ...]]:
    def shown(f: Finding) -> tuple[Any, ...]:
        return (f.status.value, f.severity.value, f.due, tuple(sorted(f.evidence)), f.accountable, f.message)

    return {f.key: shown(f) for f in result.findings}


@st.composite
def mixed_records(draw: st.DrawFn) -> tuple[list[Record], date]:
    as_of = draw(near(date(2026, 10, 31), date(2026, 11, 30), date(2026, 6, 23), spread=5))
    entries, _, _, _ = draw(diary_case())
    case_records = []
    for i in range(draw(st.integers(0, 6))):
        case = draw(st.sampled_from(CASES[:5]))
        case_records.append(
            Record(f"Y-{i}", case.kind, draw(near(*anchors(case), as_of)), case.subject, draw(period_for(case)))
        )
    return entries + case_records, as_of


@given(mixed_records(), st.data())
def test_adding_an_on_time_record_never_makes_a_finding_worse(
    data: tuple[list[Record], date], more: st.DataObject
) -> None:
    records, as_of = data
    open_cases = [c for c in CASES if c.opens <= as_of]
    assume(open_cases)
    case = more.draw(st.sampled_from(open_cases), label="case")
    day = more.draw(st.dates(case.opens, min(case.due, as_of)), label="day")
    period = more.draw(st.sampled_from([None, Period.parse(case.period)]), label="period")
    if period is None and not Period.parse(case.period).start <= day <= Period.parse(case.period).end:
        period = Period.parse(case.period)
    added = Record("ON-TIME", case.kind, day, case.subject, period)
    before = check(records, as_of, METAMORPHIC_RULES)
    after = check([*records, added], as_of, METAMORPHIC_RULES)
    worse = {
        f.key: (before_status, f.status.value)
        for f in after.findings
        if (before_status := next((b.status.value for b in before.findings if b.key == f.key), None)) is not None
        and RANK[f.status.value] > RANK[before_status]
    }
    assert not worse
    assert {f.key for f in after.findings} <= {f.key for f in before.findings}  # nothing new is owed
    target = finding(after, case.rule, case.subject, case.period)
    if case.rule != "R201":
        assert target.status.value == "satisfied"


@given(mixed_records(), st.data())
def test_a_record_after_the_as_of_date_changes_nothing(data: tuple[list[Record], date], more: st.DataObject) -> None:
    records, as_of = data
    kind = more.draw(
        st.sampled_from([c.kind for c in CASES] + ["diary_entry", "accountability_action", "diary_problem"])
    )
    subject = "staff-a" if kind in ("diary_entry", "diary_problem", "accountability_action") else "u1"
    day = as_of + timedelta(days=more.draw(st.integers(1, 40)))
    period = more.draw(st.sampled_from([None, *LABELS]))
    late_record = Record(
        "AFTER", kind, day, subject, Period.parse(period) if period else None, ref="R205:dept-a:2026-10"
    )
    before = check(records, as_of, METAMORPHIC_RULES)
    after = check([*records, late_record], as_of, METAMORPHIC_RULES)
    assert outcome(after) == outcome(before)
    assert after.period_mismatches == before.period_mismatches


@given(mixed_records(), st.randoms(use_true_random=False))
def test_the_order_of_the_records_never_matters(data: tuple[list[Record], date], random: Any) -> None:
    records, as_of = data
    shuffled = list(records)
    random.shuffle(shuffled)
    assert outcome(check(shuffled, as_of, METAMORPHIC_RULES)) == outcome(check(records, as_of, METAMORPHIC_RULES))
