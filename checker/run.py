"""The check: workspace → obligations and facts → engine → findings.

Stages, each one engine run torn down afterwards:
1. match — obligations against evidence: on time, late, early, or none (negation);
2. chain — the accountable chain of every subject (T501);
3. register — the register checks (G301–G304, G306, G307, T501's structural part);
4. escalation — missed obligations that escalate (T502), whose accountability actions are
   then matched like any other obligation (stage 1 again, for those).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lianfang.checker.chain import Chains
from lianfang.checker.compile import compile_check, domain_fields
from lianfang.checker.engine import engine, group_by_sid, pack_partitions, sid_count
from lianfang.checker.facts import EvidenceSet, build_evidence, evidence_facts, register_facts
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.messages import (
    counted_detail,
    escalated_detail,
    obligation_message,
    short_detail,
    unknown_message,
)
from lianfang.checker.obligations import Obligation, expand
from lianfang.checker.result import STATUS_ORDER, CheckResult, sort_key
from lianfang.models.calendar import day_number
from lianfang.models.config import Config
from lianfang.models.errors import InputError
from lianfang.models.workspace import Workspace, _validate, load_workspace, read_yaml
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue, load_catalogue, resolve_int
from lianfang.rules.schema import Rule

MATCH_RULES: dict[str, dict[str, Any]] = {
    "on_time": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {
                "e": {
                    "$and": [
                        {"t": "ev"},
                        {"key": {"o": "key"}},
                        {"$gte": {"day": {"o": "opens"}}},
                        {"$lte": {"day": {"o": "due"}}},
                    ]
                }
            },
        ]
    },
    "late": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}, {"$gt": {"day": {"o": "due"}}}]}},
        ]
    },
    "early": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}, {"$lt": {"day": {"o": "opens"}}}]}},
        ]
    },
    "none": {
        "all": [
            {"gate": {"t": "gate"}},
            {"o": {"t": "obl"}},
            {"e$not": {"$and": [{"t": "ev"}, {"key": {"o": "key"}}]}},
        ]
    },
}


# ------------------------------------------------------------------------------- loading


def open_workspace(path: Path) -> tuple[Workspace, Catalogue]:
    """Read ``lianfang.yaml`` first (it may name the rule pack), then the pack, then the rest."""
    path = Path(path)
    problems: list[Any] = []
    if not path.is_dir():
        from lianfang.models.errors import InputProblem

        raise InputError(
            [InputProblem(str(path), "", "workspace folder not found; pass the folder that holds lianfang.yaml")]
        )
    data = read_yaml(path / "lianfang.yaml", "lianfang.yaml", problems, path)
    config = _validate(Config, data, "lianfang.yaml", problems) if data is not None else None
    if config is None:
        raise InputError(problems)
    pack = (path / config.rule_pack) if config.rule_pack else SHIPPED_PACK
    catalogue = load_catalogue(pack, config)
    counting = {r.evidence: frozenset(r.counting.exclude_results) for r in catalogue.rules if r.counting and r.evidence}
    workspace = load_workspace(path, catalogue.evidence_kinds(), config, counting)
    return workspace, catalogue


# -------------------------------------------------------------------------------- stage 1


@dataclass
class Outcome:
    on_time: list[str]
    late: list[str]
    early: list[str]


def match(obligations: list[Obligation], evidence: EvidenceSet) -> dict[str, Outcome]:
    """Classify the evidence of every obligation with the engine."""
    outcomes = {o.oid: Outcome([], [], []) for o in obligations}
    obligations = [o for o in obligations if not o.unknown]
    facts: list[tuple[str, dict[str, Any]]] = [
        (
            o.key,
            {
                "id": f"o:{o.oid}",
                "t": "obl",
                "oid": o.oid,
                "key": o.key,
                "opens": day_number(o.opens),
                "due": day_number(o.due),
            },
        )
        for o in obligations
    ]
    wanted = {o.key for o in obligations}
    facts += [(key, fact) for key, fact in evidence_facts(evidence) if key in wanted]

    def action(rule: str, m: dict[str, dict[str, Any]]) -> None:
        if rule != "none":
            getattr(outcomes[m["o"]["oid"]], rule).append(m["e"]["ev"])

    with engine("match", MATCH_RULES, action) as run:
        run.assert_partitioned(group_by_sid(facts, sid_count(len(facts))))
    return outcomes


# -------------------------------------------------------------------------------- stage 3


def register_findings(catalogue: Catalogue, ws: Workspace, lang: str, chains: Chains) -> list[Finding]:
    checks = [r for r in catalogue.rules if r.type == "check"]
    if not checks:
        return []
    definitions: dict[str, dict[str, Any]] = {}
    for rule in checks:
        definitions.update(compile_check(rule))
    fired: dict[tuple[str, str], dict[str, Any]] = {}

    def action(name: str, m: dict[str, dict[str, Any]]) -> None:
        code = name.split("__")[0]
        context = {alias: domain_fields(fact) for alias, fact in m.items() if alias != "gate"}
        rule = catalogue.get(code)
        assert rule is not None and rule.check is not None
        alias, _, field = rule.check.subject.partition(".")
        subject = str(context[alias][field])
        fired.setdefault((code, subject), context)  # one finding per rule and subject

    facts = register_facts(ws)
    by_department: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, fact in facts:
        by_department[key].append(fact)
    with engine("register", definitions, action) as run:
        run.assert_partitioned(pack_partitions(dict(by_department)))
    out: list[Finding] = []
    subjects = ws.subject_ids()
    for (code, subject), context in sorted(fired.items()):
        check = catalogue.get(code)
        assert check is not None and check.check is not None
        names = {alias: SimpleNamespace(**fields) for alias, fields in context.items()}
        message = check.check.message.get(lang).format(**names)
        severity = Severity.WARNING if check.severity == "warning" else Severity.ERROR
        out.append(
            Finding(
                rule=code,
                status=Status.FAILED,
                severity=severity,
                subject=subject,
                subject_name=ws.name_of(subject),
                department=ws.department_of(subject),
                period=None,
                due=None,
                evidence=(),
                accountable=chains.accountable(subject) if subject in subjects else (),
                source=check.source,
                message=message,
                title=check.title.get(lang),
                detail=message,
            )
        )
    return out


# -------------------------------------------------------------------------------- stage 4


def escalations(
    rule: Rule, ws: Workspace, missed: list[tuple[Obligation, Finding]]
) -> list[tuple[Obligation, Finding]]:
    """Which missed obligations escalate (T502): N consecutive misses, or a level-1 subject."""
    n = ws.config.params.escalate_after_missed_periods
    chain: list[dict[str, Any]] = [{"gate": {"t": "gate"}}, {"m0": {"t": "miss"}}]
    for i in range(1, n):
        chain.append(
            {
                f"m{i}": {
                    "$and": [
                        {"t": "miss"},
                        {"rule": {"m0": "rule"}},
                        {"subject": {"m0": "subject"}},
                        {"period": {f"m{i - 1}": "prev"}},
                    ]
                }
            }
        )
    definitions = {
        "consecutive": {"all": chain},
        "level_one": {"all": [{"gate": {"t": "gate"}}, {"m0": {"$and": [{"t": "miss"}, {"level": 1}]}}]},
    }
    by_key = {f.key: (o, f) for o, f in missed}
    escalated: set[str] = set()

    def action(name: str, m: dict[str, dict[str, Any]]) -> None:
        escalated.add(m["m0"]["fkey"])

    def level(subject: str) -> int:
        if subject in ws.risk_points:
            return ws.risk_points[subject].level or 0
        grading = ws.gradings.get(subject)
        return grading.level if grading is not None and grading.review is not None else 0

    facts = []
    for o, f in missed:
        prev = o.period.previous().label if o.period else "-"
        fact = {
            "id": f"m:{f.key}",
            "t": "miss",
            "fkey": f.key,
            "rule": o.rule.code,
            "subject": o.subject,
            "period": f.period or f.trigger or "-",
            "prev": prev,
            "level": level(o.subject),
        }
        facts.append((f"{o.rule.code}|{o.subject}", fact))
    with engine("escalation", definitions, action) as run:
        run.assert_partitioned(group_by_sid(facts, sid_count(len(facts))))
    return [by_key[k] for k in sorted(escalated)]


# -------------------------------------------------------------------------------- findings


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
    for o in obligations:
        if o.unknown:
            out.append((o, _unknown_finding(o, ws, lang, chains)))
            continue
        status, fids = _status(outcomes[o.oid], o, as_of, due_soon_days)
        items = sorted((by_fid[f] for f in set(fids)), key=lambda e: (e.day, e.fid))
        counted = o.rule.counting is not None and o.period is not None
        # a counted obligation lists the entries counted instead (below)
        record_ids = () if counted else tuple(dict.fromkeys(r for e in items for r in e.records))
        severity = DEFAULT_SEVERITY[status]
        if o.rule.severity == "warning" and severity == Severity.ERROR:
            severity = Severity.WARNING
        detail = ""
        if counted and o.rule.counting is not None:
            # SPEC §3.1 point 2: the entries counted for the period, whatever the status
            record_ids = evidence.counted.get(o.key, ())
            detail = counted_detail(lang, record_ids, resolve_int(o.rule.counting.min, ws.config.params))
        value = str(status)  # Enum's .value property is slow on 3.11
        message = obligation_message(
            lang,
            value,
            ws.name_of(o.subject),
            o.period.label if o.period else None,
            o.trigger,
            o.opens,
            o.due,
            as_of,
            items[0].day if items else None,
            detail,
            escalation=o.rule.type == "escalation",
            counted=counted,
        )
        short = short_detail(
            lang, value, o.opens, o.due, as_of, items[0].day if items else None, detail, counted=counted
        )
        finding = Finding(
            rule=o.rule.code,
            status=status,
            severity=severity,
            subject=o.subject,
            subject_name=ws.name_of(o.subject),
            department=ws.department_of(o.subject),
            period=o.period.label if o.period else None,
            due=o.due,
            evidence=record_ids,
            accountable=chains.accountable(o.subject, extra_tiers),
            source=o.rule.source,
            message=message,
            title=o.rule.title.get(lang),
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


def run_check(
    ws: Workspace, catalogue: Catalogue, as_of: date, lang: str = "zh", due_soon_days: int | None = None
) -> CheckResult:
    """Evaluate every rule against the workspace as of ``as_of``."""
    horizon = ws.config.params.due_soon_days if due_soon_days is None else due_soon_days
    obligations = list({o.oid: o for o in expand(catalogue, ws, as_of)}.values())
    evidence = build_evidence(catalogue, ws, as_of)
    chains = Chains(ws, {o.subject for o in obligations} | ws.subject_ids())
    outcomes = match([o for o in obligations if not o.unknown], evidence)
    pairs = obligation_findings(obligations, outcomes, evidence, ws, as_of, lang, horizon, chains)
    findings = [f for _, f in pairs]
    findings += register_findings(catalogue, ws, lang, chains)

    escalation_rule = next((r for r in catalogue.rules if r.type == "escalation"), None)
    if escalation_rule is not None:
        findings = escalate(escalation_rule, pairs, findings, evidence, ws, as_of, lang, horizon, chains)
    findings.sort(key=sort_key)
    return CheckResult(ws, catalogue, as_of, lang, findings, period_mismatches=evidence.mismatches)


def escalate(
    rule: Rule,
    pairs: list[tuple[Obligation, Finding]],
    findings: list[Finding],
    evidence: EvidenceSet,
    ws: Workspace,
    as_of: date,
    lang: str,
    horizon: int,
    chains: Chains,
) -> list[Finding]:
    """T502: escalated misses name one more tier and owe an accountability action (matched
    like any obligation, by a record whose ``ref`` is the missed finding's key).

    The action's window opens on the missed due date, its trigger (SPEC §3.1 point 4): an
    action recorded before it is early.
    """
    escalated = escalations(rule, ws, [(o, f) for o, f in pairs if f.status == Status.MISSED])
    if not escalated:
        return findings
    assert rule.evidence is not None
    days = timedelta(days=resolve_int(rule.due_offset_days, ws.config.params))
    actions = [Obligation(rule, o.subject, rule.evidence, o.due, o.due + days, trigger=f.key) for o, f in escalated]
    action_pairs = obligation_findings(
        actions, match(actions, evidence), evidence, ws, as_of, lang, horizon, chains, extra_tiers=1
    )
    action_due = {a.trigger: a.due for a in actions}
    out = []
    for f in findings:
        if f.key in action_due:
            detail = escalated_detail(lang, action_due[f.key], rule.code)
            f = replace(
                f, accountable=chains.accountable(f.subject, 1), message=f.message + detail, detail=f.detail + detail
            )
        out.append(f)
    return out + [f for _, f in action_pairs]


def check_workspace(path: Path, as_of: date, lang: str = "zh", due_soon_days: int | None = None) -> CheckResult:
    """Load a workspace folder and check it; raises ``InputError`` on bad input."""
    ws, catalogue = open_workspace(path)
    return run_check(ws, catalogue, as_of, lang, due_soon_days)


def check_with_waivers(
    path: Path, as_of: date, lang: str = "zh", due_soon_days: int | None = None, waivers_file: Path | None = None
) -> CheckResult:
    """The check every command shows (check, calendar, graph, report, score …): the workspace
    checked as of ``as_of``, with its waivers (``waivers_file`` or the workspace's waivers.yaml)
    applied. Raises ``InputError`` on bad input."""
    from lianfang.checker.waivers import apply_waivers, load_waivers, waiver_path

    result = check_workspace(path, as_of, lang, due_soon_days)
    waivers = waiver_path(path, waivers_file)
    if waivers is not None:
        result = apply_waivers(result, load_waivers(waivers, result.workspace, result.catalogue), as_of)
    return result


__all__ = [
    "STATUS_ORDER",
    "CheckResult",
    "check_with_waivers",
    "check_workspace",
    "open_workspace",
    "run_check",
    "sort_key",
]
