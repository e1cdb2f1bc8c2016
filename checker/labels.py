"""One catalogue of the words every output uses for statuses, severities, levels, rule types,
periods, categories and the assessment's columns, in Chinese (default) and English. Formats
look labels up here; nothing else in the checker or the diagram spells them (SPEC §1
vocabulary). The level names belong to the models (``models.risks``), which cannot import
the checker; they are re-exported here so that outputs have one place to look.
"""

from __future__ import annotations

from lianfang.models.risks import LEVEL_NAMES, LEVEL_STARS

__all__ = [
    "CATEGORY_LABELS",
    "COLUMN_LABELS",
    "GRANULARITY_LABELS",
    "LEVEL_LABELS",
    "LEVEL_STARS",
    "RISK_FIELD_LABELS",
    "SCORE_LABELS",
    "SEVERITY_LABELS",
    "STATUS_LABELS",
    "TYPE_LABELS",
    "category_label",
    "count_label",
    "level_label",
]

STATUS_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "satisfied": "已完成",
        "late": "逾期完成",
        "early": "提前(顺序不符)",
        "missed": "未完成",
        "due_soon": "即将到期",
        "pending": "未到期",
        "failed": "不符合",
        "unknown": "无法判定",
        "waived": "已豁免",
    },
    "en": {
        "satisfied": "satisfied",
        "late": "late",
        "early": "early",
        "missed": "missed",
        "due_soon": "due soon",
        "pending": "pending",
        "failed": "failed",
        "unknown": "unknown",
        "waived": "waived",
    },
}
SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
LEVEL_LABELS: dict[str, dict[int, str]] = LEVEL_NAMES
#: a rule's ``type`` as ``lianfang rules`` shows it
TYPE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"obligation": "义务", "check": "检查", "escalation": "升级追责", "chain": "责任链"},
    "en": {"obligation": "obligation", "check": "check", "escalation": "escalation", "chain": "chain"},
}
GRANULARITY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"month": "月", "quarter": "季度", "half": "半年", "year": "年", "event": "事件"},
    "en": {"month": "month", "quarter": "quarter", "half": "half-year", "year": "year", "event": "event"},
}


#: the categories of risk points (SPEC §3, G301) and of power items (risks.yaml ``powers``),
#: keyed by the Chinese name a workspace writes; a category of a unit's own is shown as written
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        # posts and leaders
        "思想道德": "ideology and ethics",
        "岗位职责": "post duties",
        "廉洁自律": "personal integrity",
        "外部环境": "external environment",
        # departments
        "业务流程": "business process",
        "制度机制": "rules and mechanisms",
        # the unit (三重一大)
        "重大事项决策": "major decisions",
        "重要人事任免": "key appointments",
        "重大项目安排": "major projects",
        "大额资金使用": "large expenditure",
        # power items
        "行政许可": "administrative licensing",
        "行政征收": "administrative levy",
        "行政给付": "administrative benefit",
        "行政确认": "administrative confirmation",
        "内部管理": "internal management",
        "其他": "other",
    },
}

#: the fields of a risk point as the forms, the ledger and the import's messages name them
RISK_FIELD_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "category": "风险类别",
        "description": "风险点",
        "form": "主要表现形式",
        "level": "风险等级",
        "measure": "防控措施",
        "measure_owner": "措施责任人",
        "responsible": "责任人",
        "power_item": "权力事项",
        "step": "运行环节",
        "owner": "责任主体",
    },
    "en": {
        "category": "category",
        "description": "risk point",
        "form": "main forms",
        "level": "level",
        "measure": "measures",
        "measure_owner": "measure owner",
        "responsible": "responsible person",
        "power_item": "power item",
        "step": "step",
        "owner": "owner",
    },
}

#: what the assessment (``lianfang score``) and the monthly report's scorecard call its columns
SCORE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "total": "总分",
        "item": "考核项目",
        "points": "分值",
        "deducted": "扣分",
        "score": "得分",
        "source": "出处",
        "deductions": "扣分明细",
    },
    "en": {
        "total": "total",
        "item": "item",
        "points": "points",
        "deducted": "deducted",
        "score": "score",
        "source": "source",
        "deductions": "deductions",
    },
}

#: the column headings a finding is shown under, in every table that lists findings
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "rule": "规则",
        "subject": "对象",
        "period": "期间",
        "status": "状态",
        "due": "截止日期",
        "accountable": "责任人",
        "detail": "说明",
    },
    "en": {
        "rule": "rule",
        "subject": "subject",
        "period": "period",
        "status": "status",
        "due": "due",
        "accountable": "accountable",
        "detail": "message",
    },
}

#: how many of a thing: (Chinese, which counts with a measure word; English one, English several)
_COUNTED: dict[str, tuple[str, str, str]] = {
    "open_finding": ("检查发现 {n} 项", "{n} open finding", "{n} open findings"),
    "risk_point": ("风险点 {n} 个", "{n} risk point", "{n} risk points"),
    "record": ("{n} 条记录", "{n} record", "{n} records"),
    "already_in": ("{n} 条已在信息库中", "{n} was already in the archive", "{n} were already in the archive"),
    "current_record": ("{n} 条现行记录", "{n} current record", "{n} current records"),
    "entry": ("{n} 个条目", "{n} entry", "{n} entries"),
    "earlier_check": ("共 {n} 次历史检查", "{n} earlier check", "{n} earlier checks"),
    "more": ("…另 {n} 项", "… {n} more", "… {n} more"),
    "more_record": ("另 {n} 条记录", "{n} more record", "{n} more records"),
    "measure": ("防控措施 {n} 项", "{n} measure", "{n} measures"),
    "change": ("{n} 处变化", "{n} change", "{n} changes"),
    "workbook": ("{n} 个工作簿", "{n} workbook", "{n} workbooks"),
    "form": ("{n} 张一览表", "{n} form", "{n} forms"),
    "diagram": ("网络图 {n} 幅", "{n} diagram", "{n} diagrams"),
    "node_with_findings": (
        "有未结检查发现的节点 {n} 个",
        "{n} node with open findings",
        "{n} nodes with open findings",
    ),
}


def count_label(what: str, n: int, lang: str) -> str:
    """``n`` things in words: ``1 open finding``, ``2 open findings``, ``检查发现 2 项``."""
    zh, one, many = _COUNTED[what]
    return (zh if lang == "zh" else one if n == 1 else many).format(n=n)


def level_label(level: int | None, lang: str, stars: bool = False, ungraded: str = "") -> str:
    """A level's name (``一级``, ``level 1``), with its stars when asked (``一级 ★★★``).

    A missing or unknown level is ``ungraded`` (the caller's word for it: 未定级, 未明确).
    """
    if level is None or level not in LEVEL_STARS:
        return ungraded
    name = LEVEL_LABELS[lang][level]
    return f"{name} {LEVEL_STARS[level]}" if stars else name


def category_label(category: str, lang: str) -> str:
    """A category in the language asked; one the catalogue does not know is shown as written."""
    return CATEGORY_LABELS.get(lang, {}).get(category, category)
