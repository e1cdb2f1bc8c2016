"""One parametrised runner for every rule's passing and failing fixture cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lianfang.checker.run import check_workspace
from tests.rule_cases import as_of, assert_case, build_workspace, case_codes, load_cases

CASES = load_cases()


@pytest.mark.parametrize(("family", "name", "case"), CASES, ids=[f"{f}:{n}" for f, n, _ in CASES])
def test_rule_case(tmp_path: Path, family: str, name: str, case: dict[str, Any]) -> None:
    result = check_workspace(build_workspace(tmp_path, case), as_of(case), lang=case.get("lang", "zh"))
    assert_case(name, case, result)


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
    from lianfang.checker.rules_cli import explain_text
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
