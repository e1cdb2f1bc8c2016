"""records/: what happened, as exported from office systems (CSV or JSONL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lianfang.models.calendar import Period

RECORD_COLUMNS = ("id", "kind", "date", "subject", "period", "by", "result", "ref", "note")

#: kinds that are not evidence of a catalogue obligation but feed it
TRIGGER_KINDS = {"diary_problem", "public_concern"}
EXTRA_KINDS = {"diary_problem", "public_concern", "risk_monitoring", "risk_inspection"}


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
