"""Helpers for the per-rule fixture cases in rules/fixtures/*.yaml.

Each case builds a workspace from the small base unit in tests/fixtures/base, replaces
top-level keys of its files where the case says so, writes the case's records as CSV, runs
the check as of the case's date, and states the findings a user would see.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lianfang.rules.cases import case_codes
from lianfang.rules.cases import load_cases as load_fixture_cases

__all__ = ["as_of", "assert_case", "build_workspace", "case_codes", "load_cases"]

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for case in load_fixture_cases():
        assert case.name.startswith(("test_pass_", "test_fail_")), f"{case.family}.yaml: case {case.name}"
        cases.append((case.family, case.name, case.data))
    return cases


def build_workspace(tmp: Path, case: dict[str, Any]) -> Path:
    root = tmp / "ws"
    shutil.copytree(FIXTURES / "base", root)
    for name in ("lianfang", "org", "risks"):
        replace = case.get(name)
        if replace:
            path = root / f"{name}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for key, value in replace.items():
                if isinstance(value, dict) and isinstance(data.get(key), dict):
                    data[key] = {**data[key], **value}
                else:
                    data[key] = value
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    records = case.get("records", "")
    (root / "records").mkdir(exist_ok=True)
    rows = [line.strip() for line in records.strip().splitlines() if line.strip()]
    (root / "records" / "case.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return root


def as_of(case: dict[str, Any]) -> date:
    value = case["as_of"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def assert_case(name: str, case: dict[str, Any], result: Any) -> None:
    """The findings a case expects (``expect``), does not expect (``absent``) and counts."""
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
