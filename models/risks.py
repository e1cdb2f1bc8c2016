"""risks.yaml: gradings (四评一审), risk points with measures, and power items."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import ConfigDict, Field
from pydantic import Strict as StrictType

from lianfang.models.dates import OfficeDate
from lianfang.models.org import Id, Strict

#: 一级, 二级, 三级; strict: ``true`` is not 1
Level = Annotated[int, StrictType(), Field(ge=1, le=3)]
PowerCategory = Literal["行政许可", "行政征收", "行政给付", "行政确认", "内部管理", "其他"]
POWER_CATEGORIES: tuple[str, ...] = get_args(PowerCategory)
#: the levels' names in both languages, the one place they are spelt: every output takes them
#: from ``checker.labels`` (which re-exports these), the models from here
LEVEL_NAMES: dict[str, dict[int, str]] = {
    "zh": {1: "一级", 2: "二级", 3: "三级"},
    "en": {1: "level 1", 2: "level 2", 3: "level 3"},
}
#: the Chinese names, which the rule messages and the exported graph's attributes use
LEVEL_LABELS = LEVEL_NAMES["zh"]
#: the stars a level shows with its name on the diagram and in the ledger (一级 ★★★)
LEVEL_STARS = {1: "★★★", 2: "★★", 3: "★"}


class Evaluations(Strict):
    """The four evaluations of 四评一审; any may be missing (then the grade is not in force)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    self_: OfficeDate | None = Field(default=None, alias="self")
    peer: OfficeDate | None = None
    public: OfficeDate | None = None
    collective: OfficeDate | None = None

    def dates(self) -> dict[str, date | None]:
        return {
            "self": self.self_,
            "peer": self.peer,
            "public": self.public,
            "collective": self.collective,
        }


class Grading(Strict):
    """A subject's level and its 四评一审 dates; which evaluations it needs and in what order is
    the rule catalogue's (rules/vocabulary.yaml ``grading``)."""

    subject: Id = Field(min_length=1)
    level: Level
    evaluations: Evaluations = Evaluations()
    review: OfficeDate | None = None


class Measure(Strict):
    description: str = Field(min_length=1)
    owner: Id | None = None


class RiskPoint(Strict):
    id: Id = Field(min_length=1)
    owner: Id = Field(min_length=1)
    category: str = ""
    description: str = ""
    #: 主要表现形式 — how the risk shows itself
    form: str = ""
    level: Level | None = None
    power_item: Id | None = None
    step: str | None = None
    measures: list[Measure] = []
    responsible: Id | None = None


class PowerItem(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    department: Id = Field(min_length=1)
    category: PowerCategory
    steps: list[str] = Field(min_length=1)


class Risks(Strict):
    gradings: list[Grading] = []
    risk_points: list[RiskPoint] = []
    powers: list[PowerItem] = []
