"""Lint's date checks: L101 a month-day that does not exist, L102 a window that closes before it
opens, L103 a due date before that of a step it depends on (on the dates in force, and on the
source's transcribed dates as information), L205 a date in a workspace YAML file that does
not exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lianfang.checker.findings import Severity
from lianfang.checker.lint.findings import LintFinding
from lianfang.checker.lint.inputs import PackRule
from lianfang.checker.lint.words import WORDS
from lianfang.models.config import Params
from lianfang.models.files import cwd_path
from lianfang.models.yaml_dates import impossible_dates
from lianfang.rules.catalogue import resolve_int

MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
LEAP_YEAR = 2024  # a pack is year-independent: 02-29 is a real month-day somewhere


def _month_day(value: str) -> tuple[int, int] | None:
    match = MONTH_DAY.match(value)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _date_problem(code: str, key: str, value: str, year: int | None, words: dict[str, str]) -> str | None:
    """Why ``value`` is not a real month-day (in ``year`` if given), or None."""
    md = _month_day(value)
    if md is None:
        return words["not_month_day"].format(code=code, key=key, value=value)
    try:
        date(LEAP_YEAR, md[0], md[1])
    except ValueError:
        return words["not_real"].format(code=code, key=key, value=value, month=md[0], day=md[1])
    if year is not None:
        try:
            date(year, md[0], md[1])
        except ValueError:
            return words["not_real_year"].format(code=code, key=key, value=value, year=year)
    return None


@dataclass
class _Dates:
    """A rule's window as one reading has it: the pack's dates or the source's literal ones."""

    opens: str | None
    due: str | None


def _lint_dates(
    item: PackRule,
    dates: _Dates,
    dates_of: dict[str, _Dates],
    rules: dict[str, PackRule],
    params: Params,
    year: int | None,
    lang: str,
    severity: Severity,
    transcribed: bool,
    file: str | None = None,
    line: int | None = None,
) -> list[LintFinding]:
    """L101–L103 for one rule under one reading of the dates."""
    words = WORDS[lang]
    rule = item.rule
    where_file = file or item.file
    out: list[LintFinding] = []
    note = rule.transcribed.note.get(lang) if (transcribed and rule.transcribed) else ""

    def add(code: str, message: str, key: str) -> None:
        at = item
        if transcribed:
            at = item.pack or item
            pack_rule = at.rule
            pack_value = (
                f"{pack_rule.opens}..{pack_rule.due}"
                if pack_rule.opens and pack_rule.due
                else (pack_rule.due or pack_rule.opens)
            )
            message = words["source"] + message
            if pack_value:
                message += words["pack_uses"].format(value=pack_value)
        out.append(
            LintFinding(
                code,
                severity,
                at.file if transcribed else where_file,
                line or at.line_of("transcribed" if transcribed else key),
                message,
                rule=rule.code,
                clause=rule.source,
                note=note,
                transcribed=transcribed,
            )
        )

    valid: dict[str, tuple[int, int]] = {}
    for key in ("opens", "due"):
        value = getattr(dates, key)
        if value is None:
            continue
        problem = _date_problem(rule.code, key, value, year, words)
        if problem:
            add("L101", problem, key)
        md = _month_day(value)
        if md is not None:
            valid[key] = md  # an impossible 06-31 still orders correctly against 06-30
    if "opens" in valid and "due" in valid and valid["opens"] > valid["due"]:
        add("L102", words["reversed"].format(code=rule.code, opens=dates.opens, due=dates.due), "opens")
    for prereq_code in rule.after:
        prereq = rules.get(prereq_code)
        if prereq is None:
            continue  # L104, reported once for the pack's own reading
        before = _due_before(item, dates, prereq, dates_of[prereq_code], params)
        if before:
            title = prereq.rule.title.get(lang)
            # a window is named whole: "04-26..04-29", as the source's table gives it
            due = f"{dates.opens}..{before[0]}" if dates.opens and dates.due else before[0]
            message = words["before"].format(
                code=rule.code, due=due, prereq=prereq_code, title=title, prereq_due=before[1]
            )
            add("L103", message, "due")
    return out


def _due_before(
    item: PackRule, dates: _Dates, prereq: PackRule, prereq_dates: _Dates, params: Params
) -> tuple[str, str] | None:
    """(due, prerequisite's due) when the rule falls due before its prerequisite, else None."""
    if dates.due is not None and prereq_dates.due is not None:
        mine, theirs = _month_day(dates.due), _month_day(prereq_dates.due)
        if mine is not None and theirs is not None and mine < theirs:
            return dates.due, prereq_dates.due
        return None
    rule, other = item.rule, prereq.rule
    if (
        dates.due is None
        and prereq_dates.due is None
        and rule.period
        and rule.period == other.period
        and rule.period != "event"
    ):
        # recurring rules of the same period: compare the days after the period's end
        mine_days = resolve_int(rule.due_offset_days, params)
        their_days = resolve_int(other.due_offset_days, params)
        if mine_days < their_days:
            return f"+{mine_days}d", f"+{their_days}d"
    return None


def lint_pack_dates(
    items: list[PackRule], lang: str, params: Params | None = None, year: int | None = None
) -> list[LintFinding]:
    """L101–L103 on the dates in force, and on the source's transcribed dates as information."""
    params = params or Params()
    rules = {i.rule.code: i for i in items}
    in_force = {code: _Dates(i.rule.opens, i.rule.due) for code, i in rules.items()}
    source = {
        code: _Dates(
            (i.rule.transcribed.opens or i.rule.opens) if i.rule.transcribed else i.rule.opens,
            (i.rule.transcribed.due or i.rule.due) if i.rule.transcribed else i.rule.due,
        )
        for code, i in rules.items()
    }
    out: list[LintFinding] = []
    for code, item in rules.items():
        out += _lint_dates(item, in_force[code], in_force, rules, params, year, lang, Severity.ERROR, False)
        t = item.rule.transcribed
        if (
            t is not None
            and (t.opens, t.due) != (None, None)
            and ((t.opens or item.rule.opens) != item.rule.opens or (t.due or item.rule.due) != item.rule.due)
        ):
            # the source's literal dates, against the source's dates of the prerequisites
            out += _lint_dates(item, source[code], source, rules, params, None, lang, Severity.INFO, True)
    return out


def bad_dates(root: Path, names: list[str], lang: str) -> list[LintFinding]:
    words = WORDS[lang]
    out = []
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        for bad in impossible_dates(text):
            message = words["bad_date"].format(value=bad.value, key=bad.key)
            out.append(LintFinding("L205", Severity.ERROR, cwd_path(path), bad.line, message))
    return out
