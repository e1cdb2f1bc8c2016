"""records/: what happened, as exported from office systems (see models/sources for the formats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lianfang.models.calendar import Period

RECORD_COLUMNS = ("id", "kind", "date", "subject", "period", "by", "result", "ref", "note")
REQUIRED_COLUMNS = ("id", "kind", "date", "subject")

#: kinds that are not evidence of a catalogue obligation but feed it
TRIGGER_KINDS = {"diary_problem", "public_concern"}
EXTRA_KINDS = {"diary_problem", "public_concern", "risk_monitoring", "risk_inspection"}


@dataclass(frozen=True)
class Place:
    """Where a record was read: the file's display name and the row or line as the user sees it.

    ``unit`` is "row" (CSV, spreadsheets: row 1 is the header) or "line" (JSONL); a spreadsheet
    row also names its ``sheet`` and the column letter of each record column (``columns``).
    """

    file: str
    number: int
    unit: str = "row"
    sheet: str = ""
    columns: tuple[tuple[str, str], ...] = ()

    def at(self, column: str | None = None) -> str:
        """The row ("row 7", "line 7", "sheet 台账, row 7"), or a spreadsheet's cell ("台账!D7")."""
        if self.sheet:
            letter = dict(self.columns).get(column or "")
            return f"{self.sheet}!{letter}{self.number}" if letter else f"sheet {self.sheet}, row {self.number}"
        return f"{self.unit} {self.number}"


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
    place: Place | None = field(default=None, compare=False, repr=False)
