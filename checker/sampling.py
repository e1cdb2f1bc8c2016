"""The monthly diary spot check (每月一次抽查, R202): a reproducible, stratified draw.

Anyone can recompute a draw from the unit's id, the month and the published seed:

1. seed: given with ``--seed``, else the first 16 hex digits of
   ``sha256("lianfang-sample|" + unit_id + "|" + month)``, e.g. for ``dongying-cdpf`` and
   ``2026-11``: ``sha256(b"lianfang-sample|dongying-cdpf|2026-11")``;
2. everyone in org.yaml in office for a day of the month is ordered by
   ``HMAC-SHA256(key=seed, message=month + "|" + person_id)`` (hex, ascending);
3. always drawn (strata): the holders of key posts and the heads of key departments
   (重点中层岗位、部室), and everyone with an earlier diary finding — an R201 finding for
   an earlier month that is missed, late, early or waived, or any R204 obligation (a
   diary problem recorded), in the check as of the month's first day;
4. of the others, the first ``ceil(rate × others)`` in the order of step 2 are drawn
   (rate: ``--rate``, else ``spot_check_rate``, 0.2), so at least the rate of everyone is
   drawn and everyone may be drawn every month; with ``--size N``, the others fill the draw
   up to N persons. The strata are never cut to fit.

The check as of the month's first day uses only records dated before the month, so the
draw does not change while the month's own diaries come in.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lianfang.checker.findings import Finding, Status
from lianfang.checker.run import CheckResult
from lianfang.models.workspace import Workspace

SEED_PREFIX = "lianfang-sample|"
#: R201 statuses that make a person's diary history a reason to look again
HISTORY_STATUSES = {Status.MISSED, Status.LATE, Status.EARLY, Status.WAIVED}
DIARY_RULE = "R201"
DIARY_PROBLEM_RULE = "R204"


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``; ValueError if it is not one."""
    if len(month) != 7 or month[4] != "-":
        raise ValueError(month)
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def default_seed(unit_id: str, month: str) -> str:
    """The published seed: sha256 of the unit id and the month, 16 hex digits."""
    return hashlib.sha256(f"{SEED_PREFIX}{unit_id}|{month}".encode()).hexdigest()[:16]


def order_key(seed: str, month: str, person_id: str) -> str:
    """A person's place in the draw: HMAC-SHA256 keyed by the seed (hex)."""
    return hmac.new(seed.encode("utf-8"), f"{month}|{person_id}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Drawn:
    person: str
    name: str
    department: str | None
    posts: list[str]
    #: why drawn: ("key_post", post or department name), ("history", "R201 2026-09"), ("random", rank)
    reasons: list[tuple[str, str]] = field(default_factory=list)
    order: str = ""
    #: diary entries recorded for the month so far (any result), for the checklist
    entries: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "department": self.department,
            "posts": self.posts,
            "reasons": [{"reason": r, "detail": d} for r, d in self.reasons],
            "order": self.order,
            "entries": self.entries,
        }


@dataclass
class Draw:
    unit_id: str
    unit_name: str
    month: str
    seed: str
    seed_is_default: bool
    population: int
    rate: float | None
    #: the number asked for with --size, else the number drawn
    size: int
    #: how many were drawn because a stratum requires it
    mandatory: int
    drawn: list[Drawn]

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": {"id": self.unit_id, "name": self.unit_name},
            "month": self.month,
            "seed": self.seed,
            "seed_is_default": self.seed_is_default,
            "algorithm": "seed = sha256('lianfang-sample|' + unit_id + '|' + month)[:16]; "
            "order = HMAC-SHA256(seed, month + '|' + person_id), ascending",
            "population": self.population,
            "rate": self.rate,
            "size": self.size,
            "mandatory": self.mandatory,
            "drawn": [d.to_json() for d in self.drawn],
        }


def history(findings: list[Finding], first_day: date) -> dict[str, list[str]]:
    """Person → their earlier diary findings (``R201 2026-09``, ``R204 M-0103``)."""
    out: dict[str, list[str]] = {}
    for f in findings:
        if f.rule == DIARY_RULE and f.status in HISTORY_STATUSES and f.due is not None and f.due < first_day:
            out.setdefault(f.subject, []).append(f"{f.rule} {f.period}")
        elif f.rule == DIARY_PROBLEM_RULE:
            out.setdefault(f.subject, []).append(f"{f.rule} {f.trigger or f.period or ''}".strip())
    return out


def draw(
    result: CheckResult, month: str, seed: str | None = None, size: int | None = None, rate: float | None = None
) -> Draw:
    """Draw the month's spot check from a check as of the month's first day (see module doc)."""
    ws: Workspace = result.workspace
    first, last = month_bounds(month)
    unit = ws.org.unit
    chosen_seed = seed if seed is not None else default_seed(unit.id, month)
    people = sorted(p.id for p in ws.org.people if p.active_during(first, last))
    posts_of: dict[str, list[str]] = {}
    for post in ws.org.posts:
        if post.holder:
            posts_of.setdefault(post.holder, []).append(post.name)
    reasons: dict[str, list[tuple[str, str]]] = {p: [] for p in people}
    for post in ws.org.posts:
        if post.key and post.holder in reasons:
            reasons[post.holder].append(("key_post", post.name))
    for dept in ws.org.departments:
        if dept.key and dept.head in reasons:
            reasons[dept.head].append(("key_department", dept.name))
    for person, items in history(result.findings, first).items():
        if person in reasons:
            reasons[person] += [("history", item) for item in items]

    order = {p: order_key(chosen_seed, month, p) for p in people}
    mandatory = [p for p in people if reasons[p]]
    rest = sorted((p for p in people if not reasons[p]), key=lambda p: (order[p], p))
    if size is None:
        rate = ws.config.params.spot_check_rate if rate is None else rate
        wanted = math.ceil(rate * len(rest))
    else:
        wanted = size - len(mandatory)
    extra = rest[: max(0, wanted)]
    for rank, p in enumerate(extra, 1):
        reasons[p].append(("random", str(rank)))
    entries: dict[str, int] = {}
    for record in ws.records:
        if record.kind != "diary_entry":
            continue
        in_month = record.period.label == month if record.period is not None else first <= record.date <= last
        if in_month:
            entries[record.subject] = entries.get(record.subject, 0) + 1
    departments = [d.id for d in ws.org.departments]

    def place(p: str) -> tuple[int, str]:
        dept = ws.department_of(p)
        return (departments.index(dept) if dept in departments else len(departments), order[p])

    chosen = sorted(mandatory + extra, key=place)
    drawn = [
        Drawn(
            person=p,
            name=ws.people[p].name,
            department=ws.department_of(p),
            posts=posts_of.get(p, []),
            reasons=reasons[p],
            order=order[p],
            entries=entries.get(p, 0),
        )
        for p in chosen
    ]
    return Draw(
        unit_id=unit.id,
        unit_name=unit.name,
        month=month,
        seed=chosen_seed,
        seed_is_default=seed is None,
        population=len(people),
        rate=rate if size is None else None,
        size=size if size is not None else len(mandatory) + len(extra),
        mandatory=len(mandatory),
        drawn=drawn,
    )
