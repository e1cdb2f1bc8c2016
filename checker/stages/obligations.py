"""Calendar expansion: from the rule catalogue and the workspace to dated obligations.

This is plain Python on purpose: durable-rules has no date type, so periods, windows and
due dates are computed here and reach the engine as day numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import date, timedelta

from lianfang.models.calendar import Granularity, Period, month_day
from lianfang.models.collector import collector_paused
from lianfang.models.records import Record
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue, resolve_int, resolve_str
from lianfang.rules.schema import Rule
from lianfang.rules.vocabulary import VOCABULARY

GRANULARITIES: tuple[Granularity, ...] = ("month", "quarter", "half", "year")


@dataclass(frozen=True, slots=True)
class Obligation:
    """Something a subject owes: evidence of ``kind`` between ``opens`` and ``due``."""

    rule: Rule
    subject: str
    kind: str
    opens: date
    due: date
    period: Period | None = None
    #: the record that created an event obligation, or for an escalation (T502) the missed
    #: obligation's finding key
    trigger: str | None = None
    #: why the obligation cannot be decided (a key of messages.UNKNOWN), else empty
    unknown: str = ""
    #: the obligation's identity: rule, subject, and trigger or period
    oid: str = field(init=False, compare=False, repr=False)
    #: what evidence must carry to match: kind and subject and period, or kind and ref
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Computed once, as plain attributes: both are read several times per obligation (a
        # city has 185k) and ``functools.cached_property`` takes a lock on every read on
        # Python 3.11 (370k reads cost 2.2 s); ``slots`` also keeps each object small.
        label = self.period.label if self.period else ""
        if self.trigger is not None:
            key = evidence_ref_key(self.kind, self.trigger)
        else:
            assert self.period is not None
            key = evidence_key(self.kind, self.subject, label)
        object.__setattr__(self, "oid", f"{self.rule.code}:{self.subject}:{self.trigger or label}")
        object.__setattr__(self, "key", key)


def evidence_key(kind: str, subject: str, period: str) -> str:
    return f"{kind}|{subject}|{period}"


def evidence_ref_key(kind: str, ref: str) -> str:
    return f"{kind}@{ref}"


def select_subjects(
    selector: str, ws: Workspace, period: Period | None, share: Container[str] | None = None
) -> list[str]:
    """The subjects a rule applies to: the union of the sets its selector names in
    rules/vocabulary.yaml; people only while in office during the period. With ``share``,
    only its subjects, in the same order (a share of a city looks at its own people's terms)."""

    def mine(ids: list[str]) -> list[str]:
        return ids if share is None else [i for i in ids if i in share]

    def active(person_ids: list[str]) -> list[str]:
        person_ids = mine(person_ids)
        if period is None:
            return person_ids
        return [p for p in person_ids if ws.people[p].active_during(period.start, period.end)]

    sets: dict[str, Callable[[], list[str]]] = {
        "unit": lambda: mine([ws.unit_id]),
        "departments": lambda: mine([d.id for d in ws.org.departments]),
        "posts": lambda: mine([p.id for p in ws.org.posts]),
        "leaders": lambda: active([p.id for p in ws.leaders]),
        "people": lambda: active([p.id for p in ws.org.people]),
        "risk_points": lambda: mine([r.id for r in ws.risks.risk_points]),
        "key_posts": lambda: mine([p.id for p in ws.org.posts if p.key]),
        "key_departments": lambda: mine([d.id for d in ws.org.departments if d.key]),
    }
    return list(dict.fromkeys(s for name in VOCABULARY.selectors[selector] for s in sets[name]()))


def owed_periods(ws: Workspace, granularity: Granularity) -> list[Period]:
    """Periods of the programme year whose last day is on or after ``recurring_from``."""
    start = ws.config.recurring_from
    return [p for p in Period.all_in_year(ws.year, granularity) if p.end >= start]


def _granularity(value: str, ws: Workspace) -> Granularity:
    resolved = resolve_str(value, ws.config.params)
    assert resolved in GRANULARITIES, resolved
    return resolved


def matches_period(record: Record, period: Period) -> bool:
    """SPEC §3: a record matches a period by its own ``period``, or by its date when it has none.

    A period of another granularity matches nothing (SPEC §3.1 point 1).
    """
    if record.period is not None:
        return record.period.label == period.label
    return period.start <= record.date <= period.end


def clock_start(
    catalogue: Catalogue, code: str, ws: Workspace, period: Period, records_by_kind: dict[str, list[Record]]
) -> date | None:
    """When a ``due_from`` clock starts (SPEC §3.1 point 5): the first record rule ``code``
    matches for ``period`` (an early one counts), else that rule's own due date.

    The rule may be disabled in the workspace: its dates still hold for the rules that
    count from it.
    """
    clock = catalogue.get_any(code)
    if clock is None or clock.due is None or clock.evidence is None:
        return None  # refused when the pack loads; only lint goes on with a broken pack (unknown)
    subjects = set(select_subjects(clock.subjects or "unit", ws, period))
    dates = [
        r.date for r in records_by_kind.get(clock.evidence, []) if r.subject in subjects and matches_period(r, period)
    ]
    return min(dates) if dates else month_day(ws.year, clock.due)


@collector_paused(freeze=True)  # (kept until the check ends: a city has 185k)
def expand(catalogue: Catalogue, ws: Workspace, as_of: date, share: Container[str] | None = None) -> list[Obligation]:
    """Every obligation of the year that exists as of ``as_of`` (triggers after it do not);
    with ``share``, only those of its subjects (checker/shares.py)."""
    params = ws.config.params
    chosen: dict[tuple[str, Period], list[str]] = {}

    def subjects(selector: str, period: Period) -> list[str]:
        # several rules share a selector and a period (people, each month: 10,000 people
        # looked up once per month, not once per rule and month)
        found = chosen.get((selector, period))
        if found is None:
            found = select_subjects(selector, ws, period, share)
            chosen[(selector, period)] = found
        return found

    def mine(subject: str) -> bool:
        return share is None or subject in share

    records_by_kind: dict[str, list[Record]] = {}
    for record in ws.records:
        if record.date <= as_of:
            records_by_kind.setdefault(record.kind, []).append(record)
    out: list[Obligation] = []
    for rule in catalogue.rules:
        if rule.type != "obligation":
            continue
        assert rule.subjects is not None
        offset = timedelta(days=resolve_int(rule.due_offset_days, params))
        if rule.period == "event":
            assert rule.trigger and rule.evidence
            for trigger in sorted(records_by_kind.get(rule.trigger, []), key=lambda r: r.id):
                if not mine(trigger.subject):
                    continue
                out.append(
                    Obligation(
                        rule, trigger.subject, rule.evidence, trigger.date, trigger.date + offset, trigger=trigger.id
                    )
                )
            continue
        if rule.variants:
            # a subject none of whose variants applies (a risk point without a level) owes
            # something, but what cannot be decided: an unknown finding, never a silent pass
            levels = {v.level for v in rule.variants}
            year = Period.year(ws.year)
            for risk in ws.risks.risk_points:
                if risk.level is None and levels and mine(risk.id):
                    kind = rule.variants[0].evidence
                    out.append(Obligation(rule, risk.id, kind, year.start, year.end, year, unknown="no_level"))
            for variant in rule.variants:
                granularity = _granularity(variant.period, ws)
                for period in owed_periods(ws, granularity):
                    due = period.end + offset
                    for risk in ws.risks.risk_points:
                        if risk.level == variant.level and mine(risk.id):
                            out.append(Obligation(rule, risk.id, variant.evidence, period.start, due, period))
            continue
        assert rule.period is not None and rule.evidence is not None
        if rule.due is not None:  # the annual schedule: fixed dates in the programme year
            period = Period.year(ws.year)
            opens = month_day(ws.year, rule.opens) if rule.opens else period.start
            due = month_day(ws.year, rule.due)
            for subject in subjects(rule.subjects, period):
                out.append(Obligation(rule, subject, rule.evidence, opens, due, period))
            continue
        if rule.due_from is not None:
            period = Period.year(ws.year)
            start = clock_start(catalogue, rule.due_from.rule, ws, period, records_by_kind)
            for subject in subjects(rule.subjects, period):
                if start is None:
                    # the rule its clock counts from is unusable (only lint goes on with such a
                    # pack): owed, but when cannot be decided; never a silent pass
                    out.append(
                        Obligation(rule, subject, rule.evidence, period.start, period.end, period, unknown="no_clock")
                    )
                    continue
                due = start + timedelta(days=resolve_int(rule.due_from.offset_days, params))
                out.append(Obligation(rule, subject, rule.evidence, period.start, due, period))
            continue
        for period in owed_periods(ws, _granularity(rule.period, ws)):
            # one date object for every subject's due date: a share of a city pickles its 92k
            # findings' dates as a few references instead of 92k objects (~20% of the pickling)
            due = period.end + offset
            for subject in subjects(rule.subjects, period):
                out.append(Obligation(rule, subject, rule.evidence, period.start, due, period))
    return out
