"""Ledgers kept in spreadsheets, Chinese headers and kinds, dates as offices write them, warnings.

Workbooks are built with openpyxl the way a spreadsheet program saves them: date cells, text
typed into cells, a title row above the table.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from lianfang.checker.run import open_workspace
from lianfang.models.records import COLUMN_LABELS, KIND_LABELS, RECORD_COLUMNS
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"
AS_OF = "2026-11-30"


def findings(workspace: Path) -> list[tuple]:
    """The check's findings as a user compares them: everything but where the evidence was read."""
    out = json.loads(run(["check", workspace, "--as-of", AS_OF, "--all", "--format", "json"], 1).stdout)
    return sorted(
        (
            f["rule"],
            f["status"],
            f["subject"],
            f.get("period") or "",
            f.get("trigger") or "",
            f["due"],
            tuple(f["evidence"]),
        )
        for f in out["findings"]
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # the example keeps one ledger as Excel saves it on Chinese Windows
    return list(csv.DictReader(io.StringIO(text, newline="")))


def jsonl_rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def example_findings() -> list[tuple]:
    return findings(EXAMPLE)


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    root = tmp_path / "dongying"
    shutil.copytree(EXAMPLE, root)
    return root


def slash(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.year}/{d.month}/{d.day}"


def test_example_records_as_a_workbook_give_the_same_findings(example: Path, example_findings: list[tuple]) -> None:
    records = example / "records"
    diary = csv_rows(records / "diary-2026.csv")
    schedule = csv_rows(records / "schedule-2026.csv")
    monthly = jsonl_rows(records / "monthly.jsonl")
    book = openpyxl.Workbook()
    # sheet 1: English header, real date cells, a title row above the table
    sheet = book.active
    sheet.title = "廉政日记"
    sheet.append(["2026年廉政日记登记表"])
    sheet.append(list(RECORD_COLUMNS))
    for row in diary:
        values: list[object] = [row[c] for c in RECORD_COLUMNS]
        values[2] = date.fromisoformat(row["date"])
        sheet.append(values)
        sheet.cell(sheet.max_row, 3).number_format = "yyyy/m/d"
    # sheet 2: dates typed as 2026/9/28 text
    sheet = book.create_sheet("工作安排")
    sheet.append(list(RECORD_COLUMNS))
    for row in schedule:
        sheet.append([slash(row[c]) if c == "date" else row[c] for c in RECORD_COLUMNS])
    # sheet 3: Chinese headers, Chinese kind labels, dates as 2026年9月28日, a 序号 column
    sheet = book.create_sheet("月报")
    sheet.append(["序号", *(COLUMN_LABELS[c] for c in RECORD_COLUMNS)])
    for i, row in enumerate(monthly, start=1):
        d = date.fromisoformat(row["date"])
        values = [row[c] for c in RECORD_COLUMNS]
        values[1] = KIND_LABELS[row["kind"]]
        values[2] = f"{d.year}年{d.month}月{d.day}日"
        sheet.append([i, *values])
    for name in ("diary-2026.csv", "schedule-2026.csv", "monthly.jsonl"):
        (records / name).unlink()
    book.save(records / "台账.xlsx")
    assert findings(example) == example_findings


def test_a_record_in_a_workbook_is_located_by_sheet_and_cell(example: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "抽查"
    sheet.append(["编号", "类型", "日期", "对象"])
    sheet.append(["X-1", "廉政日记月度抽查", "2026/10/30", "dongying-cdpf"])
    book.save(example / "records" / "抽查.xlsx")
    result = run(["check", example, "--as-of", AS_OF, "--all", "--format", "json"], 1)
    found = [f for f in json.loads(result.stdout)["findings"] if "X-1" in f["evidence"]]
    assert [(f["rule"], f["period"], f["status"]) for f in found] == [("R202", "2026-10", "satisfied")]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"C2": "2026/2/30"},
            'records/bad.xlsx: 台账!C2: date "2026/2/30" is not a real date; write it as 2026-09-28, 2026/9/28',
        ),
        ({"B2": "日记"}, 'records/bad.xlsx: 台账!B2: unknown kind "日记"'),
        ({"D1": "人员"}, 'records/bad.xlsx: 台账!D1: unknown column "人员"'),
        ({"D2": "康复部"}, 'records/bad.xlsx: 台账!D2: unknown subject "康复部" (closest: 康复中心 (kangfu)'),
    ],
)
def test_bad_cells_name_workbook_sheet_and_cell(example: Path, cells: dict[str, str], expected: str) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["编号", "类型", "日期", "对象"])
    sheet.append(["X-1", "廉政日记", date(2026, 10, 12), "wang-haiyan"])
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(example / "records" / "bad.xlsx")
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_required_column_names_the_header_row(example: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["编号", "类型", "对象"])
    sheet.append(["X-1", "廉政日记", "wang-haiyan"])
    book.save(example / "records" / "bad.xlsx")
    result = run(["check", example, "--as-of", AS_OF], 2)
    assert "records/bad.xlsx: 台账!D1: 缺少“date”列（日期）；表头必须使用以下列：id,kind,date," in result.stderr
    assert "（或对应的中文列名 编号,类型,日期,对象," in result.stderr
    assert "missing column" not in result.stderr
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert 'records/bad.xlsx: 台账!D1: missing column "date" (日期); the header must use the columns' in result.stderr


def test_header_problems_of_a_sheet_in_chinese_by_default(example: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["编号", "类型", "日期", "对象", "金额", "对象"])
    book.save(example / "records" / "bad.xlsx")
    result = run(["check", example, "--as-of", AS_OF], 2)
    assert "records/bad.xlsx: 台账!E1: 未知的列“金额”；表头必须使用以下列：" in result.stderr
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert 'records/bad.xlsx: 台账!E1: unknown column "金额"; the header must use the columns' in result.stderr
    sheet["E1"] = "备注"
    book.save(example / "records" / "bad.xlsx")
    result = run(["check", example, "--as-of", AS_OF], 2)
    assert "records/bad.xlsx: 台账!F1: “对象”列出现了两次；表头必须使用以下列：" in result.stderr
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert 'records/bad.xlsx: 台账!F1: column "对象" appears twice; the header must use' in result.stderr


def test_a_file_that_is_not_a_spreadsheet_is_named_in_chinese_by_default(example: Path) -> None:
    (example / "records" / "台账.xlsx").write_bytes(b"not a zip file")
    result = run(["check", example, "--as-of", AS_OF], 2)
    assert "records/台账.xlsx: 无法作为电子表格读取（" in result.stderr
    assert "）；请用 Excel 或 WPS 重新另存为 .xlsx" in result.stderr
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert "records/台账.xlsx: cannot be read as a spreadsheet (" in result.stderr
    assert "); save it again as .xlsx from Excel or WPS" in result.stderr


def test_chinese_headers_and_kind_labels_in_csv(example: Path, example_findings: list[tuple]) -> None:
    path = example / "records" / "schedule-2026.csv"
    rows = csv_rows(path)
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([COLUMN_LABELS[c] for c in RECORD_COLUMNS])
        for row in rows:
            row["kind"] = KIND_LABELS[row["kind"]]
            row["date"] = row["date"].replace("-", ".")
            writer.writerow([row[c] for c in RECORD_COLUMNS])
    assert findings(example) == example_findings


def test_unread_files_and_missing_records_are_warnings(example: Path) -> None:
    (example / "records" / "说明.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (example / "records" / "~$台账.xlsx").write_bytes(b"lock")
    result = run(["check", example, "--as-of", AS_OF], 1)
    assert "lianfang: 警告: records/说明.doc: 未读取" in result.stderr
    assert "~$" not in result.stderr
    shutil.rmtree(example / "records")
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 1)
    assert "lianfang: warning: records: folder not found" in result.stderr
    assert "will be missed" in result.stderr


def test_a_sheet_without_a_header_is_a_warning_not_silence(example: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "本台账由办公室每月填报"
    book.save(example / "records" / "notes.xlsx")
    result = run(["check", example, "--as-of", AS_OF], 1)
    assert "records/notes.xlsx: sheet 说明: 没有台账表头" in result.stderr


def test_dates_as_offices_write_them_in_yaml_and_waivers(example: Path) -> None:
    risks = example / "risks.yaml"
    text = risks.read_text(encoding="utf-8")
    assert "review: 2026-06-23}" in text
    risks.write_text(text.replace("review: 2026-06-23}", "review: 2026/6/23}"), encoding="utf-8")
    (example / "waivers.yaml").write_text(
        "waivers:\n  - {rule: S101, subject: dongying-cdpf, justification: 测试, approved_by: xu-jianren, "
        "expires: 2026年12月31日}\n",
        encoding="utf-8",
    )
    run(["check", example, "--as-of", AS_OF], 1)
    risks.write_text(text.replace("review: 2026-06-23}", "review: 2026/6/31}", 1), encoding="utf-8")
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert "key gradings[0].review: not a real date; write it as 2026-09-28, 2026/9/28" in result.stderr
    assert '"2026/6/31"' in result.stderr


def test_a_hand_made_workbook_with_names_gives_the_same_findings_as_its_csv_twin(
    example: Path, example_findings: list[tuple]
) -> None:
    """As an office worker types it: a title row, Chinese headers and kinds, slash dates, names not ids."""
    ws = open_workspace(example)[0]
    name_of = {ws.unit_id: ws.org.unit.short_name or ws.org.unit.name}
    name_of |= {p.id: p.name for p in ws.org.people}
    name_of |= {d.id: d.name for d in ws.org.departments}
    name_of |= {p.id: p.name for p in ws.org.posts}
    records = example / "records"
    rows = csv_rows(records / "schedule-2026.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工作安排台账"
    sheet["A1"] = "市残联廉政风险防控工作安排台账（2026年）"
    sheet.append([])
    sheet.append(["序号", "编号", "类型", "日期", "对象", "期间", "填报人", "结果", "关联", "备注"])
    named = 0
    for i, row in enumerate(rows, start=1):
        subject = name_of.get(row["subject"], row["subject"])
        named += subject != row["subject"]
        by = name_of.get(row["by"], row["by"])
        sheet.append(
            [
                i,
                row["id"],
                KIND_LABELS[row["kind"]],
                slash(row["date"]),
                subject,
                row["period"],
                by,
                row["result"],
                row["ref"],
                row["note"],
            ]
        )
    assert named > 50  # most subjects are written as names
    (records / "schedule-2026.csv").unlink()
    book.save(records / "工作安排.xlsx")
    assert findings(example) == example_findings


def test_names_in_org_risks_and_waivers_work_as_ids_and_an_ambiguous_one_is_refused(example: Path) -> None:
    org = example / "org.yaml"
    text = org.read_text(encoding="utf-8")
    org.write_text(text.replace("head: zhang-yugang", "head: 张玉刚"), encoding="utf-8")
    risks = example / "risks.yaml"
    risks.write_text(
        risks.read_text(encoding="utf-8").replace("{subject: jicai,      level", "{subject: 计财部, level", 1),
        encoding="utf-8",
    )
    (example / "waivers.yaml").write_text(
        "waivers:\n  - {rule: S101, subject: 市残联, justification: 测试, approved_by: 许建仁, expires: 2026-12-31}\n",
        encoding="utf-8",
    )
    run(["check", example, "--as-of", AS_OF], 1)
    org.write_text(
        text.replace("head: zhang-yugang", "head: 高远").replace(
            "  - {id: deng-wei,", "  - {id: gao-yuan-2, name: 高远, title: 科员, role: staff}\n  - {id: deng-wei,"
        ),
        encoding="utf-8",
    )
    result = run(["check", example, "--as-of", AS_OF, "--lang", "en"], 2)
    assert (
        'org.yaml: key departments[0].head: "高远" names 2 entries: 高远 (gao-yuan, person), 高远 (gao-yuan-2, person); '
        "write the id instead" in result.stderr
    )
    assert "unknown person" not in result.stderr


def test_records_template_filled_in_is_read_as_a_ledger(example: Path) -> None:
    path = example / "records" / "台账.xlsx"
    run(["records", "template", example, "-o", path], 0)
    book = openpyxl.load_workbook(path)
    sheet = book["台账"]
    assert [c.value for c in sheet[2]] == ["编号", "类型", "日期", "对象", "期间", "填报人", "结果", "关联", "备注"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    hidden = book["_lists"]
    assert hidden.sheet_state == "hidden"
    column = {c.value: c.column_letter for c in hidden[1]}
    values = {name: [c.value for c in hidden[letter][1:]] for name, letter in column.items()}
    assert (
        "廉政日记月度抽查" in values["类型"] and "东营市残疾人联合会" in values["对象"] and "康复中心" in values["对象"]
    )
    assert "王海燕" in values["填报人"] and values["期间"][:3] == ["2026", "2026-H1", "2026-H2"]
    assert lists["B3"].startswith("'_lists'!$A$2") and lists["D3"].startswith("'_lists'!$B$2")
    # filled in as a person fills it: labels and names from the lists, a date cell and a typed date
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"], sheet["F3"] = (
        "T-1",
        "廉政日记月度抽查",
        date(2026, 10, 30),
        "市残联",
        "2026-10",
        "王海燕",
    )
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"], sheet["F4"] = (
        "T-2",
        "部室月报告",
        "2026/10/31",
        "康复中心",
        "崔德刚",
    )
    book.save(path)
    result = run(["check", example, "--as-of", AS_OF, "--all", "--format", "json"], 1)
    assert "警告" not in result.stderr
    found = {
        (f["rule"], f["subject"], f["period"], f["status"])
        for f in json.loads(result.stdout)["findings"]
        if {"T-1", "T-2"} & set(f["evidence"])
    }
    assert found == {("R202", "dongying-cdpf", "2026-10", "satisfied"), ("R205", "kangfu", "2026-10", "satisfied")}


def test_rules_and_explain_show_the_spreadsheet_way_first() -> None:
    rules = json.loads(run(["rules", "--format", "json"], 0).stdout)
    labels = {r["evidence"]: r["evidence_label"] for r in rules if r["evidence"]}
    assert labels["diary_spot_check"] == KIND_LABELS["diary_spot_check"] == "廉政日记月度抽查"
    out = run(["explain", "R202"], 0).stdout
    assert "证据类型: 廉政日记月度抽查（diary_spot_check）——在 records/ 的台账" in out
    assert "lianfang forms export" in run(["explain", "G301"], 0).stdout
