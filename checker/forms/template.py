"""``lianfang records template``: an entry workbook for the ledgers, with drop-down lists.

One sheet, 台账, with the record columns under their Chinese names (the header the ledgers
accept), a title row above it, and drop-downs for the kind (Chinese labels), the subject
(the unit, departments, posts, people and risk points by name), who filed it (people) and the
period (the programme year's months, quarters, halves and the year). The lists live on a
hidden sheet, which the ledger reader skips. Saved into records/, it is read like any ledger.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from lianfang.checker.forms.export import as_text
from lianfang.checker.forms.layout import column_letter, text_width
from lianfang.models.names import Names
from lianfang.models.records import COLUMN_LABELS, KIND_LABELS, RECORD_COLUMNS
from lianfang.models.workspace import Workspace

SHEET = "台账"
LISTS = "_lists"
ROWS = 1000
WIDTHS = {"id": 12, "kind": 22, "date": 13, "subject": 24, "period": 11, "by": 12, "result": 12, "ref": 12, "note": 40}


def periods(year: int) -> list[str]:
    return (
        [str(year)]
        + [f"{year}-H{h}" for h in (1, 2)]
        + [f"{year}-Q{q}" for q in range(1, 5)]
        + [f"{year}-{m:02d}" for m in range(1, 13)]
    )


def records_template(ws: Workspace, kinds: set[str]) -> Workbook:
    names = Names.of(ws.org, ws.risks)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    lists = book.create_sheet(LISTS)
    columns = {c: i + 1 for i, c in enumerate(RECORD_COLUMNS)}
    last = column_letter(len(RECORD_COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = f"{ws.org.unit.name} 廉政风险防控台账（{ws.year}年）——填好后放入工作区的 records/ 文件夹"
    sheet["A1"].font = Font(name="宋体", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    fill = PatternFill("solid", fgColor="F2F2F2")
    for column, i in columns.items():
        cell = sheet.cell(2, i, COLUMN_LABELS[column])
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[column_letter(i)].width = WIDTHS[column]
    sheet.freeze_panes = "A3"
    # the lists: kinds by label, subjects and people by name, periods
    kind_labels = sorted((KIND_LABELS.get(k, k) for k in kinds), key=lambda t: (text_width(t), t))
    subjects = [names.display(ws.unit_id, "unit")]
    subjects += [names.display(d.id, "department") for d in ws.org.departments]
    subjects += [names.display(p.id, "post") for p in ws.org.posts]
    subjects += [names.display(p.id, "person") for p in ws.org.people]
    subjects += [names.display(r.id, "risk_point") for r in ws.risks.risk_points]
    people = [names.display(p.id, "person") for p in ws.org.people]
    columns_of_lists = {"kind": kind_labels, "subject": subjects, "by": people, "period": periods(ws.year)}
    first = 3
    for j, (column, values) in enumerate(columns_of_lists.items(), start=1):
        lists.cell(1, j, COLUMN_LABELS[column])
        for i, value in enumerate(values, start=2):
            lists.cell(i, j, value)
        ref = f"{quote_sheetname(LISTS)}!${column_letter(j)}$2:${column_letter(j)}${len(values) + 1}"
        strict = column in ("kind", "period")
        rule = DataValidation(type="list", formula1=ref, allow_blank=True, errorStyle="stop" if strict else "warning")
        rule.errorTitle = COLUMN_LABELS[column]
        rule.error = "请从下拉列表选择" if strict else "不在名单中：请确认名称或编号"
        letter = column_letter(columns[column])
        rule.add(f"{letter}{first}:{letter}{ROWS}")
        sheet.add_data_validation(rule)
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, errorStyle="warning")
    dates.errorTitle, dates.error = "日期", "请填写日期，如 2026-09-28 或 2026/9/28"
    letter = column_letter(columns["date"])
    dates.add(f"{letter}{first}:{letter}{ROWS}")
    sheet.add_data_validation(dates)
    for row in range(first, ROWS + 1):
        sheet.cell(row, columns["date"]).number_format = "yyyy-mm-dd"
        sheet.cell(row, columns["period"]).number_format = "@"  # 2026-10 stays text, not a date
    as_text(lists)
    as_text(sheet)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    setup = sheet.page_setup
    setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight = "landscape", sheet.PAPERSIZE_A4, 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    return book
