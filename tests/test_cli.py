"""The command line as a user meets it: exit codes, JSON shape, rules, explain, languages."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from lianfang.checker.cli import main
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"
ALL_CODES = (
    [f"S{n}" for n in range(101, 125)]
    + [f"R{n}" for n in range(201, 212)]
    + [f"G{n}" for n in range(301, 308)]
    + [f"K{n}" for n in range(401, 405)]
    + ["T501", "T502"]
)


def test_rules_json_lists_the_whole_catalogue() -> None:
    rules = json.loads(run(["rules", "--format", "json"], 0).stdout)
    assert [r["code"] for r in rules] == ALL_CODES
    assert len(rules) == 48
    s114 = next(r for r in rules if r["code"] == "S114")
    assert s114["due"] == "06-30" and s114["evidence"] == "key_posts_designated"
    assert all(r["title_zh"] and r["title_en"] and r["source"] for r in rules)


def test_rules_table_in_chinese_and_english() -> None:
    assert "四评一审" in run(["rules"], 0).stdout
    assert "G302" in run(["rules", "--lang", "en"], 0).stdout


def test_explain_documents_a_rule() -> None:
    out = run(["explain", "G302"], 0).stdout
    for heading in ("检查内容", "为什么", "不通过的例子", "通过的例子", "出处", "参数"):
        assert f"## {heading}" in out
    assert "四评一审" in out
    out_en = run(["explain", "g302", "--lang", "en"], 0).stdout
    assert "## What it checks" in out_en and "## Failing example" in out_en


def test_explain_unknown_rule_suggests() -> None:
    result = run(["explain", "G3O2", "--lang", "en"], 2)
    assert 'unknown rule "G3O2"' in result.stderr


def test_check_example_json_shape_and_exit_code() -> None:
    result = run(["check", EXAMPLE, "--as-of", "2026-11-30", "--format", "json"], 1)
    data = json.loads(result.stdout)
    assert data["summary"]["as_of"] == "2026-11-30"
    statuses = {f["status"] for f in data["findings"]}
    assert statuses <= {"missed", "late", "early", "due_soon", "failed"}
    assert {"missed", "late", "due_soon", "failed"} <= statuses
    for finding in data["findings"]:
        for key in (
            "rule",
            "status",
            "severity",
            "subject",
            "period",
            "due",
            "evidence",
            "accountable",
            "source",
            "message",
        ):
            assert key in finding
        assert finding["accountable"], f"{finding['rule']} {finding['subject']} has no accountable person"
    missed = {(f["rule"], f["subject"], f["period"]) for f in data["findings"] if f["status"] == "missed"}
    assert ("R205", "yuxun", "2026-10") in missed
    assert ("R201", "han-bing", "2026-09") in missed
    event = next(f for f in data["findings"] if f["rule"] == "R204")
    assert event["trigger"] == "M-0103" and event["period"] is None
    assert set(data["people"]) >= {a for f in data["findings"] for a in f["accountable"]}


def test_check_all_lists_satisfied_and_pending() -> None:
    data = json.loads(run(["check", EXAMPLE, "--as-of", "2026-11-30", "--format", "json", "--all"], 1).stdout)
    statuses = {f["status"] for f in data["findings"]}
    assert {"satisfied", "pending"} <= statuses
    assert len(data["findings"]) == data["summary"]["checked"]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(fail_on: str, code: int) -> None:
    run(["check", EXAMPLE, "--as-of", "2026-11-30", "--fail-on", fail_on, "--format", "json"], code)


def test_fail_on_error_passes_when_only_warnings(tmp_path: Path) -> None:
    # as of 2026-04-10 only the first schedule step is near: due soon is a warning
    base = Path(__file__).parent / "fixtures" / "base"
    run(["check", base, "--as-of", "2026-04-10", "--format", "json"], 0)
    run(["check", base, "--as-of", "2026-04-10", "--fail-on", "warning", "--format", "json"], 1)


def test_due_within_widens_the_horizon() -> None:
    base = Path(__file__).parent / "fixtures" / "base"
    narrow = json.loads(run(["check", base, "--as-of", "2026-04-01", "--format", "json"], 0).stdout)
    wide = json.loads(run(["check", base, "--as-of", "2026-04-01", "--format", "json", "--due-within", "30"], 0).stdout)
    assert not [f for f in narrow["findings"] if f["status"] == "due_soon"]
    assert {f["rule"] for f in wide["findings"] if f["status"] == "due_soon"} >= {"S101", "S102", "S103", "S104"}


def test_table_in_chinese_by_default_and_english_on_request() -> None:
    zh = run(["check", EXAMPLE, "--as-of", "2026-11-30"], 1).stdout
    assert "未完成" in zh and "语训学校" in zh and "责任人" in zh
    en = run(["check", EXAMPLE, "--as-of", "2026-11-30", "--lang", "en"], 1).stdout
    assert "missed" in en and "accountable" in en and "no record" in en


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    run(["check", EXAMPLE, "--as-of", "2026-11-30", "--format", "json", "-o", out], 1)
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_unknown_format_is_a_usage_error() -> None:
    assert "Invalid value for '--format'" in run(["check", EXAMPLE, "--format", "xml"], 2).stderr


def test_every_command_has_help_with_an_example() -> None:
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None and command.help, name
        assert "Example:" in command.help, f"{name} help has no Example"


def test_init_creates_a_workspace_that_checks_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    out = run(["init", root, "--year", "2026"], 0).stdout
    assert "created" in out and (root / "records" / "records.csv").exists()
    data = json.loads(run(["check", root, "--as-of", "2026-05-01", "--format", "json"], 1).stdout)
    assert {f["rule"] for f in data["findings"]} >= {"S101", "G304"}
    (root / "org.yaml").write_text("# mine\n", encoding="utf-8")
    assert "已存在；未写入任何内容" in run(["init", root], 2).stderr
    assert (root / "org.yaml").read_text(encoding="utf-8") == "# mine\n"


def test_every_format_name_has_a_writer() -> None:
    from lianfang.checker.report import FORMAT_MODULES, WRITERS, writer_for

    for name in FORMAT_MODULES:
        assert writer_for(name) is WRITERS[name]
