"""Waivers (issue 4): applied, expired, stale and malformed; a waived finding keeps its place in
every format, marked waived with the waiver, and does not fail the run."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from lianfang.checker.findings import Status
from lianfang.checker.run import check_workspace
from lianfang.checker.stages.waivers import apply_waivers, load_waivers
from lianfang.models.errors import InputError
from tests.cli_helpers import run
from tests.test_reports import validate_sarif

BASE = Path(__file__).parent / "fixtures" / "base"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"

# as of 04-17 the base unit has exactly one error (S101 missed, due 04-16) and one warning
AS_OF = "2026-04-17"
S101_WAIVER = """waivers:
  - rule: S101
    subject: u1
    period: "2026"
    justification: 党组会议因上级巡视推迟，经领导小组同意延至 4 月 30 日
    approved_by: ldr-main
    expires: {expires}
"""


def write(root: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def check_json(root: Path, exit_code: int, *extra: str, as_of: str = AS_OF) -> dict:  # type: ignore[type-arg]
    result = run(["check", root, "--as-of", as_of, "--format", "json", *extra], exit_code=exit_code)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------ applied


def test_a_waiver_of_the_only_error_lets_the_run_pass(ws: Path) -> None:
    before = check_json(ws, 1)
    assert [(f["rule"], f["status"]) for f in before["findings"]] == [("S101", "missed"), ("S102", "due_soon")]
    write(ws, S101_WAIVER.format(expires="2026-04-30"))
    data = check_json(ws, 0)
    s101 = next(f for f in data["findings"] if f["rule"] == "S101")
    assert s101["status"] == "waived"
    assert s101["severity"] == "error"  # the finding is unchanged but for its status
    waiver = s101["waiver"]
    assert waiver["justification"].startswith("党组会议因上级巡视推迟")
    assert (waiver["approved_by"], waiver["approved_by_name"], waiver["expires"]) == (
        "ldr-main",
        "主要领导",
        "2026-04-30",
    )
    assert waiver["waived_status"] == "missed"
    assert waiver["file"].endswith("waivers.yaml") and waiver["line"] == 2
    assert data["summary"]["by_status"]["waived"] == 1
    assert data["waiver_problems"] == []
    # waived is not open: --fail-on warning still fails on the S102 warning only
    run(["check", ws, "--as-of", AS_OF, "--fail-on", "warning"], exit_code=1)


def test_waived_finding_is_visible_in_every_format(ws: Path, tmp_path: Path) -> None:
    write(ws, S101_WAIVER.format(expires="2026-04-30"))
    table = run(["check", ws, "--as-of", AS_OF], exit_code=0).stdout
    assert "已豁免（1）" in table and "党组会议因上级巡视推迟" in table and "主要领导批准" in table
    english = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=0).stdout
    assert "waived (1)" in english and "approved by 主要领导" in english
    md = run(["check", ws, "--as-of", AS_OF, "--format", "markdown"], exit_code=0).stdout
    assert "## 已豁免（1）" in md and "已豁免：党组会议因上级巡视推迟" in md
    gh = run(["check", ws, "--as-of", AS_OF, "--format", "github"], exit_code=0).stdout
    line = next(x for x in gh.splitlines() if "S101" in x)
    assert line.startswith("::notice ") and "[已豁免]" in line and "党组会议因上级巡视推迟" in line
    junit = ET.fromstring(run(["check", ws, "--as-of", AS_OF, "--format", "junit"], exit_code=0).stdout)
    case = next(c for c in junit.iter("testcase") if c.get("classname") == "lianfang.S101")
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("type") == "waived" and "党组会议" in (skipped.get("message") or "")
    assert junit.get("failures") == "0"
    sarif = validate_sarif(run(["check", ws, "--as-of", AS_OF, "--format", "sarif"], exit_code=0).stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "S101")
    assert result["kind"] == "fail" and result["level"] == "error"
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert (
        suppression["justification"].startswith("党组会议") and suppression["properties"]["approved_by"] == "ldr-main"
    )
    ics = tmp_path / "c.ics"
    run(["calendar", ws, "--as-of", AS_OF, "-o", ics], exit_code=0)
    text = ics.read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in text and "X-LIANFANG-KEY:S101:u1:2026" in text


def test_waivers_option_reads_a_file_outside_the_workspace(ws: Path, tmp_path: Path) -> None:
    path = write(tmp_path, S101_WAIVER.format(expires="2026-04-30"), name="elsewhere.yaml")
    data = check_json(ws, 0, "--waivers", str(path))
    assert next(f for f in data["findings"] if f["rule"] == "S101")["status"] == "waived"


def test_a_waiver_without_period_covers_every_period(ws: Path) -> None:
    write(ws, S101_WAIVER.format(expires="2026-04-30").replace('    period: "2026"\n', ""))
    data = check_json(ws, 0)
    assert next(f for f in data["findings"] if f["rule"] == "S101")["status"] == "waived"


def test_waiver_in_force_on_its_expiry_day(ws: Path) -> None:
    write(ws, S101_WAIVER.format(expires=AS_OF))
    assert check_json(ws, 0)["waiver_problems"] == []


# ------------------------------------------------------------------------ expired, stale


def test_an_expired_waiver_no_longer_applies_and_is_reported(ws: Path) -> None:
    write(ws, S101_WAIVER.format(expires="2026-04-16"))
    data = check_json(ws, 1)
    assert next(f for f in data["findings"] if f["rule"] == "S101")["status"] == "missed"
    (problem,) = data["waiver_problems"]
    assert problem["problem"] == "expired" and problem["rule"] == "waiver" and problem["severity"] == "warning"
    assert "2026-04-16" in problem["message"] and "waivers.yaml" in problem["message"]
    sarif = validate_sarif(run(["check", ws, "--as-of", AS_OF, "--format", "sarif"], exit_code=1).stdout)
    waiver_results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "waiver"]
    assert len(waiver_results) == 1 and waiver_results[0]["properties"]["problem"] == "expired"
    assert sarif["runs"][0]["tool"]["driver"]["rules"][waiver_results[0]["ruleIndex"]]["id"] == "waiver"
    junit = ET.fromstring(run(["check", ws, "--as-of", AS_OF, "--format", "junit"], exit_code=1).stdout)
    assert [c.get("name") for c in junit.iter("testcase") if c.get("classname") == "lianfang.waiver"] == [
        "expired S101:u1:2026"
    ]


def test_a_waiver_that_matches_nothing_is_stale(ws: Path) -> None:
    write(
        ws,
        S101_WAIVER.format(expires="2026-04-30")
        + """  - rule: S104
    subject: u1
    justification: 动员会议与 S101 合并召开
    approved_by: ldr-prog
    expires: 2026-12-31
  - rule: R205
    subject: dept-a
    period: 2026-10
    justification: 部室 10 月停业整顿
    approved_by: ldr-prog
    expires: 2026-12-31
""",
    )
    # as of 04-17 S104 (due 04-29) and R205 for October are not due yet: their waivers wait
    data = check_json(ws, 0)
    assert data["waiver_problems"] == []
    (ws / "records" / "r.csv").write_text(
        "id,kind,date,subject,period,by,result,ref,note\nX1,dept_monthly_report,2026-10-30,dept-a,2026-10,,,,\n",
        encoding="utf-8",
    )
    # by November S104 is missed (waived) and October's report was filed on time
    data = check_json(ws, 1, as_of="2026-11-02")
    stale = [p for p in data["waiver_problems"] if p["problem"] == "stale"]
    assert [p["waiver"]["rule"] for p in stale] == ["R205"]  # satisfied on time: nothing to waive
    assert "没有匹配任何未完成事项" in stale[0]["message"]
    expired = [p for p in data["waiver_problems"] if p["problem"] == "expired"]
    assert [p["waiver"]["rule"] for p in expired] == ["S101"]
    # stale and expired waivers are warnings: they fail the run with --fail-on warning
    run(["check", ws, "--as-of", "2026-11-02", "--fail-on", "warning", "--format", "json"], exit_code=1)
    md = run(["check", ws, "--as-of", "2026-11-02", "--format", "markdown"], exit_code=1).stdout
    assert "## 豁免问题（2）" in md and "**无匹配** `R205:dept-a:2026-10`" in md
    gh = run(["check", ws, "--as-of", "2026-11-02", "--format", "github"], exit_code=1).stdout
    assert any(line.startswith("::warning file=") and "title=waiver stale" in line for line in gh.splitlines())


def test_apply_waivers_directly(ws: Path) -> None:
    write(ws, S101_WAIVER.format(expires="2026-04-30"))
    result = check_workspace(ws, date(2026, 4, 17))
    waivers = load_waivers(ws / "waivers.yaml", result.workspace, result.catalogue)
    waived = apply_waivers(result, waivers, date(2026, 4, 17))
    assert [f.rule for f in waived.findings if f.status == Status.WAIVED] == ["S101"]
    assert [f.rule for f in waived.open_findings()] == ["S102"]
    assert len(waived.findings) == len(result.findings)  # nothing dropped
    assert [f.key for f in result.findings if f.status == Status.MISSED] == ["S101:u1:2026"]  # input untouched


# ------------------------------------------------------------------------------ malformed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            S101_WAIVER.format(expires="2026-04-30").replace(
                "    justification: 党组会议因上级巡视推迟，经领导小组同意延至 4 月 30 日\n", ""
            ),
            "key waivers[0].justification: required key is missing",
        ),
        (
            S101_WAIVER.format(expires="2026-04-30").replace("    approved_by: ldr-main\n", ""),
            "key waivers[0].approved_by: required key is missing",
        ),
        (
            S101_WAIVER.format(expires="2026-04-30").replace("    expires: 2026-04-30\n", ""),
            "key waivers[0].expires: required key is missing",
        ),
        (S101_WAIVER.format(expires="2026-02-30"), 'key waivers[0].expires: "2026-02-30" is not a real date'),
        (S101_WAIVER.format(expires="soon"), "key waivers[0].expires"),
        (
            S101_WAIVER.format(expires="2026-04-30").replace("ldr-main", "ldr-mian"),
            'key waivers[0].approved_by: unknown person "ldr-mian" (did you mean "ldr-main"?)',
        ),
        (
            S101_WAIVER.format(expires="2026-04-30").replace("rule: S101", "rule: S1O1"),
            'key waivers[0].rule: unknown rule "S1O1"',
        ),
        (
            S101_WAIVER.format(expires="2026-04-30").replace("subject: u1", "subject: u2"),
            'key waivers[0].subject: unknown subject "u2"',
        ),
        (
            S101_WAIVER.format(expires="2026-04-30").replace('"2026"', "2026-13"),
            'key waivers[0].period: "2026-13" is not a period',
        ),
        (S101_WAIVER.format(expires="2026-04-30") + "    reason: typo\n", "key waivers[0].reason: unknown key"),
        (
            S101_WAIVER.format(expires="2026-04-30").replace(
                "    justification: 党组会议因上级巡视推迟，经领导小组同意延至 4 月 30 日\n", "    justification: ''\n"
            ),
            "key waivers[0].justification",
        ),
        ("- rule: S101\n", "expected a mapping of keys at the top level"),
        ("waivers: [\n", "not valid YAML"),
    ],
)
def test_a_malformed_waiver_file_is_bad_input(ws: Path, text: str, expected: str) -> None:
    write(ws, text)
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "waivers.yaml" in result.stderr and expected in result.stderr, result.stderr
    assert result.stderr.startswith("lianfang: error: ")


def test_a_missing_waivers_file_is_bad_input(ws: Path) -> None:
    result = run(["check", ws, "--as-of", AS_OF, "--waivers", ws / "nope.yaml", "--lang", "en"], exit_code=2)
    assert "nope.yaml" in result.stderr and "file not found" in result.stderr


def test_load_waivers_raises_input_error_listing_every_problem(ws: Path) -> None:
    write(
        ws, S101_WAIVER.format(expires="2026-04-30").replace("ldr-main", "nobody").replace("subject: u1", "subject: zz")
    )
    result = check_workspace(ws, date(2026, 4, 17))
    with pytest.raises(InputError) as info:
        load_waivers(ws / "waivers.yaml", result.workspace, result.catalogue)
    keys = [p.where for p in info.value.problems]
    assert keys == ["key waivers[0].subject", "key waivers[0].approved_by"]


def test_example_waiver_of_one_finding(tmp_path: Path) -> None:
    """On the shipped example, the documented waiver file waives one finding and leaves the others open."""
    root = tmp_path / "dongying"
    shutil.copytree(EXAMPLE, root)
    shutil.copy(EXAMPLE.parents[1] / "docs" / "examples" / "waivers.yaml", root / "waivers.yaml")
    data = json.loads(run(["check", root, "--as-of", "2026-11-30", "--format", "json"], exit_code=1).stdout)
    statuses = {(f["rule"], f["subject"], f["period"]): f["status"] for f in data["findings"]}
    assert statuses[("R205", "yuxun", "2026-10")] == "waived"
    assert data["summary"]["open_by_severity"] == {"error": 15, "warning": 7}
    assert data["waiver_problems"] == []
