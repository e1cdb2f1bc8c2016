"""Calendar arithmetic: periods (2026-10, 2026-Q3, 2026-H1, 2026) and epoch days.

durable-rules compares values as strings or numbers only, so dates reach the engine as
integer day numbers (``date.toordinal()``); everything calendar-related is plain Python.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Granularity = Literal["month", "quarter", "half", "year"]

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")
PERIOD_FORMS = "YYYY-MM (2026-10), YYYY-Qn (2026-Q3), YYYY-Hn (2026-H1) or YYYY (2026)"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period of the programme: a month, quarter, half-year or year."""

    start: date
    end: date
    label: str
    granularity: Granularity

    @classmethod
    def parse(cls, text: str) -> Period:
        match = PERIOD_PATTERN.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a period; expected {PERIOD_FORMS}')
        year = int(match.group(1))
        if match.group(2):
            return cls.month(year, int(match.group(2)))
        if match.group(3):
            return cls.quarter(year, int(match.group(3)))
        if match.group(4):
            return cls.half(year, int(match.group(4)))
        return cls.year(year)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), f"{year}-{month:02d}", "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(date(year, first, 1), date(year, first + 2, last), f"{year}-Q{quarter}", "quarter")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30), f"{year}-H1", "half")
        return cls(date(year, 7, 1), date(year, 12, 31), f"{year}-H2", "half")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), str(year), "year")

    @classmethod
    def all_in_year(cls, year: int, granularity: Granularity) -> list[Period]:
        if granularity == "month":
            return [cls.month(year, m) for m in range(1, 13)]
        if granularity == "quarter":
            return [cls.quarter(year, q) for q in range(1, 5)]
        if granularity == "half":
            return [cls.half(year, h) for h in (1, 2)]
        return [cls.year(year)]

    def previous(self) -> Period:
        return Period.containing(self.start - timedelta(days=1), self.granularity)

    @classmethod
    def containing(cls, day: date, granularity: Granularity) -> Period:
        """The period of ``granularity`` that ``day`` is in."""
        return _containing(day, granularity)

    def __str__(self) -> str:
        return self.label


# asked for every record and grading, four granularities each (a city: 100k times), of a
# few hundred distinct days: remembered per day (a Period is immutable)
@lru_cache(maxsize=8192)
def _containing(day: date, granularity: Granularity) -> Period:
    if granularity == "month":
        return Period.month(day.year, day.month)
    if granularity == "quarter":
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    if granularity == "half":
        return Period.half(day.year, 1 if day.month <= 6 else 2)
    return Period.year(day.year)


def month_day(year: int, text: str) -> date:
    """Resolve a rule pack's ``MM-DD`` within programme year ``year``; raises ValueError."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", text)
    if not match:
        raise ValueError(f'"{text}" is not a month-day; expected MM-DD such as 04-16')
    return date(year, int(match.group(1)), int(match.group(2)))


def day_number(day: date) -> int:
    """The engine's representation of a date."""
    return day.toordinal()


def from_day_number(number: int) -> date:
    return date.fromordinal(number)
