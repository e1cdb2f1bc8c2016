"""The shape of a rule in a YAML rule pack.

A rule pack is a folder of YAML files, one per family (S, R, G, K, T). Each rule is data:
calendar terms for obligations, or engine patterns for register checks. Nothing in a pack
is executed; a malformed rule stops the run, because a dropped rule would read as a pass.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = r"^[SRGKT][1-9]\d\d$"
NAME_PATTERN = r"^[a-z]+(\.[a-z0-9-]+)+$"
PARAM_REF = re.compile(r"^param:([a-z_0-9]+)$")

#: who an obligation applies to; ``key_subjects`` are key posts and key departments
SubjectSelector = Literal[
    "unit",
    "departments",
    "posts",
    "leaders",
    "people",
    "posts_and_departments",
    "graded_subjects",
    "unit_and_leaders",
    "key_subjects",
    "risk_points",
    "trigger",
    "escalation",
]
PeriodKind = Literal["year", "half", "quarter", "month", "event"]
Severity = Literal["error", "warning"]


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class RuleDoc(BaseModel):
    """The fixed documentation sections every rule carries (``lianfang explain``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    checks: Text
    why: Text
    fail_example: Text
    pass_example: Text


class Transcription(BaseModel):
    """What the source document literally says, where the pack corrects it (for ``lint``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    opens: str | None = None
    due: str | None = None
    note: Text


class Counting(BaseModel):
    """Aggregation done before the engine: at least ``min`` records per subject and period."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min: int | str
    exclude_results: list[str] = []


class DueFrom(BaseModel):
    """A due date counted from another rule's evidence (K403 from S114's designation).

    SPEC §3.1 point 5: the clock starts on the date of the first record that matches
    ``rule`` for the programme year (by its period, or by its date when it has none; an
    early one counts), or, where none exists, on that rule's own due date. The obligation
    therefore always exists; the rule named here reports a missing record.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str = Field(pattern=CODE_PATTERN)
    offset_days: int | str


class Variant(BaseModel):
    """One arm of an obligation that differs by the subject's level (G305)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    level: Literal[1, 2, 3]
    period: PeriodKind | str
    evidence: str


Scalar = str | int | float | bool


class Pattern(BaseModel):
    """One fact pattern of a register check, compiled to a durable-rules pattern.

    ``where`` maps a field to a value (equality) or to ``{op: value}`` with op one of
    eq, ne, lt, le, gt, ge; a value ``{ref: alias.field}`` correlates with an earlier
    pattern. ``any`` holds alternatives of the same form, at least one of which must hold.
    ``absent: true`` makes it a negation: no such fact exists.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    fact: Literal["subject", "grading", "risk_point", "department", "key_count", "param"]
    as_: str | None = Field(default=None, alias="as", pattern=r"^[a-z]$")
    absent: bool = False
    where: dict[str, Any] = {}
    any: list[dict[str, Any]] = []

    @model_validator(mode="after")
    def _alias_unless_absent(self) -> Pattern:
        if not self.absent and self.as_ is None:
            raise ValueError("a pattern that is not absent needs `as` (a one-letter alias)")
        return self


class Check(BaseModel):
    """A register check: when every pattern matches, the check fails for ``subject``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    match: list[Pattern] = Field(min_length=1)
    #: ``alias.field`` naming the subject of the finding
    subject: str = Field(pattern=r"^[a-z]\.[a-z_]+$")
    message: Text

    @field_validator("match")
    @classmethod
    def _first_is_positive(cls, match: list[Pattern]) -> list[Pattern]:
        if match[0].absent:
            raise ValueError("the first pattern must not be absent (the engine needs a positive test)")
        return match


class Rule(BaseModel):
    """One rule of the catalogue (SPEC §2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(pattern=NAME_PATTERN)
    title: Text
    source: str = Field(min_length=1)
    type: Literal["obligation", "check", "escalation", "chain"]
    severity: Severity = "error"
    doc: RuleDoc
    params: list[str] = []

    # obligations
    subjects: SubjectSelector | None = None
    period: PeriodKind | None = None
    opens: str | None = None
    due: str | None = None
    due_offset_days: int | str = 0
    due_from: DueFrom | None = None
    evidence: str | None = None
    trigger: str | None = None
    counting: Counting | None = None
    variants: list[Variant] = []
    after: list[str] = []
    transcribed: Transcription | None = None

    # register checks
    check: Check | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.type == "obligation":
            missing = [k for k in ("subjects",) if getattr(self, k) is None]
            if self.period is None and not self.variants:
                missing.append("period")
            if self.evidence is None and not self.variants:
                missing.append("evidence")
            if missing:
                raise ValueError(f"an obligation needs {', '.join(missing)}")
            if self.period == "event" and self.trigger is None:
                raise ValueError("an event obligation needs `trigger` (the record kind that creates it)")
            if self.check is not None:
                raise ValueError("an obligation has no `check`")
        elif self.type == "check":
            if self.check is None:
                raise ValueError("a check needs `check`")
        elif self.type == "escalation" and self.evidence is None:
            raise ValueError("an escalation needs `evidence` (the record kind of the required action)")
        return self


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    family: Literal["S", "R", "G", "K", "T"]
    title: Text
    rules: list[Rule] = Field(min_length=1)
