"""`lianfang calendar` (issue 4): every open or upcoming obligation as an iCalendar event."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"
AS_OF = "2026-11-30"
UPCOMING = {"missed", "due_soon", "pending"}


@pytest.fixture(scope="module")
def calendar(tmp_path_factory: pytest.TempPathFactory) -> Calendar:
    path = tmp_path_factory.mktemp("ics") / "lianfang.ics"
    run(["calendar", EXAMPLE, "--as-of", AS_OF, "-o", path], exit_code=0)
    return Calendar.from_ical(path.read_bytes())


@pytest.fixture(scope="module")
def findings() -> list[dict[str, Any]]:
    data = json.loads(run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--all"], exit_code=1).stdout)
    return data["findings"]  # type: ignore[no-any-return]


def key(f: dict[str, Any]) -> str:
    return f"{f['rule']}:{f['subject']}:{f.get('trigger') or f['period'] or ''}"


def test_every_upcoming_obligation_is_an_event(calendar: Calendar, findings: list[dict[str, Any]]) -> None:
    events = {str(e["X-LIANFANG-KEY"]): e for e in calendar.walk("VEVENT")}
    expected = {key(f): f for f in findings if f["status"] in UPCOMING and f["due"]}
    assert set(events) == set(expected)
    assert len(expected) == 8 + 4 + 144  # missed, due soon, pending
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for k, f in expected.items():
        event = events[k]
        due = date.fromisoformat(f["due"])
        assert event.decoded("DTSTART") == due and event.decoded("DTEND") == due + timedelta(days=1)
        assert str(event["X-LIANFANG-RULE"]) == f["rule"] and str(event["X-LIANFANG-STATUS"]) == f["status"]


def test_event_title_description_and_reminder(calendar: Calendar) -> None:
    assert str(calendar["X-WR-CALNAME"]) == "市残联 廉政风险防控 2026 年度时限"
    events = {str(e["X-LIANFANG-KEY"]): e for e in calendar.walk("VEVENT")}
    s122 = events["S122:dongying-cdpf:2026"]
    assert str(s122["SUMMARY"]) == "【即将到期】S122 百分制考核评估 — 市残联"
    description = str(s122["DESCRIPTION"])
    for expected in (
        "规则: S122 百分制考核评估",
        "截止日期: 2026-11-30",
        "谢恩明 (xie-enming)",
        "许建仁 (xu-jianren)",
        "出处:",
    ):
        assert expected in description
    assert "谢恩明" in str(s122["CONTACT"])
    (alarm,) = s122.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(days=-7)
    # an overdue obligation is still an event, without a reminder in the past
    k401 = events["K401:post-jc-caigou:2026-Q3"]
    assert str(k401["SUMMARY"]).startswith("【未完成】K401") and not list(k401.walk("VALARM"))
    assert str(k401["STATUS"]) == "CONFIRMED"


def test_reminder_days_and_english(tmp_path: Path) -> None:
    out = run(["calendar", EXAMPLE, "--as-of", AS_OF, "--remind", "3", "--lang", "en"], exit_code=0).stdout
    cal = Calendar.from_ical(out.encode("utf-8"))
    event = next(e for e in cal.walk("VEVENT") if str(e["X-LIANFANG-KEY"]) == "S122:dongying-cdpf:2026")
    assert str(event["SUMMARY"]) == "[due soon] S122 Assessment on a 100-point scale — 市残联"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(days=-3)


def test_calendar_is_reproducible_and_bad_input_exits_2(tmp_path: Path) -> None:
    first = run(["calendar", EXAMPLE, "--as-of", AS_OF], exit_code=0).stdout
    second = run(["calendar", EXAMPLE, "--as-of", AS_OF], exit_code=0).stdout
    assert first == second
    result = run(["calendar", tmp_path / "missing", "--as-of", AS_OF], exit_code=2)
    assert "找不到工作区文件夹" in result.stderr  # Chinese by default (issue 9)
