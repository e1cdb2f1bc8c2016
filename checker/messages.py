"""The words of a finding, in Chinese (default) or English."""

from __future__ import annotations

from datetime import date

TEMPLATES = {
    "zh": {
        "satisfied": "{who}：{what}已于 {evidence_date} 完成（应于 {due} 前）",
        "late": "{who}：{what}应于 {due} 前完成，{evidence_date} 才完成，逾期 {days} 天",
        "early": "{who}：{what}的记录日期 {evidence_date} 早于窗口开始 {opens}，顺序不符",
        "missed": "{who}：{what}应于 {due} 前完成，截至 {as_of} 未见记录{detail}",
        "due_soon": "{who}：{what}应于 {due} 前完成，还剩 {days} 天{detail}",
        "due_today": "{who}：{what}今天（{due}）到期{detail}",
        "pending": "{who}：{what}应于 {due} 前完成{detail}",
        "period": "{period} ",
        "trigger": "（由记录 {trigger} 引起）",
        "escalated_from": "（由 {trigger} 未完成升级）",
        "counted": "（已记 {count} 篇，应至少 {minimum} 篇）",
        "escalated": "；已升级一级，须在 {due} 前追究责任（T502）",
    },
    "en": {
        "satisfied": "{who}: {what}done on {evidence_date} (due {due})",
        "late": "{who}: {what}was due {due}, done on {evidence_date}, {days} days late",
        "early": "{who}: {what}recorded on {evidence_date}, before the window opened on {opens} (out of sequence)",
        "missed": "{who}: {what}was due {due}; no record as of {as_of}{detail}",
        "due_soon": "{who}: {what}is due {due}, in {days} days{detail}",
        "due_today": "{who}: {what}is due today ({due}){detail}",
        "pending": "{who}: {what}is due {due}{detail}",
        "period": "{period} ",
        "trigger": " (raised by record {trigger})",
        "escalated_from": " (escalated from the missed {trigger})",
        "counted": " ({count} entries recorded, at least {minimum} required)",
        "escalated": "; escalated one tier, accountability action due {due} (T502)",
    },
}


def obligation_message(
    lang: str,
    status: str,
    who: str,
    period: str | None,
    trigger: str | None,
    opens: date,
    due: date,
    as_of: date,
    evidence_date: date | None,
    detail: str = "",
    escalation: bool = False,
) -> str:
    t = TEMPLATES[lang]
    what = t["period"].format(period=period) if period else ""
    if trigger:
        detail = t["escalated_from" if escalation else "trigger"].format(trigger=trigger) + detail
    days = 0
    if status == "late" and evidence_date:
        days = (evidence_date - due).days
    elif status == "due_soon":
        days = (due - as_of).days
    key = "due_today" if status == "due_soon" and days == 0 else status
    return t[key].format(
        who=who, what=what, due=due, opens=opens, as_of=as_of, evidence_date=evidence_date, days=days, detail=detail
    )


SHORT = {
    "zh": {
        "satisfied": "{evidence_date} 完成",
        "late": "{evidence_date} 完成，逾期 {days} 天",
        "early": "{evidence_date} 早于窗口开始 {opens}",
        "missed": "未见记录",
        "due_soon": "还剩 {days} 天",
        "due_today": "今天到期",
        "pending": "未到期",
    },
    "en": {
        "satisfied": "done {evidence_date}",
        "late": "done {evidence_date}, {days} days late",
        "early": "recorded {evidence_date}, before the window opened {opens}",
        "missed": "no record",
        "due_soon": "{days} days left",
        "due_today": "due today",
        "pending": "not yet due",
    },
}


def short_detail(
    lang: str, status: str, opens: date, due: date, as_of: date, evidence_date: date | None, detail: str = ""
) -> str:
    """The table's 说明 column: what the other columns (subject, period, due) do not say."""
    days = (evidence_date - due).days if status == "late" and evidence_date else (due - as_of).days
    key = "due_today" if status == "due_soon" and days == 0 else status
    return SHORT[lang][key].format(evidence_date=evidence_date, opens=opens, days=days) + detail


def counted_detail(lang: str, count: int, minimum: int) -> str:
    return TEMPLATES[lang]["counted"].format(count=count, minimum=minimum)


def escalated_detail(lang: str, due: date) -> str:
    return TEMPLATES[lang]["escalated"].format(due=due)
