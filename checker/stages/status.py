"""Stage 5, the findings of obligations: each obligation's status as of a date (SPEC §3),
from the match's outcome, with its words, its evidence and its accountable chain."""

from __future__ import annotations

from datetime import date

from lianfang.checker.chain import Chains
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.messages import counted_detail, obligation_message, short_detail, unknown_message
from lianfang.checker.stages.evidence import EvidenceSet
from lianfang.checker.stages.match import Outcome
from lianfang.checker.stages.obligations import Obligation
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import resolve_int


def _status(outcome: Outcome, o: Obligation, as_of: date, due_soon_days: int) -> tuple[Status, list[str]]:
    if outcome.on_time:
        return Status.SATISFIED, outcome.on_time
    if outcome.late:
        return Status.LATE, outcome.late
    if outcome.early:
        return Status.EARLY, outcome.early
    if o.due < as_of:
        return Status.MISSED, []
    if (o.due - as_of).days <= due_soon_days:
        return Status.DUE_SOON, []
    return Status.PENDING, []


DEFAULT_SEVERITY = {
    Status.MISSED: Severity.ERROR,
    Status.FAILED: Severity.ERROR,
    Status.LATE: Severity.WARNING,
    Status.EARLY: Severity.WARNING,
    Status.DUE_SOON: Severity.WARNING,
    Status.SATISFIED: Severity.INFO,
    Status.PENDING: Severity.INFO,
}


def obligation_findings(
    obligations: list[Obligation],
    outcomes: dict[str, Outcome],
    evidence: EvidenceSet,
    ws: Workspace,
    as_of: date,
    lang: str,
    due_soon_days: int,
    chains: Chains,
    extra_tiers: int = 0,
) -> list[tuple[Obligation, Finding]]:
    by_fid = evidence.by_fid()
    out = []
    # what is the same for every obligation of a subject, or of a rule (a city has ~185k
    # obligations for ~10k subjects and a few dozen rules): looked up once
    subjects: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}
    minimums: dict[str, int] = {}
    for o in obligations:
        if o.unknown:
            out.append((o, _unknown_finding(o, ws, lang, chains)))
            continue
        status, fids = _status(outcomes[o.oid], o, as_of, due_soon_days)
        items = sorted((by_fid[f] for f in set(fids)), key=lambda e: (e.day, e.fid)) if fids else []
        rule = o.rule
        counted = rule.counting is not None and o.period is not None
        # a counted obligation lists the entries counted instead (below)
        record_ids = () if counted else tuple(dict.fromkeys(r for e in items for r in e.records))
        severity = DEFAULT_SEVERITY[status]
        if rule.severity == "warning" and severity == Severity.ERROR:
            severity = Severity.WARNING
        detail = ""
        if counted and rule.counting is not None:
            # SPEC §3.1 point 2: the entries counted for the period, whatever the status
            record_ids = evidence.counted.get(o.key, ())
            minimum = minimums.get(rule.code)
            if minimum is None:
                minimum = minimums[rule.code] = resolve_int(rule.counting.min, ws.config.params)
            detail = counted_detail(lang, record_ids, minimum)
        known = subjects.get(o.subject)
        if known is None:
            known = subjects[o.subject] = (
                ws.name_of(o.subject),
                ws.department_of(o.subject),
                chains.accountable(o.subject, extra_tiers),
            )
        name, department, accountable = known
        value = str(status)  # Enum's .value property is slow on 3.11
        label = o.period.label if o.period else None
        first = items[0].day if items else None
        message = obligation_message(
            lang,
            value,
            name,
            label,
            o.trigger,
            o.opens,
            o.due,
            as_of,
            first,
            detail,
            escalation=rule.type == "escalation",
            counted=counted,
        )
        short = short_detail(lang, value, o.opens, o.due, as_of, first, detail, counted=counted)
        finding = Finding(
            rule=rule.code,
            status=status,
            severity=severity,
            subject=o.subject,
            subject_name=name,
            department=department,
            period=label,
            due=o.due,
            evidence=record_ids,
            accountable=accountable,
            source=rule.source,
            message=message,
            title=rule.title.get(lang),
            trigger=o.trigger,
            detail=short,
        )
        out.append((o, finding))
    return out


def _unknown_finding(o: Obligation, ws: Workspace, lang: str, chains: Chains) -> Finding:
    """An obligation that cannot be decided: status unknown, never a pass, with its reason."""
    message = unknown_message(lang, ws.name_of(o.subject), o.unknown)
    return Finding(
        rule=o.rule.code,
        status=Status.UNKNOWN,
        severity=Severity.WARNING,
        subject=o.subject,
        subject_name=ws.name_of(o.subject),
        department=ws.department_of(o.subject),
        period=o.period.label if o.period else None,
        due=None,
        evidence=(),
        accountable=chains.accountable(o.subject),
        source=o.rule.source,
        message=message,
        title=o.rule.title.get(lang),
        trigger=o.trigger,
        detail=unknown_message(lang, "", o.unknown),
    )
