"""org.yaml: the unit, its people, departments and posts."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from lianfang.models.dates import OfficeDate

Id = str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Unit(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    short_name: str | None = None
    main_leader: Id = Field(min_length=1)
    #: the leader in charge of this programme (分管领导), accountable for the unit's obligations
    programme_leader: Id = Field(min_length=1)
    #: members of the leading group (领导小组), optional
    leading_group: list[Id] = []


class Person(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    title: str = ""
    role: Literal["leader", "staff"] = "staff"
    since: OfficeDate | None = None
    until: OfficeDate | None = None

    def active_during(self, start: date, end: date) -> bool:
        """Whether the person was in office for any day of [start, end]."""
        return (self.since is None or self.since <= end) and (self.until is None or self.until >= start)


class Department(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    head: Id | None = None
    leader_in_charge: Id | None = None
    key: StrictBool = False
    note: str = ""


class Post(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    department: Id = Field(min_length=1)
    holder: Id | None = None
    key: StrictBool = False


class Org(Strict):
    unit: Unit
    people: list[Person]
    departments: list[Department]
    posts: list[Post] = []
