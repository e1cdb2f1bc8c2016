"""``lianfang lint``: what the schema cannot see in a rule pack and a workspace.

The pack: dates that do not exist (06-31), windows that close before they open, a due date
before that of a step it depends on (a rule's ``after``), prerequisites that are unknown or
circular. The source's own dates, kept under ``transcribed`` where the pack corrects them,
are checked the same way and reported as information citing the clause (SPEC §2, the notes
under the S table). The workspace: subjects no rule covers, leaders, departments and posts
left ungraded, departments without a head or a leader in charge, a key-post count that does
not match ``key_post_count``, and dates in its YAML files that do not exist.

Rule files are read leniently (schema first, dates afterwards), so that a date such as 06-31,
which stops ``check``, is a lint finding naming the file, the line and the rule.

The package: ``inputs`` (reading the pack and overrides; references), ``dates`` (the
calendar), ``coverage`` (the workspace), ``register`` (the catalogue's register checks that
lint runs: G303, T501, G304), ``findings`` (the result), ``output`` (text, JSON).
"""

from __future__ import annotations

from pathlib import Path

from lianfang.checker.lint.coverage import lint_workspace
from lianfang.checker.lint.dates import bad_dates, lint_pack_dates
from lianfang.checker.lint.findings import CHECKS, LintFinding, LintResult, sorted_findings
from lianfang.checker.lint.inputs import apply_overrides, lint_pack_references, read_pack
from lianfang.checker.lint.output import as_json, render_text
from lianfang.checker.lint.register import lint_register
from lianfang.checker.stages.workspace import missing_workspace
from lianfang.models.config import Config
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.files import cwd_path
from lianfang.models.workspace import _validate, load_workspace, read_yaml
from lianfang.rules.catalogue import FAMILY_ORDER, SHIPPED_PACK, Catalogue

__all__ = ["CHECKS", "LintFinding", "LintResult", "as_json", "lint", "render_text"]


def lint(workspace: Path | None, pack: Path | None = None, lang: str = "zh") -> LintResult:
    """Lint a rule pack (the workspace's, ``pack``, or the shipped one) and the workspace.

    Raises ``InputError`` for what is bad input rather than a lint finding: a file that is
    not valid YAML or does not fit the schema.
    """
    findings: list[LintFinding] = []
    config: Config | None = None
    config_text = ""
    if workspace is not None:
        if not Path(workspace).is_dir():
            raise missing_workspace(workspace)
        findings += bad_dates(workspace, ["lianfang.yaml", "org.yaml", "risks.yaml", "waivers.yaml"], lang)
        if any(f.file.endswith("lianfang.yaml") for f in findings):
            return LintResult(str(pack or SHIPPED_PACK), str(workspace), lang, sorted_findings(findings))
        problems: list[InputProblem] = []
        data = read_yaml(workspace / "lianfang.yaml", "lianfang.yaml", problems, workspace)
        config = _validate(Config, data, "lianfang.yaml", problems) if data is not None else None
        if config is None:
            raise InputError(problems)
        config_text = (workspace / "lianfang.yaml").read_bytes().decode("utf-8-sig", errors="replace")
        if pack is None and config.rule_pack:
            pack = workspace / config.rule_pack
    pack = pack or SHIPPED_PACK
    items = read_pack(pack)
    result = LintResult(str(pack), str(workspace) if workspace else None, lang)
    if config is not None:
        assert workspace is not None
        items, override_findings = apply_overrides(
            items, config, config_text, cwd_path(workspace / "lianfang.yaml"), lang
        )
        findings += override_findings
    params, year = (config.params, config.year) if config else (None, None)
    findings += lint_pack_dates(items, lang, params, year)
    findings += lint_pack_references(items, lang)
    if workspace is not None and config is not None and not any(f.code == "L205" for f in findings):
        # rules `check` refuses are left out of the workspace lint: their problem is already said
        broken = {f.rule for f in findings if f.code in ("L101", "L107") and not f.transcribed}
        usable = tuple(
            sorted(
                (i.rule for i in items if i.rule.code not in broken),
                key=lambda r: (FAMILY_ORDER.index(r.code[0]), r.code),
            )
        )
        catalogue = Catalogue(usable, {})
        ws = load_workspace(workspace, catalogue.evidence_kinds(), config)
        findings += lint_workspace(ws, catalogue, lang)
        findings += lint_register(ws, catalogue, lang)
    result.findings = sorted_findings(findings)
    return result
