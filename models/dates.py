"""Dates as offices write them: one parser for records, YAML files, waivers and forms.

Accepted: a real date cell (``date``/``datetime``), an Excel serial number (days since
1899-12-30, as a cell shows a date formatted as a number), and the text forms
``2026-09-28``, ``2026-9-28``, ``2026/9/28``, ``2026.9.28``, ``2026年9月28日`` (a time of day
after the date, as some exports add it, is ignored). A day that does not exist
(``2026/2/30``) is refused with the accepted forms listed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

#: how the accepted forms are named in messages
DATE_FORMS = "2026-09-28, 2026/9/28, 2026.9.28 or 2026年9月28日 (or a date cell)"
DATE_FORMS_ZH = "2026-09-28、2026/9/28、2026.9.28 或 2026年9月28日（或日期格式的单元格）"

_EXCEL_EPOCH = date(1899, 12, 30)
#: serial numbers taken as dates: 1954-10-14 .. 2173-10-14, wide enough for a programme year and
#: narrow enough that a year (2026) or a score is not mistaken for one
_SERIAL_RANGE = (20000, 100000)
_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})|"
    r"年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?)"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


class DateError(ValueError):
    """A value that is not a date in any accepted form, or not a real day."""

    def __init__(self, value: object):
        self.value = value
        super().__init__(f'"{value}" is not a real date; write it as {DATE_FORMS}')


def from_serial(serial: float) -> date:
    """The day an Excel serial number stands for (the 1900 date system, as Excel and WPS use)."""
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: Any) -> date:
    """A date from a cell or a text as offices write it; ``DateError`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise DateError(value)
    if isinstance(value, (int, float)):
        if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            return from_serial(value)
        raise DateError(value)
    if not isinstance(value, str):
        raise DateError(value)
    return _parse_text(value)


# a city's org.yaml and risks.yaml hold 55k dates of a few hundred distinct days: each text
# is parsed once (a ``DateError`` is not remembered: it is raised again, from the start)
@lru_cache(maxsize=4096)
def _parse_text(value: str) -> date:
    text = value.strip()
    match = _TEXT.match(text)
    if match:
        month = match.group("m") or match.group("m2")
        day = match.group("d") or match.group("d2")
        try:
            return date(int(match.group("y")), int(month), int(day))
        except ValueError:
            raise DateError(value) from None
    if _SERIAL.match(text):
        serial = float(text)
        if _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
            return from_serial(serial)
    raise DateError(value)


def _validate_office_date(value: Any) -> Any:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError:
        raise PydanticCustomError(
            "office_date", "not a real date; write it as {forms}", {"forms": DATE_FORMS}
        ) from None


#: a pydantic field type for dates in the workspace's YAML files
OfficeDate = Annotated[date, BeforeValidator(_validate_office_date)]
