"""``lianfang forms import``: filled forms back into risks.yaml, every cell validated first.

Each form sheet stands for its owner's whole list of risk points and its grading: a row with
a risk point's id (hidden column A) keeps or changes it, a row without one adds one, a risk
point of that owner missing from the sheet is removed. Owners without a sheet among the
workbooks read are left alone, so each post holder may return their own workbook.
Nothing is written unless every workbook is valid; risks.yaml is then rewritten in one step,
keeping its comments, order and layout, after a backup.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lianfang.checker.forms import yaml_edit
from lianfang.checker.forms.layout import (
    COLUMN_OF,
    END_MARK,
    EVALUATIONS,
    EVALUATIONS_MARK,
    FORM_MARK,
    FORMS,
    GRADING_MARK,
    LEVEL_WORDS,
    LEVELS,
    LISTS_SHEET,
    README_SHEET,
    RISK_FIELDS,
    SLOTS,
    TABLE_COLUMNS,
    TABLE_MARK,
    column_letter,
)
from lianfang.checker.labels import RISK_FIELD_LABELS, count_label, level_label
from lianfang.models import yaml_safe
from lianfang.models.dates import DATE_FORMS, DATE_FORMS_ZH, DateError, parse_date
from lianfang.models.errors import InputError, InputProblem, Notice
from lianfang.models.names import NameProblem, Names
from lianfang.models.risks import Grading, Measure, RiskPoint, Risks
from lianfang.models.workspace import Workspace, _problem_from_pydantic, check_risks, read_text

EVALUATION_WORDS = {
    "self": "自评",
    "peer": "互评",
    "public": "群众点评",
    "collective": "集体评议",
    "review": "党组审核",
}


@dataclass
class RiskIn:
    """A risk point as a form sheet states it."""

    id: str | None
    owner: str
    place: str  # "岗位-采购岗!C12"
    book: str
    category: str = ""
    description: str = ""
    form: str = ""
    level: int | None = None
    responsible: str | None = None
    power_item: str | None = None
    step: str | None = None
    measures: list[Measure] = field(default_factory=list)


@dataclass
class FormIn:
    book: str
    sheet: str
    kind: str
    owner: str
    grading: Grading | None
    risks: list[RiskIn]


@dataclass(frozen=True)
class Change:
    action: str  # added | changed | removed
    what: str  # risk_point | grading
    id: str
    label: str
    details: tuple[str, ...] = ()
    where: str = ""


@dataclass
class Plan:
    changes: list[Change]
    new_text: str | None
    notices: list[Notice]


@dataclass
class Grid:
    """A sheet's values, read once (1-based rows and columns, as the spreadsheet shows them)."""

    title: str
    rows: list[list[Any]]

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, column: int) -> Any:
        if row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if column <= len(cells) else None


class Reader:
    """Reads form sheets, collecting every problem in the user's language."""

    def __init__(self, ws: Workspace, lang: str):
        self.ws = ws
        self.lang = lang
        self.names = Names.of(ws.org, ws.risks)
        self.problems: list[InputProblem] = []
        self.notices: list[Notice] = []

    def say(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def problem(self, book: str, where: str, zh: str, en: str) -> None:
        self.problems.append(InputProblem(book, where, self.say(zh, en)))

    # ------------------------------------------------------------------ workbooks

    def read_book(self, path: Path) -> list[FormIn]:
        from openpyxl import load_workbook

        book = str(path)
        if not path.is_file():
            self.problem(book, "", "文件不存在", "file not found")
            return []
        try:
            # read-only: a form's merged cells cost openpyxl seconds per hundred sheets otherwise
            workbook = load_workbook(path, data_only=True, read_only=True)
        except Exception as exc:  # openpyxl raises many types for a file that is not an .xlsx
            self.problem(
                book,
                "",
                f"无法作为 .xlsx 工作簿读取（{exc}）；请在 Excel 或 WPS 中另存为 .xlsx",
                f"cannot be read as an .xlsx workbook ({exc}); save it as .xlsx in Excel or WPS",
            )
            return []
        forms: list[FormIn] = []
        try:
            sheets = [
                Grid(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in workbook.worksheets
            ]
        finally:
            workbook.close()
        for sheet in sheets:
            mark = sheet.value(1, 1)
            if isinstance(mark, str) and mark.startswith(FORM_MARK + ":"):
                form = self.read_sheet(book, sheet, mark)
                if form is not None:
                    forms.append(form)
            elif sheet.title not in (README_SHEET, LISTS_SHEET) and sheet.max_row > 0:
                self.notices.append(
                    Notice(
                        book,
                        f"sheet {sheet.title}",
                        "不是 lianfang 导出的一览表，未读取",
                        "not a form exported by lianfang; not read",
                    )
                )
        if not forms:
            self.problem(
                book,
                "",
                "没有一览表工作表；请用 `lianfang forms export` 导出的工作簿填写",
                "holds no form sheet; fill in a workbook written by `lianfang forms export`",
            )
        return forms

    def read_sheet(self, book: str, sheet: Any, mark: str) -> FormIn | None:
        parts = mark.split(":")
        kind, owner = (parts[2], ":".join(parts[3:])) if len(parts) >= 4 else ("", "")
        title = sheet.title
        valid = {
            "post": set(self.ws.posts),
            "department": set(self.ws.departments),
            "leader": {p.id for p in self.ws.leaders},
            "unit": {self.ws.unit_id},
        }
        if kind not in valid or owner not in valid[kind]:
            self.problem(
                book,
                f"{title}!A1",
                f"此表属于“{owner}”，工作区的 org.yaml 中没有该{FORMS[kind].sheet_prefix if kind in FORMS else '主体'}；"
                "请从本工作区重新导出一览表",
                f'this form belongs to "{owner}", which org.yaml does not hold as a {kind or "subject"}; '
                "export the forms from this workspace again",
            )
            return None
        rows: dict[str, int] = {}
        last = min(sheet.max_row, 20000)
        for r in range(2, last + 1):
            value = sheet.value(r, 1)
            if value in (GRADING_MARK, EVALUATIONS_MARK, TABLE_MARK, END_MARK):
                rows.setdefault(str(value), r)
        missing = [m for m in (GRADING_MARK, EVALUATIONS_MARK, TABLE_MARK) if m not in rows]
        if missing:
            self.problem(
                book,
                title,
                "隐藏的 A 列被改动，找不到表格位置；请重新导出一览表再填写",
                "the hidden column A was changed and the form's parts cannot be found; export the form again",
            )
            return None
        header_row = rows[TABLE_MARK]
        for name, text in TABLE_COLUMNS:
            found = _text(sheet.value(header_row, COLUMN_OF[name]))
            if found != text:
                ref = f"{title}!{column_letter(COLUMN_OF[name])}{header_row}"
                self.problem(
                    book,
                    ref,
                    f"表头应为“{text}”，现为“{found}”；请勿增删或移动列，重新导出一览表再填写",
                    f'the header should read "{text}", not "{found}"; do not add, delete or move columns',
                )
                return None
        grading = self.read_grading(book, sheet, owner, rows[GRADING_MARK], rows[EVALUATIONS_MARK])
        end = rows.get(END_MARK, last + 1)
        risks = self.read_table(book, sheet, kind, owner, header_row + 1, end)
        return FormIn(book, title, kind, owner, grading, risks)

    # ------------------------------------------------------------------ cells

    def ref(self, sheet: Any, row: int, column: int) -> str:
        return f"{sheet.title}!{column_letter(column)}{row}"

    def read_level(self, book: str, sheet: Any, row: int, column: int) -> int | None:
        text = _text(sheet.value(row, column))
        if not text:
            return None
        level = LEVEL_WORDS.get(text.replace(" ", ""))
        if level is None:
            names = list(LEVELS.values())
            self.problem(
                book,
                self.ref(sheet, row, column),
                f"风险等级“{text}”无效；请从下拉列表选择 {'、'.join(names[:-1])} 或 {names[-1]}",
                f'level "{text}" is not valid; choose {", ".join(names[:-1])} or {names[-1]} (1, 2 or 3) from the drop-down list',
            )
        return level

    def read_date(self, book: str, sheet: Any, row: int, column: int, word: str) -> date | None:
        value = sheet.value(row, column)
        if value is None or _text(value) == "":
            return None
        try:
            return parse_date(value)
        except DateError:
            self.problem(
                book,
                self.ref(sheet, row, column),
                f"{word}日期“{_text(value)}”不是有效日期；可写作 {DATE_FORMS_ZH}",
                f'{word} date "{_text(value)}" is not a real date; write it as {DATE_FORMS}',
            )
            return None

    def read_name(self, book: str, sheet: Any, row: int, column: int, kinds: tuple[str, ...]) -> str | None:
        text = _text(sheet.value(row, column))
        if not text:
            return None
        try:
            return self.names.resolve(text, kinds)
        except NameProblem as problem:
            remedy = self.say("；请从下拉列表选择", "; choose from the drop-down list")
            self.problems.append(InputProblem(book, self.ref(sheet, row, column), problem.text(self.lang) + remedy))
            return None

    def read_grading(self, book: str, sheet: Any, owner: str, g_row: int, e_row: int) -> Grading | None:
        level_col = SLOTS[0][1]
        level = self.read_level(book, sheet, g_row, level_col)
        review = self.read_date(book, sheet, g_row, SLOTS[1][1], "党组审核")
        dates = {
            key: self.read_date(book, sheet, e_row, col, word)
            for (key, word), (_, col, _) in zip(EVALUATIONS, SLOTS, strict=True)
        }
        if level is None:
            if (review or any(dates.values())) and _text(sheet.value(g_row, level_col)) == "":
                self.problem(
                    book,
                    self.ref(sheet, g_row, level_col),
                    "填写了评议日期但风险等级为空；请选择风险等级，或清空评议日期",
                    "evaluation dates are given but the level is empty; choose a level or clear the dates",
                )
            return None
        evaluations = {"self" if k == "self" else k: v for k, v in dates.items()}
        return Grading.model_validate({"subject": owner, "level": level, "evaluations": evaluations, "review": review})

    def read_table(self, book: str, sheet: Any, kind: str, owner: str, top: int, end: int) -> list[RiskIn]:
        categories = FORMS[kind].categories
        risks: list[RiskIn] = []
        for r in range(top, end):
            values = {name: sheet.value(r, COLUMN_OF[name]) for name, _ in TABLE_COLUMNS}
            texts = {name: _text(v) for name, v in values.items()}
            rp_id = _text(sheet.value(r, 1)) or None
            if rp_id in (END_MARK, TABLE_MARK, GRADING_MARK, EVALUATIONS_MARK):
                continue
            risk_part = any(texts[n] for n in RISK_FIELDS)
            measure_part = texts["measure"] or texts["measure_owner"]
            if not risk_part and not measure_part:
                continue  # an empty row, or a risk point's row cleared: it is removed
            if not risk_part and rp_id is None:
                if not risks:
                    self.problem(
                        book,
                        self.ref(sheet, r, COLUMN_OF["description"]),
                        "这一行只有防控措施，上面没有风险点；请填写风险点",
                        "this row holds a measure but no risk point precedes it; fill in the risk point",
                    )
                    continue
                self.add_measure(book, sheet, r, risks[-1])
                continue
            risk = RiskIn(rp_id, owner, self.ref(sheet, r, COLUMN_OF["description"]), book)
            risk.category = texts["category"]
            kept = rp_id in self.ws.risk_points and self.ws.risk_points[rp_id].category == risk.category
            if risk.category and risk.category not in categories and not kept:
                self.problem(
                    book,
                    self.ref(sheet, r, COLUMN_OF["category"]),
                    f"风险类别“{risk.category}”不适用于此表；请从下拉列表选择：{'、'.join(categories)}",
                    f'category "{risk.category}" is not one of this form\'s; choose one of {", ".join(categories)}',
                )
            risk.description = texts["description"]
            if not risk.description:
                self.problem(
                    book,
                    self.ref(sheet, r, COLUMN_OF["description"]),
                    "风险点为空；请填写风险点，或删除这一行",
                    "the risk point is empty; describe it, or delete the row",
                )
            risk.form = texts["form"]
            risk.level = self.read_level(book, sheet, r, COLUMN_OF["level"])
            risk.responsible = self.read_name(book, sheet, r, COLUMN_OF["responsible"], ("person",))
            risk.power_item = self.read_name(book, sheet, r, COLUMN_OF["power_item"], ("power",))
            step = texts["step"] or None
            if step is not None:
                if risk.power_item is None and not texts["power_item"]:
                    self.problem(
                        book,
                        self.ref(sheet, r, COLUMN_OF["step"]),
                        "填写了运行环节但没有权力事项；请填写权力事项，或清空运行环节",
                        "a step is given without a power item; fill in the power item or clear the step",
                    )
                elif risk.power_item is not None:
                    steps = self.ws.powers[risk.power_item].steps
                    if step not in steps:
                        self.problem(
                            book,
                            self.ref(sheet, r, COLUMN_OF["step"]),
                            f"运行环节“{step}”不属于该权力事项；可选：{'、'.join(steps)}",
                            f'step "{step}" is not a step of that power item; one of {", ".join(steps)}',
                        )
            risk.step = step
            if measure_part:
                self.add_measure(book, sheet, r, risk)
            risks.append(risk)
        return risks

    def add_measure(self, book: str, sheet: Any, row: int, risk: RiskIn) -> None:
        description = _text(sheet.value(row, COLUMN_OF["measure"]))
        owner = self.read_name(book, sheet, row, COLUMN_OF["measure_owner"], ("person",))
        if not description:
            self.problem(
                book,
                self.ref(sheet, row, COLUMN_OF["measure"]),
                "填写了措施责任人但防控措施为空；请填写防控措施",
                "a measure owner is given but the measure is empty; describe the measure",
            )
            return
        risk.measures.append(Measure(description=description, owner=owner))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ------------------------------------------------------------------------------ planning


def _risk_label(description: str, owner: str, ws: Workspace) -> str:
    return f"「{description}」（{ws.name_of(owner)}）"


def _person(ws: Workspace, pid: str | None, lang: str) -> str:
    if not pid:
        return "（空）" if lang != "en" else "(empty)"
    return ws.name_of(pid)


def _level(level: int | None, lang: str) -> str:
    if level is None:
        return "（空）" if lang != "en" else "(empty)"
    return level_label(level, lang, ungraded=str(level))


def _field_text(ws: Workspace, name: str, value: Any, lang: str) -> str:
    empty = "（空）" if lang != "en" else "(empty)"
    if name == "level":
        return _level(value, lang)
    if name in ("responsible",):
        return _person(ws, value, lang)
    if name == "owner":
        return ws.name_of(value)
    if name == "power_item":
        return ws.name_of(value) if value else empty
    return f"“{value}”" if value else empty


def risk_changes(ws: Workspace, old: RiskPoint, new: RiskIn, lang: str) -> list[str]:
    details: list[str] = []
    arrow = " → "
    for name in ("owner", "category", "description", "form", "level", "responsible", "power_item", "step"):
        before, after = getattr(old, name), getattr(new, name)
        if (before or None) != (after or None):
            word = RISK_FIELD_LABELS["en" if lang == "en" else "zh"][name]
            details.append(f"{word} {_field_text(ws, name, before, lang)}{arrow}{_field_text(ws, name, after, lang)}")
    olds, news = old.measures, new.measures
    for j in range(max(len(olds), len(news))):
        n = j + 1
        a = olds[j] if j < len(olds) else None
        b = news[j] if j < len(news) else None
        if a is None and b is not None:
            details.append(
                f"新增防控措施 {n}“{b.description}”（责任人 {_person(ws, b.owner, lang)}）"
                if lang != "en"
                else f'measure {n} added: "{b.description}" (owner {_person(ws, b.owner, lang)})'
            )
        elif b is None and a is not None:
            details.append(
                f"删除防控措施 {n}“{a.description}”" if lang != "en" else f'measure {n} removed: "{a.description}"'
            )
        elif a is not None and b is not None:
            if a.description != b.description:
                details.append(
                    f"防控措施 {n}“{a.description}” → “{b.description}”"
                    if lang != "en"
                    else f'measure {n}: "{a.description}" → "{b.description}"'
                )
            if a.owner != b.owner:
                details.append(
                    f"防控措施 {n} 的责任人 {_person(ws, a.owner, lang)} → {_person(ws, b.owner, lang)}"
                    if lang != "en"
                    else f"measure {n} owner: {_person(ws, a.owner, lang)} → {_person(ws, b.owner, lang)}"
                )
    return details


def grading_changes(old: Grading, new: Grading, lang: str) -> list[str]:
    details: list[str] = []
    if old.level != new.level:
        details.append(
            f"风险等级 {_level(old.level, lang)} → {_level(new.level, lang)}"
            if lang != "en"
            else f"level {old.level} → {new.level}"
        )
    before = {**old.evaluations.dates(), "review": old.review}
    after = {**new.evaluations.dates(), "review": new.review}
    empty = "（空）" if lang != "en" else "(empty)"
    for key, word in EVALUATION_WORDS.items():
        if before[key] != after[key]:
            old_day, new_day = before[key], after[key]
            a = old_day.isoformat() if old_day else empty
            b = new_day.isoformat() if new_day else empty
            details.append(f"{word if lang != 'en' else key} {a} → {b}")
    return details


def plan_import(ws: Workspace, paths: list[Path], lang: str = "zh") -> Plan:
    """Read and validate every workbook, and work out the new risks.yaml; ``InputError`` if bad."""
    reader = Reader(ws, lang)
    forms: list[FormIn] = []
    for path in paths:
        forms += reader.read_book(path)
    seen_owner: dict[str, str] = {}
    seen_risk: dict[str, str] = {}
    for form in forms:
        where = f"{form.book} {form.sheet}"
        if form.owner in seen_owner:
            reader.problem(
                form.book,
                form.sheet,
                f"与 {seen_owner[form.owner]} 是同一主体（{ws.name_of(form.owner)}）的一览表；每个主体只导入一张",
                f"a second form of {ws.name_of(form.owner)} (also {seen_owner[form.owner]}); import one per subject",
            )
        seen_owner.setdefault(form.owner, where)
        for risk in form.risks:
            if risk.id is None:
                continue
            if risk.id not in ws.risk_points:
                reader.problem(
                    risk.book,
                    risk.place.replace(f"!{column_letter(COLUMN_OF['description'])}", "!A"),
                    f"隐藏列中的风险点编号“{risk.id}”不在 risks.yaml 中（这一行是从别的工作簿复制来的？）；"
                    "请清空该行 A 列后作为新风险点导入",
                    f'risk point id "{risk.id}" in the hidden column is not in risks.yaml (a row copied from another '
                    "workbook?); clear column A of that row to add it as a new risk point",
                )
            elif risk.id in seen_risk:
                reader.problem(
                    risk.book,
                    risk.place,
                    f"风险点 {risk.id} 出现两次（另见 {seen_risk[risk.id]}）；请删除其中一行",
                    f"risk point {risk.id} appears twice (also at {seen_risk[risk.id]}); delete one of the rows",
                )
            seen_risk.setdefault(risk.id, f"{risk.book} {risk.place}")
    if reader.problems:
        raise InputError(reader.problems)
    _match_new_rows(ws, forms)
    return _plan(ws, forms, reader.notices, lang)


def _match_new_rows(ws: Workspace, forms: list[FormIn]) -> None:
    """A row without an id that states an existing risk point of its owner (same description, not
    stated by another row) is that risk point: importing a workbook twice adds nothing twice."""
    claimed = {r.id for f in forms for r in f.risks if r.id}
    for form in forms:
        for risk in form.risks:
            if risk.id is not None:
                continue
            same = next(
                (
                    rp.id
                    for rp in ws.risks.risk_points
                    if rp.owner == risk.owner and rp.description == risk.description and rp.id not in claimed
                ),
                None,
            )
            if same is not None:
                risk.id = same
                claimed.add(same)


def _new_id(owner: str, taken: set[str]) -> str:
    n = 1
    while f"rp-{owner}-{n:02d}" in taken:
        n += 1
    new = f"rp-{owner}-{n:02d}"
    taken.add(new)
    return new


def _plan(ws: Workspace, forms: list[FormIn], notices: list[Notice], lang: str) -> Plan:
    path = ws.root / "risks.yaml"
    problems: list[InputProblem] = []
    original = read_text(path, "risks.yaml", problems)
    if original is None:
        raise InputError(problems)
    yaml, doc = yaml_edit.load(original)
    changes: list[Change] = []
    taken = ws.subject_ids() | set(ws.powers)
    owners = {f.owner for f in forms}
    stated = {r.id for f in forms for r in f.risks if r.id}
    points = doc.setdefault("risk_points", yaml_edit.seq([]))
    gradings = doc.setdefault("gradings", yaml_edit.seq([]))
    by_id = {item.get("id"): item for item in points}
    # removed: a risk point of an imported owner that no imported sheet states
    for rp in ws.risks.risk_points:
        if rp.owner in owners and rp.id not in stated:
            changes.append(Change("removed", "risk_point", rp.id, _risk_label(rp.description, rp.owner, ws)))
    for form in forms:
        for risk in form.risks:
            if risk.id is not None:
                old = ws.risk_points[risk.id]
                details = risk_changes(ws, old, risk, lang)
                if details:
                    changes.append(
                        Change(
                            "changed",
                            "risk_point",
                            risk.id,
                            _risk_label(risk.description, risk.owner, ws),
                            tuple(details),
                            f"{risk.book} {risk.place}",
                        )
                    )
                    _update_point(by_id[risk.id], old, risk)
            else:
                risk.id = _new_id(risk.owner, taken)
                changes.append(
                    Change(
                        "added",
                        "risk_point",
                        risk.id,
                        _risk_label(risk.description, risk.owner, ws),
                        tuple(_added_details(ws, risk, lang)),
                        f"{risk.book} {risk.place}",
                    )
                )
                _insert_point(points, risk)
        old_grading = ws.gradings.get(form.owner)
        new_grading = form.grading
        label = ws.name_of(form.owner)
        if old_grading is not None and new_grading is None:
            changes.append(Change("removed", "grading", form.owner, label, (), f"{form.book} {form.sheet}"))
            for i, item in enumerate(gradings):
                if item.get("subject") == form.owner:
                    del gradings[i]
                    break
        elif old_grading is None and new_grading is not None:
            changes.append(
                Change(
                    "added",
                    "grading",
                    form.owner,
                    label,
                    (_level(new_grading.level, lang),),
                    f"{form.book} {form.sheet}",
                )
            )
            gradings.append(_grading_map(new_grading))
        elif old_grading is not None and new_grading is not None:
            details = grading_changes(old_grading, new_grading, lang)
            if details:
                changes.append(
                    Change("changed", "grading", form.owner, label, tuple(details), f"{form.book} {form.sheet}")
                )
                item = next(g for g in gradings if g.get("subject") == form.owner)
                _update_grading(item, new_grading)
    removed = {c.id for c in changes if c.action == "removed" and c.what == "risk_point"}
    _refuse_removing_recorded(ws, removed, forms, lang)
    for i in reversed(range(len(points))):
        if points[i].get("id") in removed:
            del points[i]
    if not changes:
        return Plan([], None, notices)
    new_text = yaml_edit.dump(yaml, doc, original)
    _validate_result(ws, new_text)
    return Plan(changes, new_text, notices)


def _refuse_removing_recorded(ws: Workspace, removed: set[str], forms: list[FormIn], lang: str) -> None:
    """A risk point that records name (monitoring, inspections) cannot vanish: they would name nothing."""
    problems: list[InputProblem] = []
    sheet_of = {f.owner: f for f in forms}
    for rp_id in sorted(removed):
        used = [r for r in ws.records if r.subject == rp_id]
        if not used:
            continue
        form = sheet_of[ws.risk_points[rp_id].owner]
        first = used[0]
        where = first.place.at() if first.place else f"row {first.line}"
        more = len(used) - 1
        zh = (
            f"删除了风险点 {rp_id}「{ws.risk_points[rp_id].description}」，但台账 {first.file} {where}"
            f"{f' 等 {len(used)} 条记录' if more else ''}仍以它为对象；请保留这一行，或先修改台账"
        )
        en = (
            f"the row of risk point {rp_id} was deleted, but {first.file} {where}"
            f"{' and ' + count_label('more_record', more, 'en') if more else ''} name it; "
            "keep the row, or change those records first"
        )
        problems.append(InputProblem(form.book, form.sheet, en if lang == "en" else zh))
    if problems:
        raise InputError(problems)


def _added_details(ws: Workspace, risk: RiskIn, lang: str) -> list[str]:
    if lang == "en":
        return [
            f"category {risk.category or '(empty)'}",
            _level(risk.level, lang),
            count_label("measure", len(risk.measures), "en"),
        ]
    return [
        f"风险类别 {risk.category or '（空）'}",
        f"风险等级 {_level(risk.level, lang)}",
        f"防控措施 {len(risk.measures)} 项",
    ]


def _set(item: Any, key: str, value: Any) -> None:
    if value is None or value == "":
        if key in item:
            del item[key]
    else:
        item[key] = value


def _measure_maps(measures: list[Measure]) -> Any:
    return yaml_edit.seq([yaml_edit.flow_map(description=m.description, owner=m.owner) for m in measures])


def _update_point(item: Any, old: RiskPoint, new: RiskIn) -> None:
    for name in ("owner", "category", "description", "form", "level", "responsible", "power_item", "step"):
        if (getattr(old, name) or None) != (getattr(new, name) or None):
            _set(item, name, getattr(new, name))
    if old.measures != new.measures:
        current = item.get("measures")
        if current is not None and len(current) == len(new.measures):
            for m_item, m in zip(current, new.measures, strict=True):
                if m_item.get("description") != m.description:
                    m_item["description"] = m.description
                if m_item.get("owner") != m.owner:
                    _set(m_item, "owner", m.owner)
        elif new.measures:
            item["measures"] = _measure_maps(new.measures)
        elif "measures" in item:
            del item["measures"]


def _insert_point(points: Any, risk: RiskIn) -> None:
    item = yaml_edit.block_map(
        id=risk.id,
        owner=risk.owner,
        category=risk.category or None,
        description=risk.description,
        form=risk.form or None,
        level=risk.level,
        power_item=risk.power_item,
        step=risk.step,
        measures=_measure_maps(risk.measures) if risk.measures else None,
        responsible=risk.responsible,
    )
    same_owner = [i for i, p in enumerate(points) if p.get("owner") == risk.owner]
    if same_owner:
        points.insert(same_owner[-1] + 1, item)
    else:
        points.append(item)


def _grading_map(g: Grading) -> Any:
    dates = {k: v for k, v in g.evaluations.dates().items() if v is not None}
    return yaml_edit.flow_map(
        subject=g.subject,
        level=g.level,
        evaluations=yaml_edit.flow_map(**dates) if dates else None,
        review=g.review,
    )


def _update_grading(item: Any, g: Grading) -> None:
    item["level"] = g.level
    dates = g.evaluations.dates()
    evaluations = item.get("evaluations")
    if evaluations is None:
        if any(dates.values()):
            item["evaluations"] = yaml_edit.flow_map(**{k: v for k, v in dates.items() if v is not None})
    else:
        for key, value in dates.items():
            if evaluations.get(key) != value:
                _set(evaluations, key, value)
    if item.get("review") != g.review:
        _set(item, "review", g.review)


def _validate_result(ws: Workspace, text: str) -> None:
    """The new risks.yaml must load as the workspace reads it (a safety net behind the cell checks)."""
    problems: list[InputProblem] = []
    display = "risks.yaml (after the import)"
    try:
        data = yaml_safe.load(text)
        risks = Risks.model_validate(data)
    except Exception as exc:
        errors = getattr(exc, "errors", None)
        if callable(errors):
            raise InputError(_problem_from_pydantic(display, "", e) for e in errors()) from None
        raise InputError([InputProblem(display, "", str(exc), zh=_load_error_zh(exc))]) from None
    check_risks(ws.org, risks, problems)
    if problems:
        raise InputError(InputProblem(display, p.where, p.message, zh=p.zh) for p in problems)


def _load_error_zh(exc: Exception) -> str:
    """The Chinese of an error loading the new risks.yaml, where one is known ("" shows the English)."""
    import yaml

    if isinstance(exc, yaml_safe.YamlRefused):
        return "；".join(p.zh for p in exc.problems)
    if isinstance(exc, yaml.YAMLError):
        return f"不是有效的 YAML：{exc}"
    if isinstance(exc, RecursionError):
        return "嵌套层数过多"
    return ""


# ------------------------------------------------------------------------------ the report


def describe(changes: list[Change], lang: str) -> list[str]:
    """The changes as lines a person reads, in Chinese or English."""
    words = {
        "zh": {"added": "新增", "changed": "修改", "removed": "删除", "risk_point": "风险点", "grading": "风险等级"},
        "en": {
            "added": "added",
            "changed": "changed",
            "removed": "removed",
            "risk_point": "risk point",
            "grading": "grading",
        },
    }["en" if lang == "en" else "zh"]
    lines: list[str] = []
    for c in changes:
        head = f"  {words[c.action]} {words[c.what]} {c.id} {c.label}"
        if c.where:
            head += f"  [{c.where}]"
        lines.append(head)
        lines.extend(f"      {d}" for d in c.details)
    return [printable(line) for line in lines]


def printable(text: str) -> str:
    """Text from a workbook, safe for a terminal: control characters shown as escapes, not obeyed."""
    return "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cf") else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
