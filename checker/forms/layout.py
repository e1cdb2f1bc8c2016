"""How the three forms are laid out: the plan's attachments 3–5 in SPEC §1's standard terms.

Every form sheet keeps its machine-readable parts in the hidden, locked column A: A1 names the
form and its owner, the other markers name the grading rows, the table's header and its end,
and each risk point's row holds the risk point's id. The import finds everything by these
markers, so rows inserted by the user move nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from lianfang.checker.labels import LEVEL_LABELS, RISK_FIELD_LABELS
from lianfang.rules.vocabulary import VOCABULARY

MARK = "lianfang"
#: A1 of a form sheet: "lianfang:form:post:post-jc-caigou"
FORM_MARK = f"{MARK}:form"
GRADING_MARK = f"{MARK}:grading"
EVALUATIONS_MARK = f"{MARK}:evaluations"
TABLE_MARK = f"{MARK}:table"
END_MARK = f"{MARK}:end"
#: the hidden sheet with the drop-down lists and the workbook's provenance
LISTS_SHEET = "_lianfang"
README_SHEET = "填表说明"

#: the categories per owner type are the rule catalogue's (rules/vocabulary.yaml, G301)
POST_CATEGORIES = tuple(VOCABULARY.categories["post"])
DEPARTMENT_CATEGORIES = tuple(VOCABULARY.categories["department"])
UNIT_CATEGORIES = tuple(VOCABULARY.categories["unit"])
#: a leader's risk point may use the post or the unit categories (SPEC §3.1, 6)
LEADER_CATEGORIES = tuple(VOCABULARY.categories["leader"])

#: the forms are the plan's Chinese documents: their levels are the catalogue's Chinese names
LEVELS = LEVEL_LABELS["zh"]
#: what a level cell may hold: 一级, 1, 1级
LEVEL_WORDS = {word: level for level, name in LEVELS.items() for word in (name, str(level), f"{level}级")}

#: the table's columns, from B: (field, header)
TABLE_COLUMNS = tuple(
    (name, RISK_FIELD_LABELS["zh"][name])
    for name in (
        "category",
        "description",
        "form",
        "level",
        "measure",
        "measure_owner",
        "responsible",
        "power_item",
        "step",
    )
)
FIRST_COLUMN = 2  # B
COLUMN_OF = {name: FIRST_COLUMN + i for i, (name, _) in enumerate(TABLE_COLUMNS)}
LAST_COLUMN = FIRST_COLUMN + len(TABLE_COLUMNS) - 1
#: the risk point's own columns (a row with these empty continues the risk point above)
RISK_FIELDS = ("category", "description", "form", "level", "responsible", "power_item", "step")
#: column widths in characters (a Chinese character counts two): room to write in, for Chinese text
WIDTHS_BY_FIELD = {
    "category": 12,
    "description": 30,
    "form": 30,
    "level": 10,
    "measure": 42,
    "measure_owner": 12,
    "responsible": 12,
    "power_item": 18,
    "step": 14,
}

WIDTHS = {chr(64 + FIRST_COLUMN + i): WIDTHS_BY_FIELD[name] for i, (name, _) in enumerate(TABLE_COLUMNS)}

#: the head of a form: four (label column, first value column, last value column) slots a row,
#: the second value spanning two columns (E:F), wide enough for the unit's name
SLOTS = ((2, 3, 3), (4, 5, 6), (7, 8, 8), (9, 10, 10))
#: the grading row: slot 0 the subject's level, slot 1 the review; the evaluations row: slots 0-3

#: the four evaluations of 四评一审 and the party group's review, as the grading row labels them
EVALUATIONS = (("self", "自评"), ("peer", "互评"), ("public", "群众点评"), ("collective", "集体评议"))
REVIEW_LABEL = "党组审核"
SPARE_ROWS = 8


@dataclass(frozen=True)
class FormKind:
    """One of the plan's three forms (the leader's sheet uses the post form's layout)."""

    kind: str  # post | department | unit | leader
    title: str
    sheet_prefix: str
    categories: tuple[str, ...]
    grade_label: str
    signatures: tuple[str, ...]


FORMS = {
    "post": FormKind(
        "post",
        "廉政风险识别防控一览表（岗位）",
        "岗位",
        POST_CATEGORIES,
        "岗位风险等级",
        ("负责人签字：", "部室领导签字："),
    ),
    "leader": FormKind(
        "leader",
        "廉政风险识别防控一览表（会领导）",
        "领导",
        LEADER_CATEGORIES,
        "风险等级",
        ("本人签字：", "主要领导签字："),
    ),
    "department": FormKind(
        "department",
        "廉政风险识别防控一览表（部室）",
        "部室",
        DEPARTMENT_CATEGORIES,
        "部室风险等级",
        ("部室领导签字：", "分管领导签字："),
    ),
    "unit": FormKind(
        "unit",
        "廉政风险识别防控一览表（单位）",
        "单位",
        UNIT_CATEGORIES,
        "单位风险等级",
        ("主要领导签字：",),
    ),
}
DATE_LINE = "填表日期：      年    月    日"


#: the spreadsheet's letters of a 1-based column (1 → A, 27 → AA), as openpyxl spells them
column_letter = get_column_letter


def text_width(text: str) -> int:
    """Display width: a CJK or full-width character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def sheet_title(prefix: str, name: str, taken: set[str]) -> str:
    """A valid, unique sheet name ``前缀-名称`` (31 characters at most, no []:*?/\\)."""
    clean = "".join("－" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "未命名"
    base = f"{prefix}-{clean}"[:31]
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title
