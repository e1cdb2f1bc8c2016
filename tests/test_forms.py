"""The three forms out to Excel and back: round trip, edits as a user makes them, bad cells.

Workbooks are edited with openpyxl the way a person edits them in Excel or WPS: choosing from
a drop-down writes the label (二级), a typed date stays text (2026/2/30), names not ids.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from lianfang.checker.forms.importer import Reader
from lianfang.checker.forms.layout import COLUMN_OF, FORM_MARK, LISTS_SHEET, SLOTS, column_letter
from lianfang.checker.run import open_workspace
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"
AS_OF = "2026-11-30"


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    root = tmp_path / "dongying"
    shutil.copytree(EXAMPLE, root)
    return root


def export(workspace: Path, out: Path, *extra: str) -> Path:
    run(["forms", "export", workspace, "-o", out, *extra], 0)
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's forms, exported once for the module (each test edits a copy)."""
    return export(EXAMPLE, tmp_path_factory.mktemp("forms") / "一览表.xlsx")


@pytest.fixture()
def book_path(exported: Path, tmp_path: Path) -> Path:
    path = tmp_path / "一览表.xlsx"
    shutil.copy(exported, path)
    return path


def findings(workspace: Path) -> list[tuple]:
    out = json.loads(run(["check", workspace, "--as-of", AS_OF, "--all", "--format", "json"], 1).stdout)
    return sorted((f["rule"], f["status"], f["subject"], f.get("period") or "", f["due"]) for f in out["findings"])


def row_of(sheet, risk_id: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == risk_id)


def cell(name: str, row: int) -> str:
    return f"{column_letter(COLUMN_OF[name])}{row}"


def backups(workspace: Path) -> list[Path]:
    return sorted(workspace.glob("risks.yaml.*.bak"))


# ------------------------------------------------------------------------------ export


def test_export_lays_out_one_sheet_per_subject_with_lists_print_setup_and_hidden_ids(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    ws = open_workspace(EXAMPLE)[0]
    forms = [s for s in book.worksheets if str(s["A1"].value).startswith(FORM_MARK)]
    assert len(forms) == 1 + len(ws.leaders) + len(ws.org.departments) + len(ws.org.posts)
    assert book.sheetnames[0] == "填表说明" and book[LISTS_SHEET].sheet_state == "hidden"
    sheet = book["岗位-采购岗"]
    assert sheet["B1"].value == "廉政风险识别防控一览表（岗位）"
    facts = {sheet.cell(2, c).value: sheet.cell(2, c + 1).value for c in (2, 4, 7, 9)}
    assert facts == {"姓名": "高远", "单位": "东营市残疾人联合会", "岗位名称": "采购岗", "职务": "计财部科员"}
    assert sheet.cell(3, SLOTS[0][1]).value == "一级"  # the post's grade
    r = row_of(sheet, "rp-caigou-03")
    assert [sheet[cell(n, r)].value for n in ("category", "level", "measure_owner", "power_item", "step")] == [
        "廉洁自律",
        "一级",
        "高远",
        "政府采购",
        "组织采购",
    ]
    # ids hidden and locked, the cells to fill unlocked, the sheet protected
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert sheet["A8"].protection.locked and not sheet[cell("level", r)].protection.locked
    # drop-downs: the post's categories, the levels, the people by name
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists[f"B{r}:B{r + 8}"] == '"思想道德,岗位职责,廉洁自律,外部环境,其他"'
    assert any(f == '"一级,二级,三级"' and f"E{r}:E{r + 8}" in k for k, f in lists.items())
    assert book["部室-计财部"].data_validations.dataValidation[0].formula1 == '"业务流程,制度机制,外部环境,其他"'
    assert book["单位-市残联"].data_validations.dataValidation[0].formula1.startswith('"重大事项决策,重要人事任免')
    # frozen header, A4 landscape fitted to the page width, the table's header repeated
    assert sheet.freeze_panes == "B8"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)  # 9: A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$7:$7"
    assert sheet.column_dimensions["F"].width >= 40  # 防控措施 fits a sentence of Chinese
    # signature and date lines under the table
    texts = [c.value for row in sheet.iter_rows(min_row=r + 1) for c in row if isinstance(c.value, str)]
    assert "负责人签字：" in texts and "部室领导签字：" in texts and any(t.startswith("填表日期") for t in texts)


def test_export_per_department_writes_one_workbook_each(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "forms"
    run(["forms", "export", example, "-o", out, "--per-department"], 0)
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert "单位-市残联.xlsx" in names and "部室-计财部.xlsx" in names and len(names) == 8
    book = openpyxl.load_workbook(out / "部室-计财部.xlsx")
    assert [n for n in book.sheetnames if n.startswith(("部室", "岗位"))][:2] == ["部室-计财部", "岗位-会计岗"]
    # all of them back at once: nothing changes
    result = run(["forms", "import", *sorted(out.glob("*.xlsx")), "--workspace", example], 0)
    assert "没有变化" in result.stdout


# ------------------------------------------------------------------------------ round trip


def test_round_trip_reads_back_every_risk_point_and_grading_exactly(example: Path, book_path: Path) -> None:
    path = book_path
    ws = open_workspace(example)[0]
    reader = Reader(ws, "zh")
    forms = reader.read_book(path)
    assert reader.problems == []
    read = {r.id: r for f in forms for r in f.risks}
    assert set(read) == set(ws.risk_points)
    for rp in ws.risks.risk_points:
        got = read[rp.id]
        assert (got.owner, got.category, got.description, got.form, got.level) == (
            rp.owner,
            rp.category,
            rp.description,
            rp.form,
            rp.level,
        )
        assert (got.responsible, got.power_item, got.step, got.measures) == (
            rp.responsible,
            rp.power_item,
            rp.step,
            rp.measures,
        )
    gradings = {f.owner: f.grading for f in forms if f.grading is not None}
    assert gradings == ws.gradings


def test_round_trip_unedited_changes_nothing(example: Path, book_path: Path) -> None:
    before_text = (example / "risks.yaml").read_bytes()
    before = findings(example)
    path = book_path
    result = run(["forms", "import", path, "--workspace", example], 0)
    assert "没有变化：risks.yaml 与一览表一致" in result.stdout
    assert (example / "risks.yaml").read_bytes() == before_text and backups(example) == []
    assert findings(example) == before


# ------------------------------------------------------------------------------ edits


def edit_purchasing_and_assets(path: Path) -> None:
    """A level changed through its drop-down, a risk point added, a measure's owner filled."""
    book = openpyxl.load_workbook(path)
    sheet = book["岗位-采购岗"]
    r = row_of(sheet, "rp-caigou-03")
    sheet[cell("level", r)] = "二级"
    new = r + 1
    sheet[cell("category", new)] = "岗位职责"
    sheet[cell("description", new)] = "验收把关不严，以次充好"
    sheet[cell("level", new)] = "三级"
    sheet[cell("measure", new)] = "验收双人签字，资产管理岗参与"
    sheet[cell("measure_owner", new)] = "林晓燕"
    sheet[cell("measure", new + 1)] = "验收记录存档备查"
    sheet[cell("measure_owner", new + 1)] = "高远"
    sheet[cell("responsible", new)] = "谢恩明"
    assets = book["岗位-资产管理岗"]
    assets[cell("measure_owner", row_of(assets, "rp-zichan-01"))] = "林晓燕"
    book.save(path)


def test_an_edited_workbook_imports_as_exactly_those_changes(example: Path, book_path: Path) -> None:
    original = (example / "risks.yaml").read_text(encoding="utf-8")
    path = book_path
    edit_purchasing_and_assets(path)

    dry = run(["forms", "import", path, "--workspace", example, "--dry-run"], 0).stdout
    assert "risks.yaml 的变化（共 3 处）" in dry
    assert re.search(
        r"修改 风险点 rp-caigou-03 「收受供应商回扣，量身定制采购条件」（采购岗）.*\n\s+风险等级 一级 → 二级\n", dry
    )
    assert re.search(r"新增 风险点 rp-post-jc-caigou-01 「验收把关不严，以次充好」（采购岗）", dry)
    assert "风险类别 岗位职责" in dry and "防控措施 2 项" in dry
    assert re.search(r"修改 风险点 rp-zichan-01 .*\n\s+防控措施 1 的责任人 （空） → 林晓燕\n", dry)
    assert "--dry-run：未写入任何文件" in dry
    assert (example / "risks.yaml").read_text(encoding="utf-8") == original and backups(example) == []

    before = findings(example)
    run(["forms", "import", path, "--workspace", example], 0)
    text = (example / "risks.yaml").read_text(encoding="utf-8")
    # every comment survives, and only the changed lines differ
    assert [line for line in original.splitlines() if line.lstrip().startswith("#")] == [
        line for line in text.splitlines() if line.lstrip().startswith("#")
    ]
    assert [b.read_text(encoding="utf-8") for b in backups(example)] == [original]
    removed = Counter(original.splitlines()) - Counter(text.splitlines())
    assert sorted(removed.elements()) == sorted(
        ["    level: 1", "      - {description: 资产年度清查盘点，处置按规定评估报批}"]
    )
    added_lines = Counter(text.splitlines()) - Counter(original.splitlines())
    assert "    level: 2" in added_lines and "  - id: rp-post-jc-caigou-01" in added_lines
    ws = open_workspace(example)[0]
    assert ws.risk_points["rp-caigou-03"].level == 2
    added = ws.risk_points["rp-post-jc-caigou-01"]
    assert (added.owner, added.category, added.level, added.responsible) == (
        "post-jc-caigou",
        "岗位职责",
        3,
        "xie-enming",
    )
    assert [(m.description, m.owner) for m in added.measures] == [
        ("验收双人签字，资产管理岗参与", "lin-xiaoyan"),
        ("验收记录存档备查", "gao-yuan"),
    ]
    assert ws.risk_points["rp-zichan-01"].measures[0].owner == "lin-xiaoyan"
    # the check sees it: the filled owner ends rp-zichan-01's G301 failure
    after = findings(example)
    assert ("G301", "failed", "rp-zichan-01", "", "2026-12-31") in before or any(
        f[0] == "G301" and f[2] == "rp-zichan-01" for f in before
    )
    assert not any(f[0] == "G301" and f[2] == "rp-zichan-01" for f in after)
    # importing the same workbook again changes nothing more
    assert "没有变化" in run(["forms", "import", path, "--workspace", example], 0).stdout


def test_a_deleted_row_removes_the_risk_point_and_a_cleared_grade_the_grading(example: Path, book_path: Path) -> None:
    path = book_path
    book = openpyxl.load_workbook(path)
    sheet = book["岗位-文秘岗"]
    sheet.delete_rows(row_of(sheet, "rp-wenmi-01"))
    for _, col, _ in SLOTS:
        sheet.cell(4, col).value = None
    sheet.cell(3, SLOTS[0][1]).value = None
    sheet.cell(3, SLOTS[1][1]).value = None
    book.save(path)
    out = run(["forms", "import", path, "--workspace", example, "--lang", "en"], 0).stdout
    assert "removed risk point rp-wenmi-01" in out and "removed grading post-bgs-wenmi" in out
    ws = open_workspace(example)[0]
    assert "rp-wenmi-01" not in ws.risk_points and "post-bgs-wenmi" not in ws.gradings


def test_a_risk_point_the_records_name_is_not_removed(example: Path, book_path: Path) -> None:
    path = book_path
    book = openpyxl.load_workbook(path)
    sheet = book["岗位-采购岗"]
    sheet.delete_rows(row_of(sheet, "rp-caigou-03"))
    book.save(path)
    err = bad_import(example, path)
    assert (
        f"{path}: 岗位-采购岗: 删除了风险点 rp-caigou-03「收受供应商回扣，量身定制采购条件」，但台账 records/monthly.jsonl line 49 等 2 条记录仍以它为对象"
        in err
    )


# ------------------------------------------------------------------------------ bad cells


def bad_import(example: Path, path: Path) -> str:
    before = (example / "risks.yaml").read_bytes()
    result = run(["forms", "import", path, "--workspace", example], 2)
    assert "Traceback" not in result.stderr
    assert (example / "risks.yaml").read_bytes() == before and backups(example) == []
    return result.stderr


def test_bad_cells_name_workbook_sheet_and_cell_and_nothing_is_written(
    example: Path, book_path: Path, tmp_path: Path
) -> None:
    path = book_path
    good = tmp_path / "好的.xlsx"
    shutil.copy(path, good)
    edit_purchasing_and_assets(good)  # a valid workbook beside the bad one is not written either
    book = openpyxl.load_workbook(path)
    sheet = book["岗位-采购岗"]
    r = row_of(sheet, "rp-caigou-03")
    sheet[cell("level", r)] = "四级"
    sheet.cell(4, SLOTS[0][1]).value = "2026/2/30"
    sheet[cell("measure_owner", r)] = "高圆"
    book["部室-计财部"][cell("category", 8)] = "岗位职责"
    book.save(path)
    err = bad_import(example, tmp_path / "一览表.xlsx")
    name = str(tmp_path / "一览表.xlsx")
    assert f"{name}: 岗位-采购岗!E{r}: 风险等级“四级”无效；请从下拉列表选择 一级、二级 或 三级" in err
    assert f"{name}: 岗位-采购岗!C4: 自评日期“2026/2/30”不是有效日期；可写作 2026-09-28、2026/9/28" in err
    assert f"{name}: 岗位-采购岗!G{r}: 未知的人员“高圆”（最接近的：高远 (gao-yuan)" in err
    assert f"{name}: 部室-计财部!B8: 风险类别“岗位职责”不适用于此表" in err
    result = run(["forms", "import", good, path, "--workspace", example], 2)
    assert "岗位-采购岗!E" in result.stderr and backups(example) == []


def test_the_safety_net_behind_the_cells_keeps_the_chinese_of_its_problems(
    example: Path, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new risks.yaml is checked again as the workspace reads it: a problem found there
    (here a new risk point's id made the id of a person) is re-worded for "risks.yaml (after the
    import)" and keeps its Chinese; nothing is written."""
    from lianfang.checker.forms import importer

    edit_purchasing_and_assets(book_path)
    monkeypatch.setattr(importer, "_new_id", lambda owner, taken: "gao-yuan")
    err = bad_import(example, book_path)
    assert "lianfang: 错误：risks.yaml (after the import): 键 risk_points[" in err, err
    assert "].id: “gao-yuan”已是 org.yaml 中某一条目的编号" in err
    assert "already the id" not in err
    result = run(["forms", "import", book_path, "--workspace", example, "--lang", "en"], 2)
    assert '].id: "gao-yuan" is already the id of an entry in org.yaml' in result.stderr


def test_a_new_risks_yaml_that_does_not_load_is_reported_in_chinese(
    example: Path, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new risks.yaml refused by the bounded YAML loader: its problems in Chinese by default."""
    from lianfang.checker.forms import importer

    edit_purchasing_and_assets(book_path)
    monkeypatch.setattr(importer.yaml_edit, "dump", lambda yaml, doc, original: "gradings: [{review: 2026-06-31}]\n")
    err = bad_import(example, book_path)
    assert "lianfang: 错误：risks.yaml (after the import): 不是真实的日期或日期时间" in err, err
    result = run(["forms", "import", book_path, "--workspace", example, "--lang", "en"], 2)
    assert "risks.yaml (after the import): is not a real date, or date and time" in result.stderr


def test_a_name_shared_by_two_people_is_refused_with_the_candidates(example: Path, tmp_path: Path) -> None:
    org = example / "org.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace(
            "  - {id: deng-wei,",
            "  - {id: gao-yuan-2,    name: 高远,   title: 就业服务中心科员, role: staff}\n  - {id: deng-wei,",
        ),
        encoding="utf-8",
    )
    path = export(example, tmp_path / "一览表.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["岗位-采购岗"]
    r = row_of(sheet, "rp-caigou-03")
    assert sheet[cell("measure_owner", r)].value == "高远（gao-yuan）"  # exported unambiguously
    sheet[cell("measure_owner", r)] = "高远"
    book.save(path)
    err = bad_import(example, path)
    assert f"岗位-采购岗!G{r}: “高远”对应 2 项：高远（gao-yuan，人员）、高远（gao-yuan-2，人员）；请改写为编号" in err


def test_a_changed_header_is_refused(example: Path, book_path: Path) -> None:
    path = book_path
    book = openpyxl.load_workbook(path)
    book["岗位-采购岗"]["E7"] = None  # the 风险等级 column's header deleted
    book.save(path)
    err = bad_import(example, path)
    assert "岗位-采购岗!E7: 表头应为“风险等级”，现为“”" in err


def test_a_workbook_that_is_not_a_form(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "别的表.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "随便写的"
    book.save(path)
    assert "没有一览表工作表" in bad_import(example, path)
    (tmp_path / "坏的.xlsx").write_bytes(b"not a zip")
    assert "无法作为 .xlsx 工作簿读取" in bad_import(example, tmp_path / "坏的.xlsx")


def test_export_refuses_an_output_that_is_neither_a_workbook_nor_a_folder(tmp_path: Path) -> None:
    result = run(["forms", "export", EXAMPLE, "-o", tmp_path / "一览表.xls"], 2)
    assert "工作簿的文件名须以 .xlsx 结尾" in result.stderr
    result = run(["forms", "export", EXAMPLE, "-o", tmp_path / "一览表.xls", "--lang", "en"], 2)
    assert "must end in .xlsx" in result.stderr and not (tmp_path / "一览表.xls").exists()
    result = run(["forms", "export", EXAMPLE, "-o", tmp_path / "a.xlsx", "--per-department", "--lang", "en"], 2)
    assert "give a folder" in result.stderr


def test_a_category_already_wrong_in_risks_yaml_does_not_block_the_round_trip(example: Path, tmp_path: Path) -> None:
    risks = example / "risks.yaml"
    text = risks.read_text(encoding="utf-8")
    marker = "  - id: rp-caigou-03\n    owner: post-jc-caigou\n    category: 廉洁自律\n"
    assert marker in text
    risks.write_text(text.replace(marker, marker.replace("廉洁自律", "业务流程")), encoding="utf-8")  # G301 reports it
    path = export(example, tmp_path / "一览表.xlsx")
    assert "没有变化" in run(["forms", "import", path, "--workspace", example], 0).stdout


def test_text_that_looks_like_a_formula_stays_text(example: Path, tmp_path: Path) -> None:
    risks = example / "risks.yaml"
    text = risks.read_text(encoding="utf-8")
    risks.write_text(
        text.replace("description: 收受供应商回扣，量身定制采购条件", 'description: "=HYPERLINK(1)回扣"'),
        encoding="utf-8",
    )
    path = export(example, tmp_path / "一览表.xlsx")
    sheet = openpyxl.load_workbook(path)["岗位-采购岗"]
    described = sheet[cell("description", row_of(sheet, "rp-caigou-03"))]
    assert (described.value, described.data_type) == ("=HYPERLINK(1)回扣", "s")
    assert "没有变化" in run(["forms", "import", path, "--workspace", example], 0).stdout


def test_the_change_list_shows_invisible_characters_instead_of_obeying_them(example: Path, book_path: Path) -> None:
    book = openpyxl.load_workbook(book_path)
    sheet = book["岗位-采购岗"]
    new = row_of(sheet, "rp-caigou-03") + 1
    sheet[cell("category", new)], sheet[cell("description", new)] = "其他", "虚报\u202e验收"
    book.save(book_path)
    out = run(["forms", "import", book_path, "--workspace", example, "--dry-run"], 0).stdout
    assert "虚报\\u202e验收" in out and "\u202e" not in out
