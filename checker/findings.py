"""A finding: the status of one obligation or register check, as of a date (SPEC §3, §5)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar

# the labels live in one catalogue (checker/labels.py); kept importable from here
from lianfang.checker.labels import SEVERITY_LABELS, STATUS_LABELS

__all__ = ["OPEN_STATUSES", "SEVERITY_LABELS", "STATUS_LABELS", "Finding", "Severity", "Status"]


class Status(StrEnum):
    SATISFIED = "satisfied"
    LATE = "late"
    EARLY = "early"
    MISSED = "missed"
    DUE_SOON = "due_soon"
    PENDING = "pending"
    FAILED = "failed"
    #: the obligation cannot be decided (checkov's UNKNOWN): never a pass, its reason is said
    UNKNOWN = "unknown"
    WAIVED = "waived"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


#: statuses listed by default (SPEC §5: every obligation that is not satisfied or pending)
OPEN_STATUSES = {Status.LATE, Status.EARLY, Status.MISSED, Status.DUE_SOON, Status.FAILED, Status.UNKNOWN}


@dataclass(frozen=True, init=False)
class Finding:
    """One line of the check's report; immutable, comparable, JSON-ready."""

    rule: str
    status: Status
    severity: Severity
    subject: str
    subject_name: str
    department: str | None
    period: str | None
    due: date | None
    evidence: tuple[str, ...]
    accountable: tuple[str, ...]
    source: str
    message: str
    title: str
    trigger: str | None = None
    #: the short form of ``message`` for tables: what the other columns do not already say
    detail: str = field(default="", compare=False)
    #: set when a waiver applies (issue 4); the waiver's fields for every output
    waiver: dict[str, Any] | None = field(default=None, compare=False)
    #: the finding's item of ``--format json`` (checker/report/json_report.py: its lines between
    #: the braces, escaped), on a finding made by a share of a large check (checker/shares.py),
    #: which sends that instead of the evidence ids; ``evidence`` is read from it when first
    #: asked for (``__getattr__``). Any other finding has none (this class attribute).
    json_item: ClassVar[bytes | None] = None

    def __init__(
        self,
        rule: str,
        status: Status,
        severity: Severity,
        subject: str,
        subject_name: str,
        department: str | None,
        period: str | None,
        due: date | None,
        evidence: tuple[str, ...],
        accountable: tuple[str, ...],
        source: str,
        message: str,
        title: str,
        trigger: str | None = None,
        detail: str = "",
        waiver: dict[str, Any] | None = None,
    ) -> None:
        # a frozen dataclass's own __init__ looks up object.__setattr__ again for each of the
        # 16 fields; looked up once here (~25% less for a city's 185k findings). Not through
        # self.__dict__, which would give each finding a dict of its own (~290 bytes more).
        # tests/test_findings.py holds these fields and the dataclass's in step.
        set_field = object.__setattr__
        set_field(self, "rule", rule)
        set_field(self, "status", status)
        set_field(self, "severity", severity)
        set_field(self, "subject", subject)
        set_field(self, "subject_name", subject_name)
        set_field(self, "department", department)
        set_field(self, "period", period)
        set_field(self, "due", due)
        set_field(self, "evidence", evidence)
        set_field(self, "accountable", accountable)
        set_field(self, "source", source)
        set_field(self, "message", message)
        set_field(self, "title", title)
        set_field(self, "trigger", trigger)
        set_field(self, "detail", detail)
        set_field(self, "waiver", waiver)

    if not TYPE_CHECKING:  # (mypy would take any unknown attribute of a finding for this one)

        def __getattr__(self, name: str) -> Any:
            """The evidence of a finding received with its JSON item (``received``), read from
            that item once, when first asked for."""
            if name == "evidence" and self.json_item is not None:
                import orjson

                evidence = tuple(orjson.loads(b"{" + self.json_item + b"}")["evidence"])
                object.__setattr__(self, "evidence", evidence)
                return evidence
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def key(self) -> str:
        """A stable identity: rule, subject and period or trigger."""
        return f"{self.rule}:{self.subject}:{self.trigger or self.period or ''}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def json_fields(self) -> dict[str, Any]:
        """``to_json``'s keys, each value as the finding holds it (the status and severity as
        StrEnums, the due date as a date, tuples): for orjson, which writes them as ``to_json``'s
        values. Half the time of ``to_json`` for a city's 185k findings (``--format json``)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "title": self.title,
            "status": self.status,
            "severity": self.severity,
            "subject": self.subject,
            "subject_name": self.subject_name,
            "department": self.department,
            "period": self.period,
            "due": self.due,
            "evidence": self.evidence,
            "accountable": self.accountable,
            "source": self.source,
            "message": self.message,
        }
        if self.trigger is not None:
            data["trigger"] = self.trigger
        if self.waiver is not None:
            data["waiver"] = self.waiver
        return data

    def without_evidence(self) -> tuple[Any, ...]:
        """Every field but ``evidence``, in order: what a share sends of a finding beside its
        JSON item (``received`` makes the finding again)."""
        return _ALL_BUT_EVIDENCE(self)

    @classmethod
    def received(cls, values: tuple[Any, ...], json_item: bytes) -> Finding:
        """The finding ``without_evidence`` gave ``values`` of, whose JSON item is ``json_item``."""
        finding = object.__new__(cls)
        # its dict filled at once: half the time of setting each field (a city's share sends 92k),
        # for ~290 bytes more than ``__init__``'s finding (a dict of its own)
        fields_of = finding.__dict__
        fields_of.update(zip(_NAMES_BUT_EVIDENCE, values, strict=True))
        fields_of["json_item"] = json_item
        return finding

    def to_json(self) -> dict[str, Any]:
        """The finding as plain JSON values (strings, lists, None), for any JSON writer."""
        data = self.json_fields()
        # str() of a StrEnum is its value (Enum's .value property is slow on 3.11: 185k findings)
        data["status"] = str(self.status)
        data["severity"] = str(self.severity)
        data["due"] = self.due.isoformat() if self.due else None
        data["evidence"] = list(self.evidence)
        data["accountable"] = list(self.accountable)
        return data


_NAMES_BUT_EVIDENCE = tuple(f.name for f in fields(Finding) if f.name != "evidence")
_ALL_BUT_EVIDENCE = attrgetter(*_NAMES_BUT_EVIDENCE)
