"""Bad input: one clear line per problem naming file and row or key, exit 2, nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.cli_helpers import run

BASE = Path(__file__).parent / "fixtures" / "base"
HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def check_fails(root: Path, *expected: str) -> str:
    before = snapshot(root)
    result = run(["check", root, "--as-of", "2026-11-30", "--lang", "en"], exit_code=2)
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert result.stdout == ""
    assert snapshot(root) == before, "the check changed files in the workspace"
    return result.stderr


def write_records(root: Path, body: str, name: str = "r.csv", encoding: str = "utf-8") -> None:
    (root / "records" / name).write_bytes((HEADER + body).encode(encoding))


def test_missing_workspace_folder(tmp_path: Path) -> None:
    # Chinese by default (issue 9: the message was English under the default language)
    result = run(["check", tmp_path / "nope", "--as-of", "2026-11-30"], exit_code=2)
    assert "找不到工作区文件夹" in result.stderr
    english = run(["check", tmp_path / "nope", "--as-of", "2026-11-30", "--lang", "en"], exit_code=2)
    assert "workspace folder not found" in english.stderr


def test_missing_file(ws: Path) -> None:
    (ws / "org.yaml").unlink()
    check_fails(ws, "lianfang: error: org.yaml: file not found")


def test_impossible_date_in_a_record(ws: Path) -> None:
    write_records(ws, "X-1,plan_adopted,2026-06-31,u1,,,,,\n")
    check_fails(ws, 'records/r.csv: row 2: date "2026-06-31" is not a real date')


def test_malformed_period(ws: Path) -> None:
    write_records(ws, "X-1,dept_monthly_report,2026-06-30,dept-a,2026-Q5,,,,\n")
    check_fails(ws, 'records/r.csv: row 2: period "2026-Q5" is not valid')


def test_unknown_subject_suggests_the_nearest_id(ws: Path) -> None:
    write_records(
        ws, "X-1,dept_monthly_report,2026-09-30,dept_a,2026-09,,,,\nX-2,plan_adopted,2026-04-01,staf-a,,,,,\n"
    )
    err = check_fails(
        ws,
        'row 2: unknown subject "dept_a" (did you mean "dept-a"?)',
        'row 3: unknown subject "staf-a" (did you mean "staff-a"?)',
    )
    assert len(err.strip().splitlines()) == 2, "all problems of a file are reported together"


def test_unknown_kind(ws: Path) -> None:
    write_records(ws, "X-1,dept_montly_report,2026-09-30,dept-a,2026-09,,,,\n")
    check_fails(ws, 'unknown kind "dept_montly_report" (did you mean "dept_monthly_report"?)')


def test_duplicate_record_ids_across_files(ws: Path) -> None:
    write_records(ws, "X-1,plan_adopted,2026-04-01,u1,,,,,\n", "a.csv")
    (ws / "records" / "b.jsonl").write_text(
        '{"id": "X-1", "kind": "plan_adopted", "date": "2026-04-02", "subject": "u1"}\n', encoding="utf-8"
    )
    check_fails(ws, 'records/b.jsonl: line 1: duplicate record id "X-1" (first in records/a.csv row 2)')


def test_malformed_row_and_json(ws: Path) -> None:
    write_records(ws, "X-1,plan_adopted,2026-04-01,u1,,,,,,,extra\nX-2,,2026-04-01,u1,,,,,\n")
    (ws / "records" / "b.jsonl").write_text("{not json}\n", encoding="utf-8")
    check_fails(
        ws,
        "records/r.csv: row 2: 11 fields for 9 columns",
        'records/r.csv: row 3: column "kind" is empty',
        "records/b.jsonl: line 1: not valid JSON",
    )


def test_wrong_encoding(ws: Path) -> None:
    (ws / "records" / "r.csv").write_bytes(HEADER.encode() + b"X-1,plan_adopted,2026-04-01,u1,,,,\xff\xfe\xfa,\n")
    check_fails(ws, "records/r.csv: cannot be decoded as UTF-8 or GB18030")


def test_gb18030_and_bom_records_are_read(ws: Path) -> None:
    write_records(ws, "X-1,plan_adopted,2026-04-01,u1,,,,,党组会议研究通过\n", "gbk.csv", encoding="gb18030")
    (ws / "records" / "bom.csv").write_bytes(
        ("\ufeff" + HEADER + "X-2,study_session,2026-04-20,u1,,,,,中心组学习\n").encode("utf-8")
    )
    result = run(["check", ws, "--as-of", "2026-04-30", "--all", "--format", "json"], exit_code=1)
    assert '"evidence": [\n        "X-1"' in result.stdout
    assert '"evidence": [\n        "X-2"' in result.stdout


def test_unknown_reference_in_org(ws: Path) -> None:
    text = (ws / "org.yaml").read_text(encoding="utf-8").replace("head: head-b", "head: haed-b")
    (ws / "org.yaml").write_text(text, encoding="utf-8")
    check_fails(ws, 'org.yaml: key departments[1].head: unknown person "haed-b" (did you mean "head-b"?)')


def test_unknown_key_and_wrong_type(ws: Path) -> None:
    text = (ws / "risks.yaml").read_text(encoding="utf-8").replace("level: 2, evaluations", "levle: 2, evaluations", 1)
    (ws / "risks.yaml").write_text(text, encoding="utf-8")
    check_fails(
        ws,
        "risks.yaml: key gradings[0].levle: unknown key",
        "risks.yaml: key gradings[0].level: required key is missing",
    )


def test_unknown_step_and_power_item(ws: Path) -> None:
    text = (
        (ws / "risks.yaml")
        .read_text(encoding="utf-8")
        .replace("step: 审核", "step: 复核")
        .replace("power_item: pw-b", "power_item: pw-c")
    )
    (ws / "risks.yaml").write_text(text, encoding="utf-8")
    check_fails(
        ws,
        'risks.yaml: key risk_points[0].step: unknown step of "pw-a" "复核"',
        'risks.yaml: key risk_points[1].power_item: unknown power item "pw-c"',
    )


def test_duplicate_ids_in_org(ws: Path) -> None:
    text = (ws / "org.yaml").read_text(encoding="utf-8").replace("id: post-b1", "id: post-a1")
    (ws / "org.yaml").write_text(text, encoding="utf-8")
    check_fails(ws, 'org.yaml: key posts[1].id: duplicate id "post-a1"')


def test_invalid_yaml_names_the_line(ws: Path) -> None:
    (ws / "org.yaml").write_text("unit: {id: u1\npeople: [\n", encoding="utf-8")
    check_fails(ws, "org.yaml: line", "not valid YAML")


def test_duplicate_yaml_key(ws: Path) -> None:
    (ws / "lianfang.yaml").write_text("year: 2026\nyear: 2027\n", encoding="utf-8")
    check_fails(ws, 'lianfang.yaml: line 2: not valid YAML: duplicate key "year"')


def test_unknown_rule_override(ws: Path) -> None:
    (ws / "lianfang.yaml").write_text("year: 2026\nrules:\n  S1055: {due: '05-12'}\n", encoding="utf-8")
    check_fails(ws, 'lianfang.yaml: key rules.S1055: unknown rule code "S1055" (did you mean "S105"?)')


def test_impossible_override_date(ws: Path) -> None:
    (ws / "lianfang.yaml").write_text("year: 2026\nrules:\n  S114: {due: '06-31'}\n", encoding="utf-8")
    check_fails(ws, "lianfang.yaml: key rules.S114.due")


def test_bad_as_of_is_a_usage_error(ws: Path) -> None:
    result = run(["check", ws, "--as-of", "2026-02-30"], exit_code=2)
    assert '"2026-02-30" is not a real date' in result.stderr


def test_impossible_date_in_yaml_names_line_and_key(ws: Path) -> None:
    text = (ws / "risks.yaml").read_text(encoding="utf-8").replace("review: 2026-06-23", "review: 2026-06-31", 1)
    (ws / "risks.yaml").write_text(text, encoding="utf-8")
    check_fails(ws, 'risks.yaml: line 2, key gradings[0].review: "2026-06-31" is not a real date')
