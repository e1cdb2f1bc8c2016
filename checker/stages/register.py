"""Stage 6, the register checks (G301–G304, G306, G307, T501's structural part): the pack's
``type: check`` rules compiled to engine rules and run over the register facts; one finding
(status failed) per rule and subject."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from lianfang.checker.chain import Chains
from lianfang.checker.compile import compile_check, domain_fields
from lianfang.checker.engine import engine, pack_partitions
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.stages.register_facts import register_facts
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue


def register_findings(catalogue: Catalogue, ws: Workspace, lang: str, chains: Chains | None = None) -> list[Finding]:
    """The register checks' findings; without ``chains`` (a check made in shares), the chains
    of the subjects they name are computed here."""
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
    if chains is None:
        chains = Chains(ws, {subject for _, subject in fired if subject in subjects})
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
