"""Bad input: one clear line per problem naming file and row or key, exit 2, nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lianfang.models.errors import InputError
from lianfang.models.workspace import load_workspace
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


def test_header_field_count_and_jsonl_problems_in_chinese_by_default(ws: Path) -> None:
    # these were shown in English under the default (Chinese) language
    (ws / "records" / "broken.csv").write_text("id,kind,subject\nX-1,plan_adopted,u1\n", encoding="utf-8")
    write_records(ws, "X-1,plan_adopted,2026-04-01,u1,,,,,,,extra\n")
    (ws / "records" / "b.jsonl").write_text(
        '[1]\n{"id": "J-1", "kind": "plan_adopted", "date": "2026-04-01", "subject": "u1", "amount": "3"}\n',
        encoding="utf-8",
    )
    before = snapshot(ws)
    result = run(["check", ws, "--as-of", "2026-11-30"], exit_code=2)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert snapshot(ws) == before
    for text in (
        "lianfang: 错误：records/broken.csv: 第 1 行: 缺少“date”列（日期）；"
        "表头必须使用以下列：id,kind,date,subject,period,by,result,ref,note"
        "（或对应的中文列名 编号,类型,日期,对象,期间,填报人,结果,关联,备注；“序号”列会被忽略）",
        "lianfang: 错误：records/r.csv: 第 2 行: 该行有 11 个字段，但表头只有 9 列；含逗号的字段要加引号",
        "lianfang: 错误：records/b.jsonl: 第 1 行: 每行应是一个 JSON 对象",
        "lianfang: 错误：records/b.jsonl: 第 2 行: 未知的字段“amount”；"
        "字段应为 id, kind, date, subject, period, by, result, ref, note 之一",
    ):
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    for english in ("missing column", "the header must", "fields for", "expected a JSON", "unknown field"):
        assert english not in result.stderr
    check_fails(
        ws,
        'lianfang: error: records/broken.csv: row 1: missing column "date" (日期); the header must use the columns '
        "id,kind,date,subject,period,by,result,ref,note (or their Chinese names 编号,类型,日期,对象,期间,填报人,结果,"
        "关联,备注; a 序号 column is ignored)",
        "lianfang: error: records/r.csv: row 2: 11 fields for 9 columns; quote fields that contain commas",
        "lianfang: error: records/b.jsonl: line 1: expected a JSON object per line",
        'lianfang: error: records/b.jsonl: line 2: unknown field "amount"; '
        "expected id, kind, date, subject, period, by, result, ref, note",
    )


def test_unknown_and_repeated_csv_columns_in_chinese_by_default(ws: Path) -> None:
    (ws / "records" / "r.csv").write_text("编号,类型,日期,对象,金额\n", encoding="utf-8")
    (ws / "records" / "s.csv").write_text("id,kind,date,subject,note,备注\n", encoding="utf-8")
    result = run(["check", ws, "--as-of", "2026-11-30"], exit_code=2)
    assert "records/r.csv: 第 1 行: 未知的列“金额”；表头必须使用以下列：" in result.stderr
    assert "records/s.csv: 第 1 行: “备注”列出现了两次；表头必须使用以下列：" in result.stderr
    check_fails(
        ws,
        'records/r.csv: row 1: unknown column "金额"; the header must use the columns',
        'records/s.csv: row 1: column "备注" appears twice; the header must use the columns',
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


def test_org_and_risks_consistency_problems_in_chinese_by_default(ws: Path) -> None:
    """The checks across org.yaml and risks.yaml speak the user's language: Chinese by default,
    English with --lang en."""
    org = (ws / "org.yaml").read_text(encoding="utf-8")
    org = org.replace(
        "{id: staff-a, name: 甲部科员}", "{id: staff-a, name: 甲部科员, since: 2026-06-01, until: 2026-05-01}"
    )
    (ws / "org.yaml").write_text(org, encoding="utf-8")
    risks = (ws / "risks.yaml").read_text(encoding="utf-8")
    risks = risks.replace("{subject: ldr-prog,", "{subject: ldr-main,")
    risks = risks.replace("steps: [申请, 审批, 支付]", "steps: [申请, 审批, 审批]")
    risks = risks.replace("  - id: rp-p\n", "  - id: staff-b\n")
    risks = risks.replace("    description: 收受申请人礼品\n", "    description: 收受申请人礼品\n    step: 审核\n")
    (ws / "risks.yaml").write_text(risks, encoding="utf-8")
    before = snapshot(ws)
    chinese = run(["check", ws, "--as-of", "2026-11-30"], exit_code=2).stderr
    for text in (
        "lianfang: 错误：org.yaml: 键 people[3].until: 离任日期 until“2026-05-01”早于任职日期 since“2026-06-01”",
        "lianfang: 错误：risks.yaml: 键 gradings[5].subject: “ldr-main”重复划分了风险等级（另见 gradings[4]）",
        "lianfang: 错误：risks.yaml: 键 powers[1].steps: 有运行环节名称出现两次；各运行环节必须互不相同",
        "lianfang: 错误：risks.yaml: 键 risk_points[2].id: “staff-b”已是 org.yaml 中某一条目的编号",
        "lianfang: 错误：risks.yaml: 键 risk_points[2].step: 填写了运行环节“审核”，但没有填写权力事项 power_item",
    ):
        assert text in chinese, f"{text!r} not in:\n{chinese}"
    assert "is before since" not in chinese and "given without" not in chinese
    check_fails(
        ws,
        'lianfang: error: org.yaml: key people[3].until: "2026-05-01" is before since "2026-06-01"',
        'risks.yaml: key gradings[5].subject: "ldr-main" is graded twice (also at gradings[4])',
        "risks.yaml: key powers[1].steps: a step name appears twice; steps must be distinct",
        'risks.yaml: key risk_points[2].id: "staff-b" is already the id of an entry in org.yaml',
        'risks.yaml: key risk_points[2].step: step "审核" given without a power_item',
    )
    assert snapshot(ws) == before


def test_load_workspace_on_a_missing_folder_says_so_in_chinese(tmp_path: Path) -> None:
    """The loader's own guard (the commands report the folder before they get there)."""
    with pytest.raises(InputError) as caught:
        load_workspace(tmp_path / "nope", set())
    (problem,) = caught.value.problems
    assert problem.render("zh") == f"{tmp_path / 'nope'}: 找不到工作区文件夹"
    assert str(problem) == f"{tmp_path / 'nope'}: workspace folder not found"


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
