"""One parametrised runner for every rule's passing and failing fixture cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lianfang.checker.run import check_workspace
from tests.rule_cases import as_of, build_workspace, case_codes, load_cases

CASES = load_cases()


@pytest.mark.parametrize(("family", "name", "case"), CASES, ids=[f"{f}:{n}" for f, n, _ in CASES])
def test_rule_case(tmp_path: Path, family: str, name: str, case: dict[str, Any]) -> None:
    result = check_workspace(build_workspace(tmp_path, case), as_of(case), lang=case.get("lang", "zh"))
    for expected in case.get("expect", []):
        matching = [
            f
            for f in result.findings
            if f.rule == expected["rule"]
            and f.subject == expected["subject"]
            and (
                "period" not in expected
                or f.period == (str(expected["period"]) if expected["period"] is not None else None)
            )
            and ("trigger" not in expected or f.trigger == expected["trigger"])
        ]
        shown = [(f.rule, f.subject, f.period, f.trigger, f.status.value) for f in matching]
        assert len(matching) == 1, f"{name}: expected one finding for {expected}, got {shown}"
        finding = matching[0]
        assert finding.status.value == expected["status"], (
            f"{name}: {expected} but got {finding.status.value}: {finding.message}"
        )
        for key in ("evidence", "accountable"):
            if key in expected:
                assert list(getattr(finding, key)) == expected[key], f"{name}: {key} {getattr(finding, key)}"
        if "severity" in expected:
            assert finding.severity.value == expected["severity"]
        if "message_contains" in expected:
            assert str(expected["message_contains"]) in finding.message, finding.message
    for absent in case.get("absent", []):
        found = [
            f
            for f in result.findings
            if f.rule == absent["rule"]
            and f.subject == absent["subject"]
            and ("period" not in absent or f.period == str(absent["period"]))
        ]
        assert not found, f"{name}: expected no finding for {absent}, got {[(f.period, f.status.value) for f in found]}"
    if "count" in case:
        for rule, number in case["count"].items():
            assert sum(1 for f in result.findings if f.rule == rule) == number, f"{name}: count of {rule}"


def test_every_rule_of_the_pack_has_a_passing_and_a_failing_case() -> None:
    """sqlfluff's way: a rule without both kinds of fixture is not done (issue 9)."""
    from lianfang.rules.catalogue import load_catalogue

    kinds: dict[str, set[str]] = {}
    for _family, name, _case in CASES:
        outcome, _, rest = name.removeprefix("test_").partition("_")
        for code in case_codes(rest):
            kinds.setdefault(code, set()).add(outcome)
    lacking = {
        code: sorted(kinds.get(code, set())) for code in load_catalogue().codes if kinds.get(code) != {"pass", "fail"}
    }
    assert not lacking, f"rules without both a test_pass_ and a test_fail_ case: {lacking}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_prints_every_rules_fixture_cases_verbatim(lang: str) -> None:
    """The docs test: the examples `explain CODE` prints are the fixture cases the tests run."""
    from lianfang.checker.cli import explain_text
    from lianfang.rules.cases import load_cases as fixture_cases
    from lianfang.rules.catalogue import load_catalogue
    from tests.cli_helpers import run

    cases = fixture_cases()
    # the command prints explain_text; run it once through the CLI, then every rule directly
    assert run(["explain", "R201", "--lang", lang], exit_code=0).stdout.rstrip("\n") == explain_text(
        load_catalogue().get("R201"), lang
    )
    for rule in load_catalogue().rules:
        code = rule.code
        out = explain_text(rule, lang)
        mine = [c for c in cases if code in c.codes]
        assert any(c.passing for c in mine) and any(not c.passing for c in mine), code
        for case in mine:
            assert case.text in out, f"explain {code} lacks {case.name}"
