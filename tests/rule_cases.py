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

__all__ = ["as_of", "build_workspace", "case_codes", "load_cases"]

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
