"""SPEC §3.1 as a user meets it on the command line: warnings naming file and row, lint's
report, and the entries a counted obligation counted, in every output format.

The per-rule readings (points 1–7) are fixture cases in rules/fixtures (search for
"§3.1"); the status decision is property-tested in tests/test_status_properties.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run

HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


def write_records(ws: Path, rows: str) -> None:
    (ws / "records" / "diary.csv").write_text(HEADER + rows, encoding="utf-8")


QUARTER_DIARY = (
    "D-1,diary_entry,2026-10-05,staff-a,2026-10,,,,\n"
    "D-2,diary_entry,2026-10-12,staff-a,2026-Q4,,,,\n"
    "D-3,diary_entry,2026-10-19,staff-a,2026-10,,,,\n"
)


def test_check_warns_naming_file_and_row_of_a_period_of_the_wrong_granularity(ws: Path) -> None:
    write_records(ws, QUARTER_DIARY)
    result = run(["check", ws, "--as-of", "2026-11-05", "--format", "json"], exit_code=1)
    assert (
        'lianfang: 警告: records/diary.csv: row 3: 记录 D-2（diary_entry）的 period "2026-Q4" 是季度，'
        "而 diary_entry 按月计，这条记录不与任何义务匹配；请填写月份（如 2026-10）或留空"
    ) in result.stderr
    data = json.loads(result.stdout)
    assert [(w["file"], w["where"]) for w in data["warnings"]] == [("records/diary.csv", "row 3")]
    assert data["warnings"][0]["message"].startswith('记录 D-2（diary_entry）的 period "2026-Q4" 是季度')
    r201 = next(
        f for f in data["findings"] if f["rule"] == "R201" and f["subject"] == "staff-a" and f["period"] == "2026-10"
    )
    assert r201["period"] == "2026-10" and r201["evidence"] == ["D-1", "D-3"]


def test_check_warns_in_english_too(ws: Path) -> None:
    write_records(ws, QUARTER_DIARY)
    result = run(["check", ws, "--as-of", "2026-11-05", "--lang", "en"], exit_code=1)
    assert (
        'lianfang: warning: records/diary.csv: row 3: record D-2 (diary_entry) has period "2026-Q4", a quarter, '
        "but diary_entry is owed per month: it matches nothing; write the month (e.g. 2026-10) or leave period empty"
    ) in result.stderr


def test_no_warning_when_periods_fit(ws: Path) -> None:
    write_records(ws, "D-1,diary_entry,2026-10-05,staff-a,2026-10,,,,\nS-1,plan_adopted,2026-04-01,u1,2026,,,,\n")
    result = run(["check", ws, "--as-of", "2026-11-05", "--format", "json"], exit_code=1)
    assert "warning" not in result.stderr and "警告" not in result.stderr
    assert json.loads(result.stdout)["warnings"] == []


def test_lint_reports_a_period_of_the_wrong_granularity(ws: Path) -> None:
    write_records(ws, QUARTER_DIARY + "S-1,plan_adopted,2026-04-01,u1,2026-04,,,,\n")
    data = json.loads(run(["lint", ws, "--format", "json"], exit_code=1).stdout)
    found = [(f["code"], f["file"].rsplit("/", 2)[-2:], f["line"]) for f in data["findings"] if f["code"] == "L206"]
    assert found == [("L206", ["records", "diary.csv"], 3), ("L206", ["records", "diary.csv"], 5)]
    plan = next(f for f in data["findings"] if f["code"] == "L206" and f["line"] == 5)
    assert plan["severity"] == "warning"
    assert '"2026-04" 是月' in plan["message"] and "plan_adopted 按年计" in plan["message"]
    assert "如 2026" in plan["message"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "junit", "sarif", "github"])
def test_a_counted_obligation_names_the_entries_it_counted_in_every_format(ws: Path, fmt: str) -> None:
    write_records(
        ws,
        "D-1,diary_entry,2026-10-05,staff-a,2026-10,,,,\n"
        "D-2,diary_entry,2026-10-12,staff-a,,,incomplete,,\n"
        "D-3,diary_entry,2026-10-19,staff-a,,,,,\n",
    )
    out = run(["check", ws, "--as-of", "2026-11-05", "--format", fmt], exit_code=1).stdout
    assert "D-1" in out and "D-3" in out
    if fmt == "json":
        r201 = next(
            f
            for f in json.loads(out)["findings"]
            if f["rule"] == "R201" and f["period"] == "2026-10" and f["subject"] == "staff-a"
        )
        assert r201["evidence"] == ["D-1", "D-3"] and "D-2" not in r201["message"]


# ------------------------------------------------------------ words for any unit (issue 9)


def test_a_county_unit_names_its_own_superior_bodies_and_retitles_a_rule(ws: Path) -> None:
    config = ws / "lianfang.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "settings:\n"
        + "  leading_group: {zh: 县领导小组, en: the county leading group}\n"
        + "  supervision_group: {zh: 县督导组, en: the county supervision group}\n"
        + "rules:\n"
        + "  S124: {title: {zh: 形成总结报告，报县纪委}}\n",
        encoding="utf-8",
    )
    data = json.loads(run(["check", ws, "--as-of", "2026-06-01", "--format", "json", "--all"], exit_code=1).stdout)
    titles = {f["rule"]: f["title"] for f in data["findings"]}
    assert titles["S109"] == "报县领导小组、县督导组备案"
    assert titles["S124"] == "形成总结报告，报县纪委"
    assert titles["S114"] == "确定2个重点中层岗位、部室，报县督导组"  # key_post_count is 2 in the base unit
    en = json.loads(run(["rules", "--workspace", ws, "--format", "json", "--lang", "en"], exit_code=0).stdout)
    assert next(r for r in en if r["code"] == "S109")["title"] == (
        "Risk points filed with the county leading group and the county supervision group"
    )
    # the other language keeps the pack's title when only one is overridden
    assert next(r for r in en if r["code"] == "S124")["title"] == "Summary report to the county leading group"


def test_the_shipped_titles_read_as_the_city_federation_wrote_them() -> None:
    data = json.loads(run(["rules", "--format", "json"], exit_code=0).stdout)
    titles = {r["code"]: r["title"] for r in data}
    assert titles["S109"] == "报市领导小组、市督导组备案"
    assert titles["R206"] == "部室季公示（在市残联网站公示）"
    assert all("{" not in t for t in titles.values())


def test_an_unknown_word_in_a_title_override_is_bad_input(ws: Path) -> None:
    config = ws / "lianfang.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "rules:\n  S109: {title: {zh: '报{leader_group}备案'}}\n", encoding="utf-8"
    )
    result = run(["check", ws, "--as-of", "2026-06-01", "--lang", "en"], exit_code=2)
    assert "lianfang.yaml: key rules.S109.title.zh" in result.stderr and "{leader_group}" in result.stderr


def test_rules_lists_types_in_chinese() -> None:
    out = run(["rules"], exit_code=0).stdout
    assert "义务" in out and "检查" in out and "obligation" not in out


# ------------------------------------------------------- unknown is not pass (issue 9)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "junit", "sarif", "github"])
def test_an_undecidable_obligation_is_unknown_with_its_reason_in_every_format(ws: Path, fmt: str) -> None:
    risks = ws / "risks.yaml"
    risks.write_text(
        risks.read_text(encoding="utf-8").replace(
            "    level: 3\n    measures: [{description: 廉政承诺", "    measures: [{description: 廉政承诺"
        ),
        encoding="utf-8",
    )
    out = run(["check", ws, "--as-of", "2026-10-05", "--format", fmt], exit_code=1).stdout
    assert "无法判定" in out and "G301" in out  # the status and its reason: give the risk point a level
    if fmt == "json":
        g305 = next(f for f in json.loads(out)["findings"] if f["rule"] == "G305" and f["subject"] == "rp-p")
        assert g305["status"] == "unknown" and g305["severity"] == "warning"
        assert "风险点未确定风险等级" in g305["message"]


def test_check_reads_lianfang_yaml_once(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: one reading of lianfang.yaml per command (it was read up to three times)."""
    import lianfang.models.workspace as workspace_module

    reads: list[str] = []
    original = workspace_module.read_yaml

    def counting(*args: object, **kwargs: object) -> object:
        reads.append(str(args[1]))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    for module in ("lianfang.models.workspace", "lianfang.checker.stages.workspace", "lianfang.rules.catalogue"):
        monkeypatch.setattr(f"{module}.read_yaml", counting)
    run(["check", ws, "--as-of", "2026-11-05"], exit_code=1)
    assert reads.count("lianfang.yaml") == 1, reads
