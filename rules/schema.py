"""The shape of a rule in a YAML rule pack.

A rule pack is a folder of YAML files, one per family (S, R, G, K, T). Each rule is data:
calendar terms for obligations, or engine patterns for register checks. Nothing in a pack
is executed; a malformed rule stops the run, because a dropped rule would read as a pass.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lianfang.models.errors import Said

CODE_PATTERN = r"^[SRGKT][1-9]\d\d$"
NAME_PATTERN = r"^[a-z]+(\.[a-z0-9-]+)+$"
PARAM_REF = re.compile(r"^param:([a-z_0-9]+)$")

#: who an obligation applies to: a selector named in rules/vocabulary.yaml (``selectors``),
#: or one of these, which are not sets of the workspace: an event rule's trigger record's
#: subject, an escalation's escalated subject
SPECIAL_SELECTORS = ("trigger", "escalation")
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


class Escalation(BaseModel):
    """When a missed obligation escalates (T502) and how far.

    It escalates when it is missed in ``consecutive_misses`` consecutive periods of the same
    rule and subject, or when its subject's level (a risk point's, or a graded subject's
    grade in force) is one of ``subject_levels``. It then names ``tiers`` more tiers of the
    accountable chain and owes the rule's ``evidence`` within ``due_offset_days`` of the
    missed due date.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    consecutive_misses: int | str
    subject_levels: list[Literal[1, 2, 3]] = []
    tiers: int = Field(default=1, ge=1, le=5)


class Score(BaseModel):
    """The evidence's ``result`` is a score in ``min..max`` (S122's 百分制): a record with
    another result is bad input, refused when the workspace is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Score:
        if self.min > self.max:
            raise Said("score: min is above max", "score：min 大于 max")
        return self


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
            raise Said(
                "a pattern that is not absent needs `as` (a one-letter alias)",
                "不是 absent 的模式须有 `as`（一个字母的别名）",
            )
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
            raise Said(
                "the first pattern must not be absent (the engine needs a positive test)",
                "第一个模式不能是 absent（规则引擎需要一个肯定的条件）",
            )
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
    subjects: str | None = Field(default=None, pattern=r"^[a-z_]+$")
    period: PeriodKind | None = None
    opens: str | None = None
    due: str | None = None
    due_offset_days: int | str = 0
    due_from: DueFrom | None = None
    evidence: str | None = None
    trigger: str | None = None
    counting: Counting | None = None
    #: the evidence's result is a score in this range (S122)
    score: Score | None = None
    variants: list[Variant] = []
    after: list[str] = []
    transcribed: Transcription | None = None

    # register checks
    check: Check | None = None
    #: ``lianfang lint`` runs this register check on a workspace too (as a warning)
    lint: bool = False

    # escalations
    escalation: Escalation | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.type == "obligation":
            missing = [k for k in ("subjects",) if getattr(self, k) is None]
            if self.period is None and not self.variants:
                missing.append("period")
            if self.evidence is None and not self.variants:
                missing.append("evidence")
            if missing:
                raise Said(f"an obligation needs {', '.join(missing)}", f"义务规则须有 {'、'.join(missing)}")
            if self.period == "event" and self.trigger is None:
                raise Said(
                    "an event obligation needs `trigger` (the record kind that creates it)",
                    "事件义务须有 `trigger`（产生义务的记录类型）",
                )
            if self.check is not None:
                raise Said("an obligation has no `check`", "义务规则不能有 `check`")
        elif self.type == "check":
            if self.check is None:
                raise Said("a check needs `check`", "检查规则须有 `check`")
        elif self.type == "escalation":
            if self.evidence is None:
                raise Said(
                    "an escalation needs `evidence` (the record kind of the required action)",
                    "升级规则须有 `evidence`（所要求行动的记录类型）",
                )
            if self.escalation is None:
                raise Said(
                    "an escalation needs `escalation` (consecutive_misses, subject_levels, tiers)",
                    "升级规则须有 `escalation`（consecutive_misses、subject_levels、tiers）",
                )
        return self


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    family: Literal["S", "R", "G", "K", "T"]
    title: Text
    rules: list[Rule] = Field(min_length=1)
