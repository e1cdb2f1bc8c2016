"""Lint's coverage checks of a workspace: L201 subjects no rule covers, L206 records whose
period has the wrong granularity. (Ungraded subjects, departments without a head and the
key-post count are the catalogue's G303, T501 and G304: ``register.py`` runs them.)"""

from __future__ import annotations

from datetime import date

from lianfang.checker.findings import Severity
from lianfang.checker.lint.findings import LintFinding
from lianfang.checker.lint.words import WORDS
from lianfang.checker.messages import period_mismatch_message
from lianfang.checker.stages.evidence import period_mismatches
from lianfang.checker.stages.obligations import expand
from lianfang.models.files import cwd_path
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue


def _covered(catalogue: Catalogue, ws: Workspace, year: int) -> set[str]:
    """Subjects some rule applies to: those of an obligation, or of a register check's facts."""
    covered = {o.subject for o in expand(catalogue, ws, date(year + 1, 12, 31))}
    types: set[str] = set()
    for rule in catalogue.rules:
        if rule.check is None:
            continue
        first = rule.check.match[0]
        if first.fact == "subject":
            alternatives = first.any or [first.where]
            types |= {str(a.get("type")) for a in alternatives if "type" in a} or {
                "post",
                "department",
                "leader",
                "unit",
            }
        else:
            types.add(first.fact)
    if "post" in types:
        covered |= set(ws.posts)
    if "department" in types:
        covered |= set(ws.departments)
    if "leader" in types:
        covered |= {p.id for p in ws.leaders}
    if "risk_point" in types:
        covered |= set(ws.risk_points)
    if "unit" in types:
        covered.add(ws.unit_id)
    return covered


def lint_workspace(ws: Workspace, catalogue: Catalogue, lang: str) -> list[LintFinding]:
    """L201 subjects no rule covers, L206 records whose period has the wrong granularity."""
    words = WORDS[lang]
    year = ws.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: list[LintFinding] = []

    def where(subject: str) -> tuple[str, int]:
        loc = ws.locations.get(subject)
        return (cwd_path(ws.root / loc.file), loc.line) if loc else (cwd_path(ws.root / "org.yaml"), 1)

    covered = _covered(catalogue, ws, year)
    kinds = [("person", p.id, p.name) for p in ws.org.people]
    kinds += [("department", d.id, d.name) for d in ws.org.departments]
    kinds += [("post", p.id, p.name) for p in ws.org.posts]
    kinds += [("risk_point", r.id, r.description or r.id) for r in ws.risks.risk_points]
    for kind, sid, name in kinds:
        if sid in covered:
            continue
        why = ""
        if kind == "person" and not ws.people[sid].active_during(start, end):
            why = words["inactive"].format(year=year)
        file, line = where(sid)
        message = words["uncovered"].format(kind=words[kind], name=name, id=sid, why=why)
        out.append(LintFinding("L201", Severity.WARNING, file, line, message, subject=sid))

    # SPEC §3.1 point 1: such a record matches nothing; the check warns about it too
    for mismatch in period_mismatches(catalogue, ws):
        message = period_mismatch_message(lang, mismatch)
        out.append(LintFinding("L206", Severity.WARNING, cwd_path(ws.root / mismatch.file), mismatch.line, message))

    return out
