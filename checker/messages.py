"""The words of a finding, in Chinese (default) or English."""

from __future__ import annotations

from datetime import date
from string import Formatter
from typing import Any

from lianfang.checker.labels import GRANULARITY_LABELS
from lianfang.models.calendar import Period
from lianfang.models.errors import Notice

TEMPLATES = {
    "zh": {
        "satisfied": "{who}：{what}已于 {evidence_date} 完成（应于 {due} 前）{detail}",
        "late": "{who}：{what}应于 {due} 前完成，{evidence_date} 才完成，逾期 {days} 天{detail}",
        "early": "{who}：{what}的记录日期 {evidence_date} 早于窗口开始 {opens}，顺序不符{detail}",
        "missed": "{who}：{what}应于 {due} 前完成，截至 {as_of} 未见记录{detail}",
        "due_soon": "{who}：{what}应于 {due} 前完成，还剩 {days} 天{detail}",
        "due_today": "{who}：{what}今天（{due}）到期{detail}",
        "pending": "{who}：{what}应于 {due} 前完成{detail}",
        "period": "{period} ",
        "trigger": "（由记录 {trigger} 引起）",
        "escalated_from": "（由 {trigger} 未完成升级）",
        "missed_counted": "{who}：{what}应于 {due} 前完成，截至 {as_of} 记录篇数不足{detail}",
        "counted": "（计入 {count} 篇，应至少 {minimum} 篇）",
        "counted_ids": "（计入 {count} 篇：{ids}；应至少 {minimum} 篇）",
        "escalated": "；已逐级上提{tiers}层（上{tiers}层负责人督办），须在 {due} 前追究责任（{code}）",
    },
    "en": {
        "satisfied": "{who}: {what}done on {evidence_date} (due {due}){detail}",
        "late": "{who}: {what}was due {due}, done on {evidence_date}, {days} days late{detail}",
        "early": "{who}: {what}recorded on {evidence_date}, before the window opened on {opens} (out of sequence){detail}",
        "missed": "{who}: {what}was due {due}; no record as of {as_of}{detail}",
        "due_soon": "{who}: {what}is due {due}, in {days} days{detail}",
        "due_today": "{who}: {what}is due today ({due}){detail}",
        "pending": "{who}: {what}is due {due}{detail}",
        "period": "{period} ",
        "trigger": " (raised by record {trigger})",
        "escalated_from": " (escalated from the missed {trigger})",
        "missed_counted": "{who}: {what}was due {due}; too few entries as of {as_of}{detail}",
        "counted": " ({count} entries counted, at least {minimum} required)",
        "counted_ids": " ({count} entries counted: {ids}; at least {minimum} required)",
        "escalated": "; escalated {tiers} up, accountability action due {due} ({code})",
    },
}


SHORT = {
    "zh": {
        "satisfied": "{evidence_date} 完成",
        "late": "{evidence_date} 完成，逾期 {days} 天",
        "early": "{evidence_date} 早于窗口开始 {opens}",
        "missed": "未见记录",
        "missed_counted": "篇数不足",
        "due_soon": "还剩 {days} 天",
        "due_today": "今天到期",
        "pending": "未到期",
    },
    "en": {
        "satisfied": "done {evidence_date}",
        "late": "done {evidence_date}, {days} days late",
        "early": "recorded {evidence_date}, before the window opened {opens}",
        "missed": "no record",
        "missed_counted": "too few entries",
        "due_soon": "{days} days left",
        "due_today": "due today",
        "pending": "not yet due",
    },
}


#: the fields a message template may name, in the order ``ObligationWords`` passes them
FIELDS = ("who", "what", "due", "opens", "as_of", "evidence_date", "days", "detail")


def positional(template: str, fields: tuple[str, ...] = FIELDS) -> str:
    """``template`` with its named fields as positions in ``fields``: "{who}：{due}" becomes
    "{0}：{2}" (braces written as ``{{`` stay literal)."""
    out = []
    for literal, name, spec, conversion in Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            out.append(
                "{"
                + str(fields.index(name))
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return "".join(out)


class _Formatted(dict[Any, str]):
    """A value's ``format()``, made on first use and kept (a subscript, not a call, per use)."""

    def __missing__(self, value: Any) -> str:
        text = self[value] = format(value)
        return text


class ObligationWords:
    """The long message and the table's short one (说明) of an obligation's finding, in one
    language, as of one date.

    A city has 185k findings: ``str.format`` with named fields and ``date`` values took
    ~3 µs a message. The templates are turned into positional ones once, and each date is
    written as text once (a few hundred distinct dates), so a message is one positional
    ``format`` of strings. The words are exactly ``TEMPLATES`` and ``SHORT`` filled in.
    """

    def __init__(self, lang: str, as_of: date) -> None:
        self.lang = lang
        self._templates = TEMPLATES[lang]
        # the statuses' templates (the others, such as "period", are pieces filled by name)
        self._long = {key: positional(self._templates[key]) for key in SHORT[lang]}
        self._short = {key: positional(text) for key, text in SHORT[lang].items()}
        #: each date as a template writes it (``format(date)`` is its ISO form; ``None`` is "None")
        self._days = _Formatted()
        self._as_of = as_of
        self._as_of_text = self._days[as_of]
        #: "{period} " per period label
        self._what: dict[str, str] = {}
        counted = ("count", "ids", "minimum")
        self._counted = positional(self._templates["counted"], counted)
        self._counted_ids = positional(self._templates["counted_ids"], counted)
        self._separator = "、" if lang == "zh" else ", "

    def counted(self, ids: tuple[str, ...], minimum: int) -> str:
        """How many entries a counted obligation counted, and which (SPEC §3.1 point 2)."""
        if not ids:
            return self._counted.format(0, "", minimum)
        return self._counted_ids.format(len(ids), self._separator.join(ids), minimum)

    def messages(
        self,
        status: str,
        who: str,
        period: str | None,
        trigger: str | None,
        opens: date,
        due: date,
        evidence_date: date | None,
        detail: str = "",
        escalation: bool = False,
        counted: bool = False,
    ) -> tuple[str, str]:
        """The finding's message, and its short form for tables: what the other columns
        (subject, period, due) do not say."""
        what = ""
        if period:
            what = self._what.get(period, "")
            if not what:
                what = self._what[period] = self._templates["period"].format(period=period)
        short_detail = detail
        if trigger:
            detail = self._templates["escalated_from" if escalation else "trigger"].format(trigger=trigger) + detail
        days = 0
        if status == "late" and evidence_date:
            days = (evidence_date - due).days
        elif status == "due_soon":
            days = (due - self._as_of).days
        key = "due_today" if status == "due_soon" and days == 0 else status
        if counted and key == "missed":
            key = "missed_counted"
        dates = self._days
        fields = (who, what, dates[due], dates[opens], self._as_of_text, dates[evidence_date], days, detail)
        return self._long[key].format(*fields), self._short[key].format(*fields) + short_detail


TIER_WORDS = {
    "zh": {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"},
    "en": {1: "one tier", 2: "two tiers", 3: "three tiers", 4: "four tiers", 5: "five tiers"},
}


def escalated_detail(lang: str, due: date, code: str, tiers: int = 1) -> str:
    """What a missed obligation says once it escalates; ``code`` and ``tiers`` are the
    escalation rule's (T502: one tier)."""
    return TEMPLATES[lang]["escalated"].format(due=due, code=code, tiers=TIER_WORDS[lang][tiers])


def trigger_label(trigger: str | None) -> str:
    """A trigger as a period column shows it: a record id, or for an escalation the missed
    obligation's rule and period (its key ``K401:post-jc-caigou:2026-Q3`` reads "K401 2026-Q3")."""
    if not trigger:
        return ""
    parts = trigger.split(":")
    if len(parts) == 3 and parts[2]:
        return f"{parts[0]} {parts[2]}"
    return trigger


GRANULARITY_WORDS = GRANULARITY_LABELS
REMEDY_WORDS = {
    "zh": {"month": "月份", "quarter": "季度", "half": "半年", "year": "年份"},
    "en": GRANULARITY_WORDS["en"],
}
MISMATCH = {
    "zh": (
        '记录 {record}（{kind}）的 period "{period}" 是{actual}，而 {kind} 按{expected}计，'
        "这条记录不与任何义务匹配；请填写{remedy}（如 {suggestion}）或留空"
    ),
    "en": (
        'record {record} ({kind}) has period "{period}", a {actual}, but {kind} is owed per '
        "{expected}: it matches nothing; write the {remedy} (e.g. {suggestion}) or leave period empty"
    ),
}


def period_mismatch_message(lang: str, mismatch: Any) -> str:
    """SPEC §3.1 point 1: a period of another granularity (the file and row go beside it)."""
    words = GRANULARITY_WORDS[lang]
    actual = words[Period.parse(mismatch.period).granularity]
    expected = ("或" if lang == "zh" else " or ").join(words[g] for g in mismatch.expected)
    return MISMATCH[lang].format(
        record=mismatch.record,
        kind=mismatch.kind,
        period=mismatch.period,
        actual=actual,
        expected=expected,
        remedy=REMEDY_WORDS[lang][mismatch.expected[0]],
        suggestion=mismatch.suggestion,
    )


def period_mismatch_notice(mismatch: Any) -> Notice:
    """The warning ``check`` prints, naming the file and row, in both languages."""
    return Notice(
        mismatch.file,
        mismatch.where,
        period_mismatch_message("zh", mismatch),
        period_mismatch_message("en", mismatch),
    )


UNKNOWN = {
    "zh": {
        "no_level": "风险点未确定风险等级，无法确定应按月监控还是按季检查（先补全等级，见 G301）",
        "no_clock": "截止日期所依据的规则（due_from）不可用，无法确定截止日期（见 lianfang lint）",
    },
    "en": {
        "no_level": (
            "the risk point has no level, so whether it is monitored monthly or inspected quarterly "
            "cannot be decided (give it a level; see G301)"
        ),
        "no_clock": "the rule its due date counts from (due_from) is unusable, so no due date can be set (see lianfang lint)",
    },
}


def unknown_message(lang: str, who: str, reason: str) -> str:
    """Why an obligation cannot be decided (status unknown); ``who`` may be empty (table)."""
    text = UNKNOWN[lang][reason]
    if not who:
        return text
    return f"{who}：无法判定——{text}" if lang == "zh" else f"{who}: cannot be decided — {text}"
