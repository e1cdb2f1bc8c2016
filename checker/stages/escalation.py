"""Stage 7, escalation (T502): missed obligations that escalate one tier up, and the
accountability actions they then owe, matched like any other obligation (stages 4 and 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from lianfang.checker.chain import Chains
from lianfang.checker.engine import engine, group_by_sid, sid_count
from lianfang.checker.findings import Finding, Status
from lianfang.checker.messages import escalated_detail
from lianfang.checker.stages.evidence import EvidenceSet
from lianfang.checker.stages.match import match
from lianfang.checker.stages.obligations import Obligation
from lianfang.checker.stages.status import obligation_findings
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import resolve_int
from lianfang.rules.schema import Rule


def escalations(
    rule: Rule, ws: Workspace, missed: list[tuple[Obligation, Finding]]
) -> list[tuple[Obligation, Finding]]:
    """Which missed obligations escalate under ``rule`` (T502): its ``escalation`` says after
    how many consecutive misses of the same rule and subject, and at which subject levels."""
    assert rule.escalation is not None
    n = resolve_int(rule.escalation.consecutive_misses, ws.config.params)
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
    definitions: dict[str, dict[str, Any]] = {"consecutive": {"all": chain}}
    for subject_level in rule.escalation.subject_levels:
        definitions[f"level_{subject_level}"] = {
            "all": [{"gate": {"t": "gate"}}, {"m0": {"$and": [{"t": "miss"}, {"level": subject_level}]}}]
        }
    by_key: dict[str, tuple[Obligation, Finding]] = {}
    escalated: set[str] = set()

    def action(name: str, m: dict[str, dict[str, Any]]) -> None:
        escalated.add(m["m0"]["fkey"])

    def level(subject: str) -> int:
        if subject in ws.risk_points:
            return ws.risk_points[subject].level or 0
        grading = ws.gradings.get(subject)
        return grading.level if grading is not None and grading.review is not None else 0

    # a city has ~25k misses in a few dozen periods of ~10k subjects: each period's previous
    # one and each subject's level are worked out once
    previous: dict[str, str] = {}
    levels: dict[str, int] = {}
    facts = []
    for o, f in missed:
        key = f.key
        by_key[key] = (o, f)
        prev = "-"
        if o.period is not None:
            prev = previous.get(o.period.label, "")
            if not prev:
                prev = previous[o.period.label] = o.period.previous().label
        graded = levels.get(o.subject)
        if graded is None:
            graded = levels[o.subject] = level(o.subject)
        fact = {
            "id": f"m:{key}",
            "t": "miss",
            "fkey": key,
            "rule": o.rule.code,
            "subject": o.subject,
            "period": f.period or f.trigger or "-",
            "prev": prev,
            "level": graded,
        }
        facts.append((f"{o.rule.code}|{o.subject}", fact))
    with engine("escalation", definitions, action) as run:
        run.assert_partitioned(group_by_sid(facts, sid_count(len(facts))))
    return [by_key[k] for k in sorted(escalated)]


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
    """An escalation rule (T502): escalated misses name ``tiers`` more tiers and owe the
    rule's evidence, an accountability action (matched like any obligation, by a record whose
    ``ref`` is the missed finding's key).

    The action's window opens on the missed due date, its trigger (SPEC §3.1 point 4): an
    action recorded before it is early.
    """
    escalated = escalations(rule, ws, [(o, f) for o, f in pairs if f.status == Status.MISSED])
    if not escalated:
        return findings
    assert rule.evidence is not None and rule.escalation is not None
    tiers = rule.escalation.tiers
    days = timedelta(days=resolve_int(rule.due_offset_days, ws.config.params))
    actions = [Obligation(rule, o.subject, rule.evidence, o.due, o.due + days, trigger=f.key) for o, f in escalated]
    action_pairs = obligation_findings(
        actions, match(actions, evidence), evidence, ws, as_of, lang, horizon, chains, extra_tiers=tiers
    )
    action_due = {a.trigger: a.due for a in actions}
    subjects = {a.subject for a in actions}  # most findings are of other subjects: no key to make
    out = []
    for f in findings:
        if f.subject in subjects and f.key in action_due:
            detail = escalated_detail(lang, action_due[f.key], rule.code, tiers)
            # escalated by several rules: the farthest reach names the most tiers
            accountable = max(f.accountable, chains.accountable(f.subject, tiers), key=len)
            f = replace(f, accountable=accountable, message=f.message + detail, detail=f.detail + detail)
        out.append(f)
    return out + [f for _, f in action_pairs]
