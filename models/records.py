"""records/: what happened, as exported from office systems (see models/sources for the formats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lianfang.models.calendar import Period

RECORD_COLUMNS = ("id", "kind", "date", "subject", "period", "by", "result", "ref", "note")
REQUIRED_COLUMNS = ("id", "kind", "date", "subject")
#: Chinese column headers, accepted wherever the English column names are (CSV, spreadsheets)
COLUMN_ALIASES = {
    "编号": "id",
    "类型": "kind",
    "日期": "date",
    "对象": "subject",
    "期间": "period",
    "填报人": "by",
    "结果": "result",
    "关联": "ref",
    "备注": "note",
}
COLUMN_LABELS = {column: label for label, column in COLUMN_ALIASES.items()}

#: the Chinese label of every record kind, accepted in the ``kind`` column as the kind itself
#: (one mapping: ledgers, the entry template and ``lianfang rules --format json`` use it)
KIND_LABELS = {
    "plan_adopted": "制定实施方案",
    "study_session": "学习辅导",
    "dept_discussion": "部室座谈交流",
    "mobilization_meeting": "动员会议",
    "risk_points_submitted": "提交风险点",
    "risk_points_reviewed": "党组审核风险点",
    "risk_points_filed": "风险点备案",
    "risk_points_published": "风险点公示",
    "risk_levels_reviewed": "党组审核风险等级",
    "risk_levels_published": "风险等级公示",
    "key_posts_designated": "确定重点岗位部室",
    "measures_submitted": "提交防控措施",
    "measures_filed": "防控措施备案",
    "measures_approved": "防控措施审核",
    "measures_published": "防控措施公示",
    "network_diagram_published": "防控图公示",
    "supervision_channels_opened": "开设监督渠道",
    "accountability_rules_adopted": "建立责任追究制度",
    "annual_assessment": "百分制考核评估",
    "risk_adjustment": "调整风险内容和措施",
    "summary_report": "总结报告",
    "diary_entry": "廉政日记",
    "diary_spot_check": "廉政日记月度抽查",
    "diary_collective_check": "廉政日记季度集体检查",
    "diary_problem": "廉政日记问题",
    "accountability_action": "责任追究",
    "dept_monthly_report": "部室月报告",
    "dept_quarterly_publication": "部室季度公示",
    "quarterly_supervision": "季度督查",
    "post_review": "部室对岗位点评",
    "dept_review": "分管领导对部室点评",
    "unit_review": "主要领导对全会点评",
    "year_end_assessment": "年终考核",
    "key_matter_report": "重要事项报告",
    "key_matter_filing": "重要事项备案",
    "public_commitment": "公开承诺",
    "public_concern": "群众点题",
    "topic_supervision": "点题督查",
    "risk_monitoring": "风险实时监控",
    "risk_inspection": "风险定期检查",
}
KINDS_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()}


def column_of(header: str) -> str:
    """The record column a header names: the column itself, or its Chinese alias."""
    text = header.strip()
    return COLUMN_ALIASES.get(text, text)


#: kinds that are not evidence of a catalogue obligation but feed it
TRIGGER_KINDS = {"diary_problem", "public_concern"}
EXTRA_KINDS = {"diary_problem", "public_concern", "risk_monitoring", "risk_inspection"}


@dataclass(frozen=True)
class Place:
    """Where a record was read: the file's display name and the row or line as the user sees it.

    ``unit`` is "row" (CSV, spreadsheets: row 1 is the header) or "line" (JSONL); a spreadsheet
    row also names its ``sheet`` and the column letter of each record column (``columns``).
    """

    file: str
    number: int
    unit: str = "row"
    sheet: str = ""
    columns: tuple[tuple[str, str], ...] = ()

    def at(self, column: str | None = None) -> str:
        """The row ("row 7", "line 7", "sheet 台账, row 7"), or a spreadsheet's cell ("台账!D7")."""
        if self.sheet:
            letter = dict(self.columns).get(column or "")
            return f"{self.sheet}!{letter}{self.number}" if letter else f"sheet {self.sheet}, row {self.number}"
        return f"{self.unit} {self.number}"


@dataclass(frozen=True)
class Record:
    """One recorded fact: evidence of an obligation, or a trigger of one."""

    id: str
    kind: str
    date: date
    subject: str
    period: Period | None = None
    by: str = ""
    result: str = ""
    ref: str = ""
    note: str = ""
    #: where it was read from, for messages and SARIF locations
    file: str = ""
    line: int = 0
    place: Place | None = field(default=None, compare=False, repr=False)
