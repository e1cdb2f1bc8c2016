"""The result of a check: every finding in order, with what the outputs need beside them.

Its own module so that the outputs (checker/report, graph, calendar) depend on the result
type and not on the stages that compute it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from lianfang.checker.findings import OPEN_STATUSES, Finding, Status
from lianfang.checker.messages import period_mismatch_notice
from lianfang.checker.stages.evidence import PeriodMismatch
from lianfang.models.errors import Notice
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue

STATUS_ORDER = [
    s.value
    for s in (
        Status.MISSED,
        Status.FAILED,
        Status.UNKNOWN,
        Status.LATE,
        Status.EARLY,
        Status.DUE_SOON,
        Status.WAIVED,
        Status.PENDING,
        Status.SATISFIED,
    )
]


@dataclass
class CheckResult:
    """Everything a report needs: the inputs, the date, and every finding in order."""

    workspace: Workspace
    catalogue: Catalogue
    as_of: date
    lang: str
    findings: list[Finding]
    #: expired and stale waivers (checker.waivers.WaiverProblem), reported beside the findings
    waiver_problems: list[Any] = field(default_factory=list)
    #: records whose period has the wrong granularity (SPEC §3.1 point 1): they match nothing
    period_mismatches: list[PeriodMismatch] = field(default_factory=list)

    def notices(self) -> list[Notice]:
        """Warnings about the user's files, each naming file and row: those of reading the
        workspace, then records that match nothing for their period's granularity."""
        return [*self.workspace.notices, *(period_mismatch_notice(m) for m in self.period_mismatches)]

    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    def summary(self) -> dict[str, Any]:
        # each (status, severity) pair counted by map: no Python code per finding (a city has
        # 185k); str() of a StrEnum is its value (Enum's .value property is slow on 3.11)
        pairs = Counter(map(_STATUS_AND_SEVERITY, self.findings))
        by_status: Counter[str] = Counter()
        # in the order severities first occur among open findings, as the outputs have always
        # listed them (the pairs are in the order they first occur)
        by_severity: dict[str, int] = {}
        for (status, severity), count in pairs.items():
            by_status[str(status)] += count
            if status in OPEN_STATUSES:
                by_severity[str(severity)] = by_severity.get(str(severity), 0) + count
        return {
            "as_of": self.as_of.isoformat(),
            "year": self.workspace.year,
            "unit": self.workspace.org.unit.name,
            "checked": len(self.findings),
            "by_status": {s: by_status[s] for s in STATUS_ORDER if by_status[s]},
            "open_by_severity": by_severity,
        }


_STATUS_AND_SEVERITY = attrgetter("status", "severity")

#: each status's place in ``STATUS_ORDER``
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def sort_key(f: Finding) -> tuple[Any, ...]:
    """The order of every output: by status (``STATUS_ORDER``), department, rule, subject,
    period, trigger."""
    return (_STATUS_RANK[f.status], f.department or "", f.rule, f.subject, f.period or "", f.trigger or "")
