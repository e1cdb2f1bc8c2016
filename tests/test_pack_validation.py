"""A custom rule pack is compiled and checked when it loads: a bad reference, a bad message
placeholder or an unknown prerequisite stops ``check`` (exit 2) and is reported by ``lint``,
both naming the pack file and the rule code (issue 9: fail loudly, never silently pass)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lianfang.rules.catalogue import SHIPPED_PACK
from tests.cli_helpers import run

BREAKAGES = {
    # (file, text in the shipped pack, replacement, rule code, what the error names)
    "reference": ("G.yaml", "subject: {ref: s.id}", "subject: {ref: x.id}", "G303", 'reference "x.id"'),
    "placeholder": ("T.yaml", "部室 {d.name}（{d.id}）未明确", "部室 {d.nmae}（{d.id}）未明确", "T501", "{d.nmae}"),
    "field": (
        "G.yaml",
        "where: {owner_type: department, attached: 0}",
        "where: {owner_typ: department, attached: 0}",
        "G307",
        '"owner_typ"',
    ),
    "prerequisite": (
        "S.yaml",
        "after: [S112]\n    params: [key_post_count]",
        "after: [S912]\n    params: [key_post_count]",
        "S114",
        '"S912"',
    ),
    "due_from": ("K.yaml", "rule: S114", "rule: S914", "K403", '"S914"'),
}


def custom_pack(ws: Path, breakage: str) -> Path:
    pack = ws / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    name, old, new, _code, _named = BREAKAGES[breakage]
    text = (pack / name).read_text(encoding="utf-8")
    assert old in text, old
    (pack / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    config = ws / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rule_pack: pack\n", encoding="utf-8")
    return pack / name


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_check_refuses_a_custom_pack_naming_file_and_rule(ws: Path, breakage: str) -> None:
    path = custom_pack(ws, breakage)
    _name, _old, _new, code, named = BREAKAGES[breakage]
    result = run(["check", ws, "--as-of", "2026-11-30", "--lang", "en"], exit_code=2)
    errors = [line for line in result.stderr.splitlines() if line.startswith("lianfang: error:")]
    assert len(errors) == 1, result.stderr
    assert str(path) in errors[0] and f"key {code}." in errors[0] and named in errors[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_lint_reports_the_same_problem(ws: Path, breakage: str) -> None:
    path = custom_pack(ws, breakage)
    _name, _old, _new, code, named = BREAKAGES[breakage]
    # lint speaks Chinese by default (issue 9); the English words are asked for
    data = json.loads(run(["lint", ws, "--format", "json", "--lang", "en"], exit_code=1).stdout)
    found = [f for f in data["findings"] if f["rule"] == code and f["code"] in ("L104", "L107")]
    assert len(found) == 1, data["findings"]
    assert found[0]["severity"] == "error"
    assert Path(found[0]["file"]).resolve() == path.resolve() and found[0]["line"] > 1
    assert named.strip('"') in found[0]["message"]


def test_the_shipped_pack_is_clean() -> None:
    data = json.loads(run(["lint", "--format", "json"], exit_code=0).stdout)
    assert not [f for f in data["findings"] if f["code"] in ("L104", "L107")]
