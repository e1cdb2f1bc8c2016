"""Stage 5, the findings of obligations: each obligation's status as of a date (SPEC §3),
from the match's outcome, with its words, its evidence and its accountable chain."""

from __future__ import annotations

from datetime import date

from lianfang.checker.chain import Chains
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.messages import ObligationWords, unknown_message
from lianfang.checker.stages.evidence import EvidenceSet
from lianfang.checker.stages.match import Outcome
from lianfang.checker.stages.obligations import Obligation
from lianfang.models.collector import collector_paused
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import resolve_int
from lianfang.rules.schema import Rule


def _status(outcome: Outcome, o: Obligation, as_of: date, due_soon_days: int) -> tuple[Status, list[int]]:
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


class _RuleWords:
    """What every finding of one rule shares, looked up once (a city has ~185k obligations
    of a few dozen rules)."""

    def __init__(self, rule: Rule, lang: str, ws: Workspace) -> None:
        self.code = rule.code
        self.title = rule.title.get(lang)
        self.source = rule.source
        self.escalation = rule.type == "escalation"
        # a rule of severity "warning" never says error
        self.severity = {
            status: Severity.WARNING if rule.severity == "warning" and severity == Severity.ERROR else severity
            for status, severity in DEFAULT_SEVERITY.items()
        }
        #: the minimum a counted rule counts (SPEC §3.1 point 2), else None
        self.minimum = resolve_int(rule.counting.min, ws.config.params) if rule.counting is not None else None


def obligation_findings(
    obligations: list[Obligation],
    outcomes: dict[int, Outcome],
    evidence: EvidenceSet,
    ws: Workspace,
    as_of: date,
    lang: str,
    due_soon_days: int,
    chains: Chains,
    extra_tiers: int = 0,
) -> list[tuple[Obligation, Finding]]:
    """The finding of each obligation, from its outcome (``outcomes`` by position in ``obligations``)."""
    evidence_items = evidence.items
    words = ObligationWords(lang, as_of)
    # what is the same for every obligation of a subject, or of a rule, looked up once; rules
    # by identity (the obligations hold them; two variants of a rule may share a code)
    subjects: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}
    rules: dict[int, _RuleWords] = {}
    out = []
    # the findings all live on until the output is written: the cyclic collector would only
    # rescan them (~25% of this stage's time for a city) and find nothing to free
    with collector_paused(freeze=True):
        for position, o in enumerate(obligations):
            if o.unknown:
                out.append((o, _unknown_finding(o, ws, lang, chains)))
                continue
            status, matched = _status(outcomes[position], o, as_of, due_soon_days)
            if not matched:
                items = []
            elif len(matched) == 1:
                items = [evidence_items[matched[0]]]
            else:
                items = sorted((evidence_items[p] for p in set(matched)), key=lambda e: (e.day, e.fid))
            rule = rules.get(id(o.rule))
            if rule is None:
                rule = rules[id(o.rule)] = _RuleWords(o.rule, lang, ws)
            counted = rule.minimum is not None and o.period is not None
            detail = ""
            if counted and rule.minimum is not None:
                # SPEC §3.1 point 2: the entries counted for the period, whatever the status
                record_ids = evidence.counted.get(o.key, ())
                detail = words.counted(record_ids, rule.minimum)
            elif len(items) == 1:
                record_ids = tuple(dict.fromkeys(items[0].records))
            else:
                record_ids = tuple(dict.fromkeys(r for e in items for r in e.records))
            known = subjects.get(o.subject)
            if known is None:
                known = subjects[o.subject] = (
                    ws.name_of(o.subject),
                    ws.department_of(o.subject),
                    chains.accountable(o.subject, extra_tiers),
                )
            name, department, accountable = known
            label = o.period.label if o.period else None
            message, short = words.messages(
                str(status),  # Enum's .value property is slow on 3.11
                name,
                label,
                o.trigger,
                o.opens,
                o.due,
                items[0].day if items else None,
                detail,
                escalation=rule.escalation,
                counted=counted,
            )
            finding = Finding(
                rule=rule.code,
                status=status,
                severity=rule.severity[status],
                subject=o.subject,
                subject_name=name,
                department=department,
                period=label,
                due=o.due,
                evidence=record_ids,
                accountable=accountable,
                source=rule.source,
                message=message,
                title=rule.title,
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
