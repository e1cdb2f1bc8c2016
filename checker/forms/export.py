"""``lianfang forms export``: the three forms, pre-filled from org.yaml and risks.yaml (openpyxl)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lianfang.checker.forms.layout import (
    COLUMN_OF,
    DATE_LINE,
    END_MARK,
    EVALUATIONS,
    EVALUATIONS_MARK,
    FIRST_COLUMN,
    FORM_MARK,
    FORMS,
    GRADING_MARK,
    LAST_COLUMN,
    LEVELS,
    LISTS_SHEET,
    README_SHEET,
    REVIEW_LABEL,
    SLOTS,
    SPARE_ROWS,
    TABLE_COLUMNS,
    TABLE_MARK,
    WIDTHS,
    FormKind,
    column_letter,
    sheet_title,
    text_width,
)
from lianfang.models.names import Names
from lianfang.models.risks import Grading, RiskPoint
from lianfang.models.workspace import Workspace

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
EDIT_FILL = PatternFill("solid", fgColor="FFFBE6")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
LINE_HEIGHT = 15.0


@dataclass
class Form:
    """One form sheet to write: which form, whose, the facts at its head, its risk points."""

    kind: FormKind
    owner: str
    name: str
    #: (label, value) pairs: the first four on the row under the title, the rest on the grading row
    facts: list[tuple[str, str]]
    duties_label: str
    grading: Grading | None
    risk_points: list[RiskPoint] = field(default_factory=list)
    department: str | None = None


def forms_of(ws: Workspace) -> list[Form]:
    """Every form of the workspace: the unit's, each leader's, each department's and its posts'."""
    org, unit = ws.org, ws.org.unit
    unit_name = unit.name
    names = Names.of(org, ws.risks)

    def person(pid: str | None) -> str:
        return names.display(pid, "person") if pid else ""

    owned: dict[str, list[RiskPoint]] = {}
    for rp in ws.risks.risk_points:
        owned.setdefault(rp.owner, []).append(rp)
    out = [
        Form(
            FORMS["unit"],
            unit.id,
            unit.short_name or unit.name,
            [
                ("单位名称", unit.name),
                ("单位主要领导", person(unit.main_leader)),
                ("分管领导", person(unit.programme_leader)),
            ],
            "单位职能",
            ws.gradings.get(unit.id),
            owned.get(unit.id, []),
        )
    ]
    for leader in ws.leaders:
        in_charge = "、".join(d.name for d in org.departments if d.leader_in_charge == leader.id)
        out.append(
            Form(
                FORMS["leader"],
                leader.id,
                leader.name,
                [("姓名", leader.name), ("单位", unit_name), ("岗位名称", "会领导"), ("职务", leader.title)]
                + ([("分管部室", in_charge)] if in_charge else []),
                "分管工作",
                ws.gradings.get(leader.id),
                owned.get(leader.id, []),
            )
        )
    for dept in org.departments:
        out.append(
            Form(
                FORMS["department"],
                dept.id,
                dept.name,
                [
                    ("部室名称", dept.name),
                    ("部室负责人", person(dept.head)),
                    ("分管领导", person(dept.leader_in_charge)),
                    ("单位", unit_name),
                    ("重点部室", "是" if dept.key else "否"),
                ],
                "业务工作职责",
                ws.gradings.get(dept.id),
                owned.get(dept.id, []),
                dept.id,
            )
        )
        for post in (p for p in org.posts if p.department == dept.id):
            holder = ws.people.get(post.holder) if post.holder else None
            out.append(
                Form(
                    FORMS["post"],
                    post.id,
                    post.name,
                    [
                        ("姓名", holder.name if holder else ""),
                        ("单位", unit_name),
                        ("岗位名称", post.name),
                        ("职务", holder.title if holder else ""),
                        ("所在部室", dept.name),
                        ("重点岗位", "是" if post.key else "否"),
                    ],
                    "岗位工作职责",
                    ws.gradings.get(post.id),
                    owned.get(post.id, []),
                    dept.id,
                )
            )
    return out


# ------------------------------------------------------------------------------ writing


class FormWriter:
    """Writes form sheets into one workbook, with its instructions and drop-down lists."""

    def __init__(self, ws: Workspace, command: str):
        self.ws = ws
        self.names = Names.of(ws.org, ws.risks)
        self.book = Workbook()
        register_styles(self.book)
        self.taken: set[str] = {README_SHEET, LISTS_SHEET}
        readme = self.book.active
        assert readme is not None
        readme.title = README_SHEET
        self._write_readme(readme, command)
        self.lists = self.book.create_sheet(LISTS_SHEET)
        self.people_ref, self.powers_ref = self._write_lists(self.lists)

    def add(self, form: Form) -> Worksheet:
        sheet = self.book.create_sheet(sheet_title(form.kind.sheet_prefix, form.name, self.taken))
        write_form(sheet, form, self.names, self.people_ref, self.powers_ref)
        as_text(sheet)
        return sheet

    def finish(self) -> Workbook:
        # the lists sheet last, hidden and locked; the first form opens
        self.book.move_sheet(self.lists, offset=len(self.book.sheetnames) - 1 - self.book.index(self.lists))
        as_text(self.lists)
        self.lists.sheet_state = "hidden"
        self.lists.protection.sheet = True
        self.book.active = 1 if len(self.book.sheetnames) > 2 else 0
        return self.book

    def _write_lists(self, sheet: Worksheet) -> tuple[str, str]:
        people = [self.names.display(p.id, "person") for p in self.ws.org.people]
        powers = [self.names.display(p.id, "power") for p in self.ws.risks.powers]
        sheet["A1"], sheet["B1"], sheet["D1"], sheet["E1"] = "人员", "权力事项", "单位", self.ws.unit_id
        for i, text in enumerate(people, start=2):
            sheet.cell(i, 1, text)
        for i, text in enumerate(powers, start=2):
            sheet.cell(i, 2, text)
        name = quote_sheetname(LISTS_SHEET)
        return (
            f"{name}!$A$2:$A${max(2, len(people) + 1)}",
            f"{name}!$B$2:$B${max(2, len(powers) + 1)}",
        )

    def _write_readme(self, sheet: Worksheet, command: str) -> None:
        lines = [
            "廉政风险识别防控一览表 · 填表说明",
            "",
            f"本工作簿由 lianfang 根据 org.yaml 和 risks.yaml 生成（{date.today().isoformat()}）。"
            "每个工作表是一张一览表：单位、每位会领导、每个部室及其各岗位。",
            "1. 只填写浅黄色单元格：风险类别、风险等级请从下拉列表选择；措施责任人、责任人可从下拉列表选择人员姓名。",
            "2. 一个风险点有多项防控措施时，在下面一行只填“防控措施”和“措施责任人”，其余各列留空。",
            "3. 新增风险点：在表格末尾的空白行（或插入的新行）填写；删除风险点：删除其所在行。",
            "4. 日期可写作 2026-06-23、2026/6/23、2026.6.23 或 2026年6月23日。",
            "5. “岗位工作职责”“审核意见”和签字栏供打印存档，不导入。",
            "6. 请勿修改隐藏的 A 列和隐藏的工作表，导入时靠它们找到每个风险点。",
            "",
            "填好后导入（先用 --dry-run 查看将发生的变化）：",
            f"    {command}",
        ]
        for i, text in enumerate(lines, start=1):
            cell = sheet.cell(i, 1, text)
            cell.font = Font(name=FONT, size=14 if i == 1 else 11, bold=i == 1)
        sheet.column_dimensions["A"].width = 110
        sheet.protection.sheet = True


def as_text(sheet: Worksheet) -> None:
    """Keep what the user wrote as text: openpyxl takes any string starting with "=" for a formula,
    and a risk point described as "=…" must not be computed when the workbook opens."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _named(
    name: str,
    *,
    bold: bool = False,
    fill: PatternFill | None = None,
    align: Alignment = WRAP,
    locked: bool = True,
    border: bool = True,
    number_format: str = "General",
) -> NamedStyle:
    style = NamedStyle(name=name)
    style.font = Font(name=FONT, size=11, bold=bold)
    if border:
        style.border = BORDER
    style.alignment = align
    if fill is not None:
        style.fill = fill
    style.protection = Protection(locked=locked)
    style.number_format = number_format
    return style


#: the cell styles of a form, registered once per workbook and assigned by name (openpyxl is slow
#: when each cell gets its own font, border and fill objects)
STYLES = (
    _named("lf_label", bold=True, fill=LABEL_FILL),
    _named("lf_header", bold=True, fill=LABEL_FILL, align=CENTER),
    _named("lf_value"),
    _named("lf_edit", fill=EDIT_FILL, locked=False),
    _named("lf_edit_center", fill=EDIT_FILL, locked=False, align=CENTER),
    _named("lf_date", fill=EDIT_FILL, locked=False, align=CENTER, number_format=DATE_FORMAT),
    _named("lf_plain", border=False, align=Alignment(vertical="center")),
)


def register_styles(book: Workbook) -> None:
    for style in STYLES:
        if style.name not in book.named_styles:
            book.add_named_style(style)


def _style(cell: Cell, *, label: bool = False, edit: bool = False, align: Alignment = WRAP) -> None:
    centered = align is CENTER
    if label:
        cell.style = "lf_header" if centered else "lf_label"
    elif edit:
        cell.style = "lf_edit_center" if centered else "lf_edit"
    else:
        cell.style = "lf_value"


def _date_cell(cell: Cell, value: date | None) -> None:
    cell.value = value
    cell.style = "lf_date"


def write_form(sheet: Worksheet, form: Form, names: Names, people_ref: str, powers_ref: str) -> None:
    """Lay one form out on ``sheet`` (see ``layout`` for the markers in column A)."""
    kind = form.kind
    last = column_letter(LAST_COLUMN)
    sheet["A1"] = f"{FORM_MARK}:{kind.kind}:{form.owner}"
    # row 1: the title
    sheet.merge_cells(f"B1:{last}1")
    title = sheet["B1"]
    title.value = kind.title
    title.font = Font(name=FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    # row 2: four facts; row 3: the grade, the review and the other facts; row 4: the evaluations
    facts = list(form.facts)
    _pairs(sheet, 2, facts[:4])
    sheet["A3"] = GRADING_MARK
    level_col, review_col = SLOTS[0][1], SLOTS[1][1]
    _pairs(sheet, 3, [(kind.grade_label, ""), (REVIEW_LABEL, ""), *facts[4:6]])
    level = sheet.cell(3, level_col, LEVELS[form.grading.level] if form.grading else None)
    _style(level, edit=True, align=CENTER)
    _date_cell(sheet.cell(3, review_col), form.grading.review if form.grading else None)
    sheet["A4"] = EVALUATIONS_MARK
    dates = form.grading.evaluations.dates() if form.grading else {}
    _pairs(sheet, 4, [(word, "") for _, word in EVALUATIONS])
    for (key, _), (_, col, _) in zip(EVALUATIONS, SLOTS, strict=True):
        _date_cell(sheet.cell(4, col), dates.get(key))
    for r in (2, 3, 4):
        texts = [(SLOTS[i], str(sheet.cell(r, SLOTS[i][1]).value or "")) for i in range(len(SLOTS))]
        lines = max(math.ceil(text_width(t) / max(1, _slot_width(slot) - 2)) for slot, t in texts)
        sheet.row_dimensions[r].height = LINE_HEIGHT * max(1, lines) + 4
    # rows 5 and 6: duties and the review opinion, for the printed form (not imported)
    for line, text in ((5, form.duties_label), (6, "审核意见")):
        _style(sheet.cell(line, FIRST_COLUMN, text), label=True)
        sheet.merge_cells(start_row=line, start_column=FIRST_COLUMN + 1, end_row=line, end_column=LAST_COLUMN)
        _style(sheet.cell(line, FIRST_COLUMN + 1), edit=True)
        for col in range(FIRST_COLUMN + 2, LAST_COLUMN + 1):
            sheet.cell(line, col).border = BORDER
        sheet.row_dimensions[line].height = LINE_HEIGHT * 3
    # row 7: the table's header
    header_row = 7
    sheet.cell(header_row, 1, TABLE_MARK)
    for name, text in TABLE_COLUMNS:
        _style(sheet.cell(header_row, COLUMN_OF[name], text), label=True, align=CENTER)
    # the risk points, one row per measure
    rows: list[dict[str, Any]] = []
    order = {c: i for i, c in enumerate(kind.categories)}
    for rp in sorted(form.risk_points, key=lambda r: order.get(r.category, len(order))):
        first = {
            "id": rp.id,
            "category": rp.category,
            "description": rp.description,
            "form": rp.form,
            "level": LEVELS.get(rp.level, "") if rp.level else "",
            "responsible": names.display(rp.responsible, "person") if rp.responsible else "",
            "power_item": names.display(rp.power_item, "power") if rp.power_item else "",
            "step": rp.step or "",
        }
        measures = rp.measures or []
        if not measures:
            rows.append(first)
        for j, m in enumerate(measures):
            entry: dict[str, Any] = dict(first) if j == 0 else {}
            entry["measure"] = m.description
            entry["measure_owner"] = names.display(m.owner, "person") if m.owner else ""
            rows.append(entry)
    top = header_row + 1
    for i, values in enumerate(rows):
        r = top + i
        if values.get("id"):
            sheet.cell(r, 1, values["id"])
        for name, _ in TABLE_COLUMNS:
            cell = sheet.cell(r, COLUMN_OF[name], values.get(name) or None)
            _style(cell, edit=True, align=CENTER if name in ("category", "level") else WRAP)
    spare_from = top + len(rows)
    for r in range(spare_from, spare_from + SPARE_ROWS):
        for name, _ in TABLE_COLUMNS:
            _style(sheet.cell(r, COLUMN_OF[name]), edit=True, align=CENTER if name in ("category", "level") else WRAP)
    bottom = spare_from + SPARE_ROWS - 1
    # signature and date lines
    end = bottom + 2
    sheet.cell(end, 1, END_MARK)
    places = [FIRST_COLUMN, FIRST_COLUMN + 4][: len(kind.signatures)]
    for col, text in zip(places, kind.signatures, strict=False):
        sheet.cell(end, col, text).style = "lf_plain"
    sheet.cell(end, COLUMN_OF["power_item"], DATE_LINE).style = "lf_plain"
    sheet.row_dimensions[end].height = LINE_HEIGHT * 2
    # drop-down lists
    _validations(sheet, kind, top, bottom, people_ref, powers_ref)
    _layout(sheet, rows, header_row, top, bottom, end)


def _pairs(sheet: Worksheet, row: int, pairs: Iterable[tuple[str, str]]) -> None:
    """Labels and values into the row's slots (see ``layout.SLOTS``); unused slots stay bordered."""
    listed = list(pairs)
    for i, (label_col, first, last) in enumerate(SLOTS):
        label, value = listed[i] if i < len(listed) else ("", "")
        _style(sheet.cell(row, label_col, label or None), label=bool(label))
        _style(sheet.cell(row, first, value or None))
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            for col in range(first + 1, last + 1):
                sheet.cell(row, col).border = BORDER


def _slot_width(slot: tuple[int, int, int]) -> float:
    return float(sum(WIDTHS[column_letter(c)] for c in range(slot[1], slot[2] + 1)))


def _validations(sheet: Worksheet, kind: FormKind, top: int, bottom: int, people_ref: str, powers_ref: str) -> None:
    def column_range(name: str) -> str:
        letter = column_letter(COLUMN_OF[name])
        return f"{letter}{top}:{letter}{bottom}"

    level_list = '"' + ",".join(LEVELS.values()) + '"'
    category = DataValidation(type="list", formula1='"' + ",".join(kind.categories) + '"', allow_blank=True)
    category.error, category.errorTitle = f"请从下拉列表选择风险类别：{'、'.join(kind.categories)}", "风险类别"
    level = DataValidation(type="list", formula1=level_list, allow_blank=True)
    level.error, level.errorTitle = f"请从下拉列表选择：{'、'.join(LEVELS.values())}", "风险等级"
    people = DataValidation(type="list", formula1=people_ref, allow_blank=True, errorStyle="warning")
    people.error, people.errorTitle = "不在人员名单中；请选择 org.yaml 中的人员（姓名或编号）", "人员"
    powers = DataValidation(type="list", formula1=powers_ref, allow_blank=True, errorStyle="warning")
    powers.error, powers.errorTitle = "不在权力事项清单中；请选择 risks.yaml 中的权力事项", "权力事项"
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, errorStyle="warning")
    dates.error, dates.errorTitle = "请填写日期，如 2026-06-23 或 2026/6/23", "日期"
    category.add(column_range("category"))
    level.add(column_range("level"))
    level.add(f"{column_letter(SLOTS[0][1])}3")
    people.add(column_range("measure_owner"))
    people.add(column_range("responsible"))
    powers.add(column_range("power_item"))
    dates.add(f"{column_letter(SLOTS[1][1])}3")
    for _, col, _ in SLOTS:
        dates.add(f"{column_letter(col)}4")
    for v in (category, level, people, powers, dates):
        v.showErrorMessage = True
        sheet.add_data_validation(v)


def _layout(sheet: Worksheet, rows: list[dict[str, Any]], header_row: int, top: int, bottom: int, end: int) -> None:
    """Column widths that fit Chinese text, row heights for wrapped text, print set-up, protection."""
    sheet.column_dimensions["A"].hidden = True
    widths = {name: WIDTHS[column_letter(COLUMN_OF[name])] for name, _ in TABLE_COLUMNS}
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    for i, row in enumerate(rows):
        lines = max(
            (math.ceil(text_width(str(row.get(n) or "")) / max(1, widths[n] - 2)) for n, _ in TABLE_COLUMNS),
            default=1,
        )
        sheet.row_dimensions[top + i].height = LINE_HEIGHT * max(1, lines) + 4
    sheet.row_dimensions[header_row].height = LINE_HEIGHT * 2
    sheet.freeze_panes = f"{column_letter(FIRST_COLUMN)}{header_row + 1}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"{column_letter(FIRST_COLUMN)}1:{column_letter(LAST_COLUMN)}{end}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    protection = sheet.protection
    protection.sheet = True
    protection.formatCells = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.deleteRows = False
    protection.autoFilter = False


# ------------------------------------------------------------------------------ workbooks


def workbooks(ws: Workspace, per_department: bool, command: str) -> list[tuple[str, Workbook]]:
    """The workbooks to write: one, or one per department (and one for the unit and its leaders)."""
    forms = forms_of(ws)
    if not per_department:
        writer = FormWriter(ws, command)
        for form in forms:
            writer.add(form)
        return [("", writer.finish())]
    groups: dict[str | None, list[Form]] = {}
    for form in forms:
        groups.setdefault(form.department, []).append(form)
    out: list[tuple[str, Workbook]] = []
    taken: set[str] = set()
    for _department, group in groups.items():
        writer = FormWriter(ws, command)
        for form in group:
            writer.add(form)
        head = group[0]
        name = sheet_title(head.kind.sheet_prefix, head.name, taken)
        out.append((f"{name}.xlsx", writer.finish()))
    return out


def save(book: Workbook, path: Path) -> None:
    """Write a workbook through a temporary file, so a failed write leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
