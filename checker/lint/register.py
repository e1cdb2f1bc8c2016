"""The catalogue's register checks that lint runs on a workspace (``lint: true`` in the pack):
G303 subjects without a grade in force, T501 departments without a head or a leader in
charge, G304 the key-post count. Lint does not re-implement them: it runs the same rules
through the same stage as ``check`` (``checker/stages/register.py``) and reports their
findings under the rules' own codes, at the subject's line in org.yaml, with what lint adds
to help fix them (a leader in the leading group, a department's level).

In lint they are warnings (the workspace is incomplete, the pack is not wrong); ``check``
reports them at the rule's severity.
"""

from __future__ import annotations

from lianfang.checker.chain import Chains
from lianfang.checker.findings import Finding, Severity
from lianfang.checker.labels import LEVEL_LABELS
from lianfang.checker.lint.findings import LintFinding
from lianfang.checker.lint.words import WORDS
from lianfang.checker.stages.register import register_findings
from lianfang.models.files import cwd_path
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue


def lint_register(ws: Workspace, catalogue: Catalogue, lang: str) -> list[LintFinding]:
    """The findings of the catalogue's ``lint: true`` register checks, as lint findings."""
    rules = tuple(r for r in catalogue.rules if r.lint and r.type == "check")
    if not rules:
        return []
    findings = register_findings(Catalogue(rules, {}), ws, lang, Chains(ws, set()))
    out = []
    for f in findings:
        rule = catalogue.get(f.rule)
        assert rule is not None
        loc = ws.locations.get(f.subject)
        file, line = (cwd_path(ws.root / loc.file), loc.line) if loc else (cwd_path(ws.root / "org.yaml"), 1)
        subject = None if f.subject == ws.unit_id else f.subject
        out.append(
            LintFinding(
                f.rule,
                Severity.WARNING,
                file,
                line,
                f.message + _hint(ws, f, lang),
                rule=f.rule,
                subject=subject,
                clause=f.source,
                rule_name=rule.name,
            )
        )
    return out


def _hint(ws: Workspace, f: Finding, lang: str) -> str:
    """What lint adds to a finding to help fix it: who is in the leading group, what is missing."""
    words = WORDS[lang]
    group = set(ws.org.unit.leading_group)
    hint = ""
    if f.subject in ws.people and f.subject in group:
        hint += words["in_group"].format(who=ws.people[f.subject].name)
    if f.subject in ws.departments:
        department = ws.departments[f.subject]
        if department.head and department.head in group and f.subject not in ws.gradings:
            hint += words["head_in_group"].format(head=ws.people[department.head].name)
        grading = ws.gradings.get(f.subject)
        if grading is not None:
            hint += words["graded_hint"].format(level=LEVEL_LABELS[lang][grading.level])
        if not department.head:
            hint += words["no_head_hint"]
        if not department.leader_in_charge:
            hint += words["no_lic_hint"]
    return hint
