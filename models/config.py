"""lianfang.yaml: the programme year, policy parameters and rule overrides."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, model_validator

from lianfang.models.dates import OfficeDate
from lianfang.models.limits import MAX_DAYS


class Params(BaseModel):
    """Policy parameters: every default of SPEC §2–§3, settable per workspace."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: first day from which recurring obligations are owed (default: Y-09-01)
    recurring_from: OfficeDate | None = None
    diary_min_entries_per_month: StrictInt = Field(default=4, ge=1, le=1000)
    due_soon_days: StrictInt = Field(default=7, ge=0, le=MAX_DAYS)
    key_post_count: StrictInt = Field(default=12, ge=0, le=100_000)
    #: 分级防控: how often a level-1 / level-2 risk point must be monitored / inspected
    level1_monitoring: Literal["month", "quarter", "half", "year"] = "month"
    level2_inspection: Literal["month", "quarter", "half", "year"] = "quarter"
    #: days allowed for an accountability action after a diary problem (R204) or escalation (T502)
    accountability_days: StrictInt = Field(default=30, ge=0, le=MAX_DAYS)
    key_matter_filing_days: StrictInt = Field(default=15, ge=0, le=MAX_DAYS)
    public_commitment_days: StrictInt = Field(default=30, ge=0, le=MAX_DAYS)
    topic_supervision_days: StrictInt = Field(default=30, ge=0, le=MAX_DAYS)
    year_end_assessment_days: StrictInt = Field(default=31, ge=0, le=MAX_DAYS)
    #: consecutive missed periods that escalate (T502)
    escalate_after_missed_periods: StrictInt = Field(default=2, ge=2, le=100)
    #: share of the people whose diaries the office spot-checks each month (R202, ``lianfang sample``);
    #: the plan says 每月一次抽查 but no rate: 0.2 is the product's default
    spot_check_rate: StrictFloat = Field(default=0.2, gt=0, le=1)


class TitleOverride(BaseModel):
    """A rule's title as this unit words it, in one language or both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str | None = Field(default=None, min_length=1)
    en: str | None = Field(default=None, min_length=1)


class RuleOverride(BaseModel):
    """Per-rule settings a workspace may change without editing the pack."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: StrictBool = True
    opens: str | None = None
    due: str | None = None
    severity: Literal["error", "warning"] | None = None
    title: TitleOverride | None = None


class Name(BaseModel):
    """A name in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Settings(BaseModel):
    """Words of the unit's own situation that rule titles use (``{leading_group}`` …).

    The shipped titles were written for a city federation (报市领导小组); a county unit or
    another body writes its own superior bodies here.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the superior leading group that receives filings (市领导小组)
    leading_group: Name = Name(zh="市领导小组", en="the city leading group")
    #: the superior supervision group (市督导组)
    supervision_group: Name = Name(zh="市督导组", en="the city supervision group")
    #: where the unit publishes (市残联网站)
    website: Name = Name(zh="市残联网站", en="the federation's website")


#: the statuses an open finding can have, the ones a score scheme may deduct for
DeductibleStatus = Literal["missed", "failed", "unknown", "late", "early", "due_soon"]


class ScoreItemOverride(BaseModel):
    """A unit's change to one item of the 100-point scheme (``score.items.ID``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    points: float | None = Field(default=None, ge=0)
    rules: list[str] | None = None
    deductions: dict[DeductibleStatus, float] | None = None
    rule_cap: float | None = Field(default=None, ge=0)
    floor: float | None = Field(default=None, ge=0)


class ScoreOverride(BaseModel):
    """``score:`` in lianfang.yaml: changes to the default 100-point scheme (百分制考核评估)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deductions: dict[DeductibleStatus, float] = {}
    items: dict[str, ScoreItemOverride] = {}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: StrictInt = Field(ge=2000, le=2100)
    params: Params = Params()
    #: a rule pack (folder of YAML files) replacing the shipped one, relative to the workspace
    rule_pack: str | None = None
    rules: dict[str, RuleOverride] = {}
    #: changes to the 100-point assessment scheme (``lianfang score``)
    score: ScoreOverride = ScoreOverride()
    #: the unit's own words that rule titles use (superior bodies, website)
    settings: Settings = Settings()

    @model_validator(mode="after")
    def _default_recurring_from(self) -> Config:
        if self.params.recurring_from is None:
            params = self.params.model_copy(update={"recurring_from": date(self.year, 9, 1)})
            object.__setattr__(self, "params", params)
        return self

    @property
    def recurring_from(self) -> date:
        assert self.params.recurring_from is not None
        return self.params.recurring_from
