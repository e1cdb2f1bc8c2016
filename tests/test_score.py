"""`lianfang score`: the 100-point assessment, hand-computed on a small unit.

The unit (tests/fixtures/base) keeps only R201, R205 and the register checks; with one
diary entry a month required, as of 2026-10-15 it has three open findings:

| finding | status | item | deducts |
|---|---|---|---|
| R201 staff-b 2026-09 (乙部) | missed | diaries | 1 (the diaries item's own rate) |
| R201 staff-a 2026-09 (甲部) | late | diaries | 0.5 |
| R205 dept-b 2026-09 | late | reports | 1 (the scheme's rate) |

so the unit scores 100 − 1.5 − 1 = 97.5; 甲部 99.5; 乙部 98; 审核岗 (staff-a) 99.5;
会计岗 (staff-b) 99 — the department's own late report is the department's, not the post's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lianfang.rules.catalogue import load_catalogue
from tests.cli_helpers import run

AS_OF = "2026-10-15"
KEEP = {"R201", "R205", "G301", "G302", "G303", "G304", "G306", "G307", "T501"}
RECORDS = """id,kind,date,subject,period,by,result,ref,note
M1,dept_monthly_report,2026-09-28,dept-a,,,,,
M2,dept_monthly_report,2026-10-05,dept-b,2026-09,,,,
D1,diary_entry,2026-09-10,ldr-main,,,,,
D2,diary_entry,2026-09-10,ldr-prog,,,,,
D3,diary_entry,2026-09-10,head-a,,,,,
D4,diary_entry,2026-09-10,head-b,,,,,
D5,diary_entry,2026-10-02,staff-a,2026-09,,,,
"""
FULL = {
    "schedule": 20,
    "register": 20,
    "diaries": 15,
    "reports": 10,
    "supervision": 10,
    "key_posts": 15,
    "accountability": 10,
}


def config(extra: str = "") -> str:
    disabled = [r.code for r in load_catalogue().rules if r.code not in KEEP]
    lines = ["year: 2026", "params:", "  key_post_count: 2", "  diary_min_entries_per_month: 1", "rules:"]
    lines += [f"  {code}: {{enabled: false}}" for code in disabled]
    return "\n".join(lines) + "\n" + extra


@pytest.fixture()
def small(ws: Path) -> Path:
    (ws / "lianfang.yaml").write_text(config(), encoding="utf-8")
    (ws / "records" / "r.csv").write_text(RECORDS, encoding="utf-8")
    return ws


def score(ws: Path, *args: str) -> dict:
    return json.loads(run(["score", ws, "--as-of", AS_OF, "--format", "json", *args], 0).stdout)


def items(data: dict) -> dict[str, float]:
    return {i["id"]: i["score"] for i in data["items"]}


def test_unit_score_hand_computed_per_item(small: Path) -> None:
    data = score(small)
    assert data["total"] == 97.5
    assert items(data) == {**FULL, "diaries": 13.5, "reports": 9}
    traced = {(d["rule"], d["subject"], d["period"], d["status"], d["points"]) for d in data["deductions"]}
    assert traced == {
        ("R201", "staff-b", "2026-09", "missed", 1),
        ("R201", "staff-a", "2026-09", "late", 0.5),
        ("R205", "dept-b", "2026-09", "late", 1),
    }
    # every deduction names the clause of the plan it comes from
    assert all(d["source"] for d in data["deductions"])
    assert sum(d["points"] for d in data["deductions"]) == 100 - data["total"]


def test_department_and_post_scores_follow_the_accountable_chain(small: Path) -> None:
    by_dept = {s["subject"]: s for s in score(small, "--by", "department")["scores"]}
    assert by_dept["dept-a"]["total"] == 99.5
    assert items(by_dept["dept-a"]) == {**FULL, "diaries": 14.5}
    assert by_dept["dept-b"]["total"] == 98
    assert items(by_dept["dept-b"]) == {**FULL, "diaries": 14, "reports": 9}
    by_post = {s["subject"]: s["total"] for s in score(small, "--by", "post")["scores"]}
    assert by_post == {"post-a1": 99.5, "post-b1": 99}


def test_a_waived_finding_deducts_nothing(small: Path) -> None:
    (small / "waivers.yaml").write_text(
        "waivers:\n  - {rule: R201, subject: staff-b, period: 2026-09, justification: 病假,"
        " approved_by: ldr-main, expires: 2026-12-31}\n",
        encoding="utf-8",
    )
    data = score(small)
    assert data["total"] == 98.5
    assert items(data)["diaries"] == 14.5
    assert not any(d["subject"] == "staff-b" for d in data["deductions"])
    assert data["waived"] == [
        {
            "rule": "R201",
            "subject": "staff-b",
            "period": "2026-09",
            "status": "waived",
            "points": 0,
            "waived_status": "missed",
            "justification": "病假",
        }
    ]
    by_post = {s["subject"]: s["total"] for s in score(small, "--by", "post")["scores"]}
    assert by_post["post-b1"] == 100


def test_an_override_changes_exactly_its_item(small: Path) -> None:
    before = items(score(small))
    (small / "lianfang.yaml").write_text(
        config("score:\n  items:\n    reports: {deductions: {late: 3}}\n"), encoding="utf-8"
    )
    data = score(small)
    after = items(data)
    assert after["reports"] == 7
    assert {k: v for k, v in after.items() if k != "reports"} == {k: v for k, v in before.items() if k != "reports"}
    assert data["scheme"]["overridden"] == ["reports"]


def test_points_and_caps_can_move_between_items(small: Path) -> None:
    (small / "lianfang.yaml").write_text(
        config("score:\n  items:\n    diaries: {points: 20, rule_cap: 1}\n    schedule: {points: 15}\n"),
        encoding="utf-8",
    )
    data = score(small)
    assert items(data)["diaries"] == 19  # 20 − (1 + 0.5, capped at 1 for R201)
    capped = [d for d in data["deductions"] if d["capped"]]
    assert [(d["subject"], d["points"], d["nominal"]) for d in capped] == [("staff-a", 0, 0.5)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("score:\n  items:\n    diaries: {points: 20}\n", "add up to 105, not 100"),
        ("score:\n  items:\n    diary: {points: 15}\n", 'unknown score item "diary" (did you mean "diaries"?)'),
        ("score:\n  items:\n    diaries: {rules: [R201, R202, R203, R205]}\n", '"R205" is already in item "diaries"'),
        ("score:\n  items:\n    diaries: {rules: [R201, R2O2]}\n", '"R2O2" is neither a rule code'),
    ],
)
def test_a_bad_override_is_bad_input(small: Path, extra: str, message: str) -> None:
    (small / "lianfang.yaml").write_text(config(extra), encoding="utf-8")
    assert "lianfang: 错误：lianfang.yaml: 键 score.items" in run(["score", small, "--as-of", AS_OF], 2).stderr
    result = run(["score", small, "--as-of", AS_OF, "--lang", "en"], 2)
    assert message in result.stderr
    assert "lianfang.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_table_and_xlsx(small: Path, tmp_path: Path) -> None:
    table = run(["score", small, "--as-of", AS_OF], 0).stdout
    assert "总分 97.5" in table
    assert "乙部科员" in table and "五(三)2" in table
    out = tmp_path / "score.xlsx"
    run(["score", small, "--as-of", AS_OF, "--by", "department", "-o", out], 0)
    book = load_workbook(out)
    rows = list(book.worksheets[0].values)
    assert rows[1][:3] == ("甲部", "dept-a", 99.5)
    assert rows[2][:3] == ("乙部", "dept-b", 98)
    details = list(book.worksheets[1].values)
    assert len(details) == 1 + 3  # header, three deductions


def test_explain_score_prints_the_scheme() -> None:
    text = run(["explain", "score"], 0).stdout
    for words in ("廉政日记", "15", "missed", "lianfang.yaml"):
        assert words in text


def test_the_example_scores() -> None:
    example = Path(__file__).parent.parent / "examples" / "dongying"
    data = json.loads(run(["score", example, "--as-of", "2026-11-30", "--format", "json"], 0).stdout)
    assert 0 < data["total"] < 100
    assert sum(i["score"] for i in data["items"]) == data["total"]
    assert {d["rule"] for d in data["deductions"]} >= {"K401", "T502", "R205", "R201"}
