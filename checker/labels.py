"""One catalogue of the words every output uses for statuses, severities, levels, rule types
and periods, in Chinese (default) and English. Formats look labels up here; nothing else in
the checker spells them (SPEC §1 vocabulary)."""

from __future__ import annotations

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
LEVEL_LABELS: dict[str, dict[int, str]] = {
    "zh": {1: "一级", 2: "二级", 3: "三级"},
    "en": {1: "level 1", 2: "level 2", 3: "level 3"},
}
#: a rule's ``type`` as ``lianfang rules`` shows it
TYPE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"obligation": "义务", "check": "检查", "escalation": "升级追责", "chain": "责任链"},
    "en": {"obligation": "obligation", "check": "check", "escalation": "escalation", "chain": "chain"},
}
GRANULARITY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"month": "月", "quarter": "季度", "half": "半年", "year": "年", "event": "事件"},
    "en": {"month": "month", "quarter": "quarter", "half": "half-year", "year": "year", "event": "event"},
}
