"""The vocabulary a rule pack may use: named, documented terms the YAML rules refer to.

Two halves. ``rules/vocabulary.yaml`` says what the derived terms *mean*: the risk categories
per owner type (G301's ``category_ok``, the forms' lists), the evaluations of 四评一审 and
their order (G302, S111), what "attached" is (G307), the evidence kinds derived from
risks.yaml (S111's ``grading``), the subject selectors (``key_subjects``: K401–K403 owe
nothing until a post or department is designated) and the accountable chains (T501). This
module reads it (``VOCABULARY``) and documents the facts a register check matches and their
fields (``FACT_FIELDS``), which the checker derives from the workspace
(``checker/stages/register_facts.py``). A rule refers to all of these by name, so a new rule
of an existing shape is YAML only. Everything a rule names is
checked when the pack loads (``check_rule``): an unknown fact field, a reference to an alias
no earlier pattern defines, a message placeholder that would fail when the message is
written, a rule code that does not exist. A pack with such a rule is refused (``check``
exits 2 naming the pack file and the rule code) and ``lint`` reports it (L107): a rule
dropped or crashing at run time would read as a pass.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from lianfang.models import yaml_safe
from lianfang.models.config import Config
from lianfang.models.risks import Grading
from lianfang.rules.schema import SPECIAL_SELECTORS, Rule

VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.yaml"

#: the sets of the workspace a selector is made of (``selectors`` in vocabulary.yaml)
SubjectSet = Literal["unit", "departments", "posts", "leaders", "people", "risk_points", "key_posts", "key_departments"]
#: the tiers a chain may name (``chains`` in vocabulary.yaml)
Tier = Literal["self", "department.head", "department.leader_in_charge", "unit.main_leader", "unit.programme_leader"]
#: the evaluations of 四评一审 a grading records (risks.yaml ``evaluations``)
Evaluation = Literal["self", "peer", "public", "collective"]


class _Terms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradingTerms(_Terms):
    """四评一审: the evaluations a grading needs (all of them), and the review after them."""

    evaluations: list[Evaluation] = Field(min_length=1)
    review_after_evaluations: bool

    def complete(self, grading: Grading) -> bool:
        """Every evaluation named here is recorded."""
        dates = grading.evaluations.dates()
        return all(dates[name] is not None for name in self.evaluations)

    def last(self, grading: Grading) -> date | None:
        """The date of the last of the evaluations named here that are recorded."""
        dates = grading.evaluations.dates()
        recorded = [d for name in self.evaluations if (d := dates[name]) is not None]
        return max(recorded) if recorded else None

    def in_order(self, grading: Grading) -> bool:
        """Complete, reviewed, and (if required) the review after the last evaluation."""
        last = self.last(grading)
        if not self.complete(grading) or grading.review is None or last is None:
            return False
        return grading.review > last if self.review_after_evaluations else True


class AttachmentTerms(_Terms):
    """G307's "attached": a power item and (``step_required``) a step; for the owner types in
    ``own_power_item`` the power item belongs to the owner."""

    step_required: bool
    own_power_item: list[Literal["department"]] = []


class DerivedEvidence(_Terms):
    """An evidence kind read from risks.yaml rather than records/ (S111's ``grading``)."""

    from_: Literal["gradings"] = Field(alias="from")
    dated_by: Literal["last_evaluation"]
    requires: Literal["all_evaluations"]


class ChainTerms(_Terms):
    """T501: a subject type's accountable tiers, nearest first, and how many answer for it."""

    tiers: list[Tier]
    own: int = Field(ge=1)
    without_department: list[Tier] = []


class Vocabulary(_Terms):
    """``rules/vocabulary.yaml``, validated."""

    categories: dict[Literal["post", "department", "unit", "leader"], list[str]]
    grading: GradingTerms
    attachment: AttachmentTerms
    derived_evidence: dict[str, DerivedEvidence]
    selectors: dict[str, list[SubjectSet]]
    chains: dict[Literal["post", "department", "unit", "leader", "person"], ChainTerms]

    @model_validator(mode="after")
    def _complete(self) -> Vocabulary:
        missing = {"post", "department", "unit", "leader"} - set(self.categories)
        if missing:
            raise ValueError(f"categories: no list for {', '.join(sorted(missing))}")
        for kind in ("post", "department", "unit", "leader", "person"):
            if kind not in self.chains:
                raise ValueError(f"chains: no chain for {kind}")
        for kind, terms in self.chains.items():
            lists = [terms.without_department] if kind == "person" else []
            if kind in ("unit", "leader"):
                lists.append(terms.tiers)
            if any(tier.startswith("department.") for tiers in lists for tier in tiers):
                raise ValueError(f"chains.{kind}: a {kind} has no department to name a tier of")
        clash = set(self.selectors) & set(SPECIAL_SELECTORS)
        if clash:
            raise ValueError(f"selectors: {', '.join(sorted(clash))} are reserved (event and escalation rules)")
        return self

    def categories_of(self, owner_type: str) -> frozenset[str]:
        """The categories a risk point of this owner type may use (none for another type)."""
        return frozenset(self.categories.get(owner_type, []))  # type: ignore[call-overload]

    @property
    def subject_selectors(self) -> list[str]:
        return [*self.selectors, *SPECIAL_SELECTORS]


@functools.cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """Read and validate the vocabulary; it ships with the package, so a bad one is a bug."""
    # libyaml's parser where PyYAML has it (models.yaml_safe): every command reads this file
    return Vocabulary.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_safe.SafeLoader))


VOCABULARY = load_vocabulary()

#: fact type → field → what it holds (the documentation ``explain`` and the README point to)
FACT_FIELDS: dict[str, dict[str, str]] = {
    "subject": {
        "id": "the id of a unit, department, post or leader",
        "type": "unit | department | post | leader",
        "name": "its name",
        "key": "1 for a key post or department (重点中层岗位、部室), else 0",
    },
    "department": {
        "id": "the department's id",
        "name": "its name",
        "has_head": "1 when org.yaml names its head",
        "has_leader_in_charge": "1 when org.yaml names its leader in charge",
    },
    "grading": {
        "subject": "the graded subject's id",
        "subject_name": "the graded subject's name",
        "level": "the level, 1..3",
        "level_name": "the level in words: 一级, 二级, 三级",
        "evals_complete": "1 when every evaluation of vocabulary.yaml grading.evaluations (四评) is recorded",
        "reviewed": "1 when the party group's review (一审) is recorded",
        "review_after_evals": "1 when complete, reviewed, and the review dated after the evaluations (四评一审)",
    },
    "risk_point": {
        "id": "the risk point's id",
        "name": "its description (or id)",
        "owner": "the owner's id",
        "owner_name": "the owner's name",
        "owner_type": "unit | department | post | leader | person",
        "level": "the level, 1..3, or 0 when none is given",
        "level_name": "the level in words (一级 …), empty when none is given",
        "category": "its category as written",
        "category_ok": "1 when vocabulary.yaml categories lists it for its owner's type (SPEC §3.1 point 6)",
        "has_description": "1 when it has a description",
        "measures": "how many measures it has",
        "measures_with_owner": "how many of its measures name an owner",
        "power_item": "the power item it hangs on, or -",
        "attached": "1 when it hangs on a power item (and step) as vocabulary.yaml attachment says",
    },
    "key_count": {"count": "how many posts and departments are designated key"},
    "param": {"name": "a policy parameter's name", "value": "its value"},
}
OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge")

#: what a rule's title may name: the unit's settings in lianfang.yaml (``settings``) and
#: parameters; e.g. ``报{leading_group}备案`` reads 报市领导小组备案 unless the unit says otherwise
TITLE_WORDS: dict[str, str] = {
    "leading_group": "settings.leading_group: the superior leading group (市领导小组)",
    "supervision_group": "settings.supervision_group: the superior supervision group (市督导组)",
    "website": "settings.website: where the unit publishes (市残联网站)",
    "key_post_count": "params.key_post_count: how many key posts and departments (12)",
}


def title_words(config: Config | None) -> dict[str, dict[str, str]]:
    """The values of ``TITLE_WORDS`` for a workspace (the defaults without one), per language."""
    config = config or Config(year=2000)
    settings = config.settings
    out: dict[str, dict[str, str]] = {}
    for lang in ("zh", "en"):
        out[lang] = {
            "leading_group": getattr(settings.leading_group, lang),
            "supervision_group": getattr(settings.supervision_group, lang),
            "website": getattr(settings.website, lang),
            "key_post_count": str(config.params.key_post_count),
        }
    return out


#: a problem as (English, Chinese): both go into the ``InputProblem``, ``--lang`` picks one
Problem = tuple[str, str]
WHAT_ZH = {"reference": "引用", "subject": "subject", "placeholder": "占位符"}


def title_problems(text: str) -> list[Problem]:
    """What is wrong with a title template: unknown words or a bad brace."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return [
            (
                f"the title is not a valid template ({exc}); write a literal brace as {{{{ or }}}}",
                f"标题不是有效的模板（{exc}）；字面的花括号请写成 {{{{ 或 }}}}",
            )
        ]
    words = ", ".join("{" + w + "}" for w in TITLE_WORDS)
    return [
        (f'title placeholder "{{{f}}}" is not one of {words}', f"标题占位符“{{{f}}}”不是以下之一：{words}")
        for f in fields
        if f not in TITLE_WORDS
    ]


def check_rule(rule: Rule, codes: Iterable[str]) -> list[tuple[str, str, str]]:
    """Every problem of one rule that the schema cannot see, as (key, English, Chinese)."""
    known = set(codes)
    out: list[tuple[str, str, str]] = []
    for lang in ("zh", "en"):
        out += [(f"title.{lang}", en, zh) for en, zh in title_problems(rule.title.get(lang))]
    if rule.due_from is not None and rule.due_from.rule not in known:
        code = rule.due_from.rule
        out.append(("due_from.rule", f'names the unknown rule "{code}"', f"引用了不存在的规则“{code}”"))
    if rule.subjects is not None and rule.subjects not in VOCABULARY.subject_selectors:
        selectors = ", ".join(VOCABULARY.subject_selectors)
        out.append(
            (
                "subjects",
                f'"{rule.subjects}" is not a selector of rules/vocabulary.yaml ({selectors})',
                f"“{rule.subjects}”不是 rules/vocabulary.yaml 中的对象选择（{selectors}）",
            )
        )
    if rule.type == "escalation" and rule.subjects not in (None, "escalation"):
        out.append(
            (
                "subjects",
                'an escalation applies to the escalated subject: write "subjects: escalation"',
                "升级规则适用于被升级的对象：请写 “subjects: escalation”",
            )
        )
    if rule.check is None:
        return out
    aliases: dict[str, str] = {}  # alias → fact type, of the patterns that are not absent
    for index, pattern in enumerate(rule.check.match):
        fields = FACT_FIELDS[pattern.fact]
        listed = ", ".join(fields)
        for where_key, where in [("where", pattern.where)] + [(f"any[{i}]", a) for i, a in enumerate(pattern.any)]:
            for name, spec in where.items():
                key = f"check.match[{index}].{where_key}.{name}"
                if name not in fields:
                    out.append(
                        (
                            key,
                            f'the fact "{pattern.fact}" has no field "{name}" ({listed})',
                            f"事实“{pattern.fact}”没有字段“{name}”（{listed}）",
                        )
                    )
                tests = spec if isinstance(spec, dict) and "ref" not in spec else {"eq": spec}
                for op, value in tests.items():
                    if op not in OPERATORS:
                        ops = ", ".join(OPERATORS)
                        out.append((key, f'unknown operator "{op}" (use {ops})', f"未知的运算符“{op}”（可用 {ops}）"))
                    if isinstance(value, dict):
                        problem = _reference(str(value.get("ref", "")), aliases, "reference")
                        if problem:
                            out.append((key, *problem))
        if not pattern.absent and pattern.as_ is not None:
            aliases[pattern.as_] = pattern.fact
    problem = _reference(rule.check.subject, aliases, "subject")
    if problem:
        out.append(("check.subject", *problem))
    for lang in ("zh", "en"):
        text = getattr(rule.check.message, lang)
        for en, zh in _placeholders(text, aliases):
            out.append((f"check.message.{lang}", en, zh))
    return out


def _reference(text: str, aliases: dict[str, str], what: str, shown: str | None = None) -> Problem | None:
    alias, _, field = text.partition(".")
    shown = shown or text
    what_zh = WHAT_ZH[what]
    if alias not in aliases or not field:
        names = ", ".join(aliases) or "none"
        return (
            f'{what} "{shown}" names no earlier pattern (aliases: {names})',
            f"{what_zh}“{shown}”没有指向前面的模式（别名：{', '.join(aliases) or '无'}）",
        )
    if field not in FACT_FIELDS[aliases[alias]]:
        fields = ", ".join(FACT_FIELDS[aliases[alias]])
        return (
            f'{what} "{shown}": the fact "{aliases[alias]}" has no field "{field}" (it has {fields})',
            f"{what_zh}“{shown}”：事实“{aliases[alias]}”没有字段“{field}”（它有 {fields}）",
        )
    return None


def _placeholders(text: str, aliases: dict[str, str]) -> list[Problem]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [
            (
                f"the message is not a valid template ({exc}); write a literal brace as {{{{ or }}}}",
                f"消息不是有效的模板（{exc}）；字面的花括号请写成 {{{{ 或 }}}}",
            )
        ]
    out = []
    for _literal, field, _spec, _conversion in parsed:
        if field is None:
            continue
        problem = _reference(field, aliases, "placeholder", "{" + field + "}")
        if problem:
            out.append(problem)
    return out
