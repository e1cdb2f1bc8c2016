"""``lianfang calendar``: the open and upcoming obligations as an iCalendar file.

One all-day event per obligation that still has to be done: missed (overdue, still owed),
due soon, or pending (not yet due). Its title names the status, the rule and the subject
(in Chinese by default); its description the period, the due date, the accountable people
and the source clause; an alarm reminds ``remind_days`` before the due date. A waived
obligation stays in the calendar, marked cancelled and without alarm, so a subscribed
calendar shows why it disappeared from the to-do list. Register checks (G3xx, T501) have no
due date and are not events. UIDs are stable (rule, subject, period), so a calendar
application that re-imports the file updates events instead of duplicating them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from lianfang.checker.escape import ics_text
from lianfang.checker.findings import STATUS_LABELS, Finding, Status
from lianfang.checker.report.owners import people_names
from lianfang.checker.result import CheckResult

#: statuses of an obligation that is still to be done
UPCOMING = {Status.MISSED, Status.DUE_SOON, Status.PENDING}

WORDS = {
    "zh": {
        "calendar": "{unit} 廉政风险防控 {year} 年度时限",
        "summary": "【{status}】{rule} {title} — {subject}",
        "alarm": "{days} 天后到期：{rule} {title} — {subject}",
        "rule": "规则",
        "subject": "对象",
        "period": "期间",
        "trigger": "触发记录",
        "due": "截止日期",
        "accountable": "责任人",
        "source": "出处",
        "waiver": "豁免",
        "as_of": "检查日期",
    },
    "en": {
        "calendar": "{unit} integrity-risk deadlines {year}",
        "summary": "[{status}] {rule} {title} — {subject}",
        "alarm": "due in {days} days: {rule} {title} — {subject}",
        "rule": "rule",
        "subject": "subject",
        "period": "period",
        "trigger": "trigger",
        "due": "due",
        "accountable": "accountable",
        "source": "source",
        "waiver": "waiver",
        "as_of": "checked as of",
    },
}


def calendar_findings(result: CheckResult) -> list[Finding]:
    """The findings that become events: upcoming obligations, and waived ones that were."""
    out = []
    for f in result.findings:
        if f.due is None:
            continue
        if f.status in UPCOMING or (
            f.status == Status.WAIVED and f.waiver and f.waiver.get("waived_status") in {s.value for s in UPCOMING}
        ):
            out.append(f)
    return out


def event_uid(result: CheckResult, f: Finding) -> str:
    """Stable across runs and unique per unit and obligation."""
    return f"{f.key}/{result.workspace.unit_id}@lianfang"


def build_calendar(result: CheckResult, remind_days: int) -> Calendar:
    """The calendar of ``result``'s open and upcoming obligations (see the module doc)."""
    lang = result.lang
    words = WORDS[lang]
    ws = result.workspace
    cal = Calendar()
    cal.add("prodid", "-//lianfang//廉防 deadline calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = words["calendar"].format(unit=ws.org.unit.short_name or ws.org.unit.name, year=ws.year)
    cal.add("x-wr-calname", ics_text(name))
    # a fixed stamp keeps the file reproducible for the same inputs and date
    stamp = datetime.combine(result.as_of, time(0, 0), tzinfo=UTC)
    for f in calendar_findings(result):
        assert f.due is not None
        waived = f.status == Status.WAIVED
        status = STATUS_LABELS[lang][f.status.value]
        summary = words["summary"].format(status=status, rule=f.rule, title=f.title, subject=f.subject_name)
        event = Event()
        event.add("uid", ics_text(event_uid(result, f)))
        event.add("dtstamp", stamp)
        event.add("dtstart", f.due)
        event.add("dtend", f.due + timedelta(days=1))
        event.add("summary", ics_text(summary).replace("\n", " "))
        event.add("description", ics_text(_description(result, f)))
        event.add("categories", ["lianfang", f.rule[0], f.status.value])
        event.add("status", "CANCELLED" if waived else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        if f.accountable:
            event.add("contact", ics_text(people_names(result, f.accountable)))
        event.add("x-lianfang-rule", f.rule)
        event.add("x-lianfang-key", ics_text(f.key))
        event.add("x-lianfang-status", f.status.value)
        if not waived and f.due >= result.as_of:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-remind_days))
            alarm.add(
                "description",
                ics_text(words["alarm"].format(days=remind_days, rule=f.rule, title=f.title, subject=f.subject_name)),
            )
            event.add_component(alarm)
        cal.add_component(event)
    return cal


def _description(result: CheckResult, f: Finding) -> str:
    words = WORDS[result.lang]
    lines = [
        f.message,
        "",
        f"{words['rule']}: {f.rule} {f.title}",
        f"{words['subject']}: {f.subject_name} ({f.subject})",
    ]
    if f.period:
        lines.append(f"{words['period']}: {f.period}")
    if f.trigger:
        lines.append(f"{words['trigger']}: {f.trigger}")
    lines.append(f"{words['due']}: {f.due.isoformat() if f.due else ''}")
    if f.accountable:
        lines.append(f"{words['accountable']}: {people_names(result, f.accountable)}")
    lines.append(f"{words['source']}: {f.source}")
    if f.waiver:
        lines.append(f"{words['waiver']}: {f.detail}")
    lines.append(f"{words['as_of']}: {result.as_of.isoformat()}")
    return "\n".join(lines)
