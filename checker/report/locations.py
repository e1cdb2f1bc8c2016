"""Where a finding lives in the workspace: the record that holds its evidence or trigger,
else the line of org.yaml or risks.yaml that defines its subject (SARIF and annotations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lianfang.checker.findings import Finding
from lianfang.checker.result import CheckResult
from lianfang.models.files import cwd_path
from lianfang.models.records import Record


@dataclass(frozen=True)
class Place:
    """A file of the workspace (relative to its root) and a 1-based line."""

    file: str
    line: int
    #: what is there: "evidence", "trigger" or "subject"
    role: str


def records_by_id(result: CheckResult) -> dict[str, Record]:
    """Build once per report: every record of the workspace by id (diary entries read in bulk,
    ``Workspace.counted``, looked up on demand)."""
    return _RecordIndex({r.id: r for r in result.workspace.records}, result.workspace.counted)


class _RecordIndex(dict[str, Record]):
    """Records by id; an id of an entry read in bulk becomes a Record with its place when asked."""

    def __init__(self, records: dict[str, Record], counted: Any):
        super().__init__(records)
        self._counted = counted

    def __missing__(self, record_id: str) -> Record:
        place = self._counted.place(record_id) if self._counted.size else None
        if place is None:
            raise KeyError(record_id)
        record = Record(record_id, "", date.min, "", file=place.file, line=place.number, place=place)
        self[record_id] = record
        return record

    def get(self, record_id: str, default: Any = None) -> Any:
        try:
            return self[record_id]
        except KeyError:
            return default

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None


def finding_places(result: CheckResult, finding: Finding, records: dict[str, Record]) -> list[Place]:
    """Every place worth pointing at, the most specific first; never empty."""
    ws = result.workspace
    places: list[Place] = []
    for record_id in finding.evidence:
        record = records.get(record_id)
        if record is not None and record.file:
            places.append(Place(record.file, record.line, "evidence"))
    if finding.trigger and finding.trigger in records:
        record = records[finding.trigger]
        places.append(Place(record.file, record.line, "trigger"))
    defined = ws.locations.get(finding.subject)
    if defined is not None:
        places.append(Place(defined.file, defined.line, "subject"))
    if not places:
        # nothing more specific: the configuration that makes the rule apply
        places.append(Place("lianfang.yaml", 1, "subject"))
    return list(dict.fromkeys(places))


def display_path(result: CheckResult, file: str) -> str:
    """A workspace file as seen from the current directory (see ``cwd_path``)."""
    return cwd_path(Path(result.workspace.root) / file)
