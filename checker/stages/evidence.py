"""Stage 3, evidence: from records and gradings to the evidence facts obligations are matched against.

Aggregations the engine cannot do (at least N diary entries per person-month) happen here,
before it. Every fact gets a stable, unique ``id``; its partition key says which facts must
meet in one sid.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from lianfang.checker.stages.obligations import GRANULARITIES, evidence_key, evidence_ref_key
from lianfang.models.calendar import Granularity, Period, day_number
from lianfang.models.collector import collector_paused
from lianfang.models.config import Params
from lianfang.models.records import Record
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue, resolve_int, resolve_str
from lianfang.rules.schema import Rule
from lianfang.rules.vocabulary import VOCABULARY

Fact = dict[str, object]
#: the subjects of one share of a large check (checker/shares.py)
Share = Container[str]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence as the engine sees it; ``records`` are the ids behind it."""

    fid: str
    keys: tuple[str, ...]
    day: date
    records: tuple[str, ...]


@dataclass(frozen=True)
class PeriodMismatch:
    """A record whose ``period`` is of another granularity than its kind's rules (SPEC §3.1
    point 1): it matches nothing, and the check and ``lint`` say so, naming file and row."""

    record: str
    kind: str
    period: str
    expected: tuple[Granularity, ...]
    file: str
    line: int
    #: the row as the user sees it ("row 7", "line 7", a spreadsheet's cell)
    where: str = ""
    #: the period of the expected granularity its date falls in, for the remedy
    suggestion: str = ""


@dataclass
class EvidenceSet:
    items: list[Evidence] = field(default_factory=list)
    #: per (kind, subject, period) of a counted kind: the ids of the entries counted for it
    #: (SPEC §3.1 point 2), in date order, whatever the obligation's status
    counted: dict[str, tuple[str, ...]] = field(default_factory=dict)


def kind_granularities(catalogue: Catalogue, params: Params) -> dict[str, set[Granularity]]:
    """The granularities of the periods each evidence kind is owed for.

    Obligations of the annual schedule (fixed dates, or a clock from another rule) are owed
    for the year; recurring ones for their period, G305's variants for theirs. Event
    obligations are matched by ``ref``, not by period, and are left out.
    """
    out: dict[str, set[Granularity]] = defaultdict(set)
    for rule in catalogue.rules:
        if rule.type != "obligation":
            continue
        for variant in rule.variants:
            out[variant.evidence].add(_as_granularity(resolve_str(variant.period, params)))
        if rule.evidence is None or rule.period in (None, "event"):
            continue
        out[rule.evidence].add(_as_granularity(resolve_str(rule.period, params)))
    return dict(out)


def _as_granularity(value: str) -> Granularity:
    assert value in GRANULARITIES, value  # validated on load
    return value


def _period_keys(kind: str, subject: str, record_period: Period | None, day: date) -> tuple[str, ...]:
    """A record with a period matches that period; without one, every period its date is in."""
    if record_period is not None:
        return (evidence_key(kind, subject, record_period.label),)
    return tuple(evidence_key(kind, subject, Period.containing(day, g).label) for g in GRANULARITIES)


def period_mismatches(catalogue: Catalogue, ws: Workspace, as_of: date | None = None) -> list[PeriodMismatch]:
    """Every record (dated on or before ``as_of``) whose period's granularity no rule of its
    kind uses: for ``lint`` and the check's warnings (``build_evidence`` leaves them out)."""
    granularities = kind_granularities(catalogue, ws.config.params)
    return [
        m for r in ws.records if (as_of is None or r.date <= as_of) and (m := _mismatch(r, granularities)) is not None
    ]


def _mismatch(record: Record, granularities: dict[str, set[Granularity]]) -> PeriodMismatch | None:
    expected = granularities.get(record.kind)
    if record.period is None or not expected or record.period.granularity in expected:
        return None
    order = tuple(g for g in GRANULARITIES if g in expected)
    suggestion = Period.containing(record.date, order[0]).label
    where = record.place.at("period") if record.place else f"row {record.line}"
    return PeriodMismatch(
        record.id, record.kind, record.period.label, order, record.file, record.line, where, suggestion
    )


def counted_evidence(
    kind: str, subject: str, period: Period, due: date, entries: list[Record], minimum: int
) -> Evidence | None:
    """SPEC §3.1 point 2: the evidence a group of counted entries gives, or None (see
    ``counted_days_evidence``)."""
    ordered = sorted((r.date.toordinal(), r.id) for r in entries)
    days, ids = [d for d, _ in ordered], [i for _, i in ordered]
    return counted_days_evidence(kind, subject, period, due, days, ids, minimum)


def counted_days_evidence(
    kind: str,
    subject: str,
    period: Period,
    due: date,
    days: Sequence[int],
    ids: Sequence[str],
    minimum: int,
    key: str | None = None,
) -> Evidence | None:
    """SPEC §3.1 point 2 on entries given as day numbers and ids, sorted by (day, id).

    On time are entries dated in the period (up to ``due``), late after it, early before
    its first day. At least ``minimum`` on time: dated by the N-th of them; else with the
    late ones: dated by the N-th of those in date order (after the due date, so late); else
    with the early ones too: dated by the last early entry (before the window, so early).
    ``key``: the group's ``evidence_key``, when the caller has it already.
    """
    first = bisect_left(days, period.start.toordinal())  # entries before it are early
    last = bisect_right(days, due.toordinal())  # entries from it on are late
    if last - first >= minimum or len(days) - first >= minimum:
        day = days[first + minimum - 1]  # on time, then on time and late, in date order
    elif len(days) >= minimum:
        day = days[first - 1]
    else:
        return None
    if key is None:
        key = evidence_key(kind, subject, period.label)
    return Evidence(f"n:{kind}:{subject}:{period.label}", (key,), _date(day), tuple(ids))


#: the date of a day number, one object per day: a city's 120k pieces of counted evidence
#: fall on a few hundred days
_date = lru_cache(maxsize=4096)(date.fromordinal)


@collector_paused(freeze=True)  # (kept until the check ends: a city has 147k)
def build_evidence(catalogue: Catalogue, ws: Workspace, as_of: date, share: Share | None = None) -> EvidenceSet:
    """Evidence facts from records (dated on or before ``as_of``) and from gradings.

    With ``share`` (checker/shares.py), only the evidence the obligations of its subjects can
    match: their records and gradings, and every record that answers another by ``ref`` (an
    event's trigger may be another subject's).
    """
    out = EvidenceSet()
    params = ws.config.params
    counting_rules = {r.evidence: r for r in catalogue.rules if r.counting and r.evidence}
    granularities = kind_granularities(catalogue, params)
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in ws.records:
        if record.date > as_of:
            continue  # evidence after the as-of date is ignored: a past check is reproducible
        if share is not None and record.subject not in share and not record.ref:
            continue
        mismatch = _mismatch(record, granularities)
        counting_rule = counted.counting if (counted := counting_rules.get(record.kind)) else None
        if counting_rule is not None:
            if record.result in counting_rule.exclude_results or mismatch is not None:
                continue
            label = (record.period or Period.containing(record.date, "month")).label
            groups[(record.kind, record.subject, label)].append(record)
            continue
        keys = () if mismatch is not None else _period_keys(record.kind, record.subject, record.period, record.date)
        if record.ref:
            keys += (evidence_ref_key(record.kind, record.ref),)
        if keys:
            out.items.append(Evidence(f"r:{record.id}", keys, record.date, (record.id,)))
    #: per counted kind and month: the period, its due date and the rule's minimum, resolved
    #: once (a city has 120k groups and 12 months)
    terms: dict[tuple[str, str], tuple[Period, date, int]] = {}
    for kind, subject, label, days, ids in _counted_groups(ws, as_of, counting_rules, groups, share):
        if share is not None and subject not in share:
            continue
        found = terms.get((kind, label))
        if found is None:
            rule = counting_rules[kind]
            assert rule.counting is not None
            period = Period.parse(label)
            due = period.end + timedelta(days=resolve_int(rule.due_offset_days, params))
            found = terms[(kind, label)] = (period, due, resolve_int(rule.counting.min, params))
        period, due, minimum = found
        key = evidence_key(kind, subject, label)
        out.counted[key] = ids
        item = counted_days_evidence(kind, subject, period, due, days, ids, minimum, key)
        if item is not None:
            out.items.append(item)
    out.items += derived_evidence(catalogue, ws, as_of, share)
    return out


def _counted_groups(
    ws: Workspace,
    as_of: date,
    counting_rules: dict[str, Rule],
    groups: dict[tuple[str, str, str], list[Record]],
    share: Share | None = None,
) -> Iterator[tuple[str, str, str, Sequence[int], tuple[str, ...]]]:
    """Every (kind, subject, month label) of counted entries dated up to ``as_of``, in that
    order, with the entries' day numbers and ids sorted by (day, id).

    Entries read in bulk (``ws.counted``) come grouped, sorted and in that order already;
    those read as records (small files) join them in their group.
    """
    bulk = (g for g in ws.counted.up_to(as_of, share) if g.kind in counting_rules)
    if not groups:
        yield from bulk
        return
    by_key = {(g.kind, g.subject, g.label): g for g in bulk}
    for key in sorted(set(groups) | set(by_key)):
        records = groups.get(key)
        group = by_key.get(key)
        if not records:
            assert group is not None
            yield *key, group.days, group.ids
            continue
        merged = sorted((r.date.toordinal(), r.id) for r in records)
        if group is not None:
            merged = sorted([*merged, *zip(group.days, group.ids, strict=True)])
        yield *key, [d for d, _ in merged], tuple(i for _, i in merged)


def derived_evidence(catalogue: Catalogue, ws: Workspace, as_of: date, share: Share | None = None) -> list[Evidence]:
    """Evidence the vocabulary derives from risks.yaml (``derived_evidence``), for the kinds
    some rule of the catalogue asks for: S111's ``grading`` is a grading dated by its last
    evaluation, and only when every evaluation is recorded (SPEC §3.1 point 3)."""
    wanted = {r.evidence for r in catalogue.rules if r.evidence} & set(VOCABULARY.derived_evidence)
    terms = VOCABULARY.grading
    out: list[Evidence] = []
    for kind in sorted(wanted):
        # the one source the vocabulary knows (``from: gradings``), validated on load
        for grading in ws.risks.gradings:
            if share is not None and grading.subject not in share:
                continue
            last = terms.last(grading)
            if last is not None and terms.complete(grading) and last <= as_of:
                keys = _period_keys(kind, grading.subject, None, last)
                out.append(Evidence(f"g:{grading.subject}", keys, last, (f"risks.yaml#{grading.subject}",)))
    return out


def evidence_facts(evidence: EvidenceSet) -> list[tuple[str, Fact]]:
    """One fact per (evidence, key); the partition key is the matching key."""
    facts: list[tuple[str, Fact]] = []
    for item in evidence.items:
        for index, key in enumerate(item.keys):
            facts.append(
                (key, {"id": f"{item.fid}#{index}", "t": "ev", "key": key, "day": day_number(item.day), "ev": item.fid})
            )
    return facts
