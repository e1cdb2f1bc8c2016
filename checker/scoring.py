"""The 100-point assessment (百分制考核评估): a declarative scheme applied to a check's findings.

The scheme is data (``rules/scoring/default.yaml``, changed per unit under ``score:`` in
lianfang.yaml): items with their points, the rules each item answers for (codes, or a
family letter for every rule of the family not named elsewhere), what an open finding
deducts by status, a cap per rule within an item and a floor per item. The score is
computed from the same findings ``lianfang check`` reports, waivers applied: a waived
finding deducts nothing. Every deduction keeps its finding (rule, subject, period or
trigger, status) and the clause of the plan it comes from.

Scores by department and by post follow the accountable chain upwards: a risk point's
finding counts for the post or department that owns it, a person's for the posts they hold
and their department, a post's for its department (``Workspace.department_of``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lianfang.checker.findings import Finding, Status
from lianfang.checker.run import CheckResult
from lianfang.models.config import Config, DeductibleStatus
from lianfang.models.errors import InputError, InputProblem, suggest
from lianfang.models.workspace import Workspace, _problem_from_pydantic, read_yaml
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue
from lianfang.rules.schema import Text

#: beside the shipped rule pack, outside it: the catalogue reads every YAML file of rules/pack/
SCHEME_PATH = SHIPPED_PACK.parent / "scoring" / "default.yaml"
SCHEME_DISPLAY = "rules/scoring/default.yaml"
TOTAL = Decimal(100)
RULE_REF = re.compile(r"^[SRGKT]([1-9]\d\d)?$")

By = Literal["unit", "department", "post"]


#: a title in both languages, as a rule's (``title: {zh: …, en: …}``)
Words = Text


class SchemeItem(BaseModel):
    """One item of the scheme: its points and the rules whose findings deduct from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Words
    source: str = ""
    points: float = Field(ge=0)
    rules: list[str] = Field(min_length=1)
    #: per status, replacing the scheme's for this item's findings
    deductions: dict[DeductibleStatus, float] = {}
    #: the most one rule's findings may deduct from this item (None: no cap but the item's)
    rule_cap: float | None = Field(default=None, ge=0)
    #: the item's score never falls below this
    floor: float = Field(default=0, ge=0)


class Scheme(BaseModel):
    """A 100-point scheme, as written in its YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = 1
    title: Words
    deductions: dict[DeductibleStatus, float]
    items: list[SchemeItem] = Field(min_length=1)

    def item(self, item_id: str) -> SchemeItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def deduction(self, item: SchemeItem, status: str) -> Decimal:
        value = item.deductions.get(status, self.deductions.get(status, 0))  # type: ignore[call-overload]
        return _dec(value)


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def _num(value: Decimal) -> float | int:
    """A JSON number: 12 rather than 12.0, 12.5 as is."""
    return int(value) if value == value.to_integral_value() else float(value)


# ------------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadedScheme:
    scheme: Scheme
    #: rule code → item id, for every rule of the catalogue
    item_of: dict[str, str]
    #: item ids the workspace's lianfang.yaml changed
    overridden: tuple[str, ...]


def read_default_scheme() -> Scheme:
    problems: list[InputProblem] = []
    data = read_yaml(SCHEME_PATH, SCHEME_DISPLAY, problems)
    if data is None:
        raise InputError(problems)
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problem_from_pydantic(SCHEME_DISPLAY, "", e) for e in exc.errors()) from None


def apply_override(scheme: Scheme, config: Config) -> tuple[Scheme, tuple[str, ...]]:
    """The scheme with lianfang.yaml's ``score:`` changes; unknown item ids are bad input."""
    override = config.score
    problems: list[InputProblem] = []
    ids = [i.id for i in scheme.items]
    for item_id in override.items:
        if item_id not in ids:
            problems.append(
                InputProblem(
                    "lianfang.yaml",
                    f"key score.items.{item_id}",
                    f'unknown score item "{item_id}"{suggest(item_id, ids)}; the items are {", ".join(ids)}',
                    f"未知的考核项目“{item_id}”{suggest(item_id, ids, 'zh')}；考核项目有：{'、'.join(ids)}",
                )
            )
    if problems:
        raise InputError(problems)
    items = []
    for item in scheme.items:
        change = override.items.get(item.id)
        if change is not None:
            update = {k: v for k, v in change.model_dump().items() if v is not None}
            item = item.model_copy(update=update)
        items.append(item)
    deductions = {**scheme.deductions, **override.deductions}
    return scheme.model_copy(update={"items": items, "deductions": deductions}), tuple(override.items)


def load_scheme(config: Config, catalogue: Catalogue) -> LoadedScheme:
    """The scheme in force for a workspace: the default, its overrides, every rule mapped once."""
    scheme, overridden = apply_override(read_default_scheme(), config)
    where = "lianfang.yaml" if config.score.items or config.score.deductions else SCHEME_DISPLAY
    problems: list[InputProblem] = []
    total = sum((_dec(i.points) for i in scheme.items), Decimal(0))
    if total != TOTAL:
        listed = ", ".join(f"{i.id} {_num(_dec(i.points))}" for i in scheme.items)
        problems.append(
            InputProblem(
                where,
                "key score.items",
                f"the items' points add up to {_num(total)}, not 100 ({listed}); change them",
                f"各考核项目的分值合计为 {_num(total)}，不是 100（{listed}）；请调整",
            )
        )
    exact: dict[str, str] = {}
    family: dict[str, str] = {}
    for item in scheme.items:
        for ref in item.rules:
            if not RULE_REF.match(ref):
                problems.append(
                    InputProblem(
                        where,
                        f"key score.items.{item.id}.rules",
                        f'"{ref}" is neither a rule code (e.g. R201) nor a family letter (S, R, G, K, T)',
                        f"“{ref}”既不是规则代码（如 R201），也不是规则类别字母（S、R、G、K、T）",
                    )
                )
                continue
            table = exact if len(ref) > 1 else family
            if ref in table:
                problems.append(
                    InputProblem(
                        where,
                        f"key score.items.{item.id}.rules",
                        f'"{ref}" is already in item "{table[ref]}"; a rule counts in one item only',
                        f"“{ref}”已在考核项目“{table[ref]}”中；一条规则只计入一个考核项目",
                    )
                )
            table[ref] = item.id
        if item.floor > item.points:
            problems.append(
                InputProblem(
                    where,
                    f"key score.items.{item.id}.floor",
                    "the floor is above the item's points",
                    "最低分（floor）高于该项目的分值",
                )
            )
    item_of: dict[str, str] = {}
    for rule in catalogue.rules:
        item_id = exact.get(rule.code) or family.get(rule.code[0])
        if item_id is None:
            problems.append(
                InputProblem(
                    where,
                    "key score.items",
                    f"rule {rule.code} is in no item of the score scheme, so its findings would count nowhere; "
                    f"add it to an item's rules (e.g. score.items.{scheme.items[0].id}.rules)",
                    f"规则 {rule.code} 不属于考核方案的任何项目，其检查发现将不计分；"
                    f"请把它加入某一项目的 rules（如 score.items.{scheme.items[0].id}.rules）",
                )
            )
            continue
        item_of[rule.code] = item_id
    if problems:
        raise InputError(problems)
    return LoadedScheme(scheme, item_of, overridden)


# ------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Deduction:
    """What one open finding took off one item, and why."""

    item: str
    finding: Finding
    #: what the status is worth under the scheme
    nominal: Decimal
    #: what was taken off after the rule's cap and the item's floor
    points: Decimal

    @property
    def capped(self) -> bool:
        return self.points < self.nominal

    def to_json(self) -> dict[str, Any]:
        f = self.finding
        data: dict[str, Any] = {
            "item": self.item,
            "rule": f.rule,
            "title": f.title,
            "subject": f.subject,
            "subject_name": f.subject_name,
            "department": f.department,
            "period": f.period,
            "status": f.status.value,
            "points": _num(self.points),
            "nominal": _num(self.nominal),
            "capped": self.capped,
            "source": f.source,
            "accountable": list(f.accountable),
            "message": f.message,
        }
        if f.trigger is not None:
            data["trigger"] = f.trigger
        return data


@dataclass
class ItemScore:
    item: SchemeItem
    deductions: list[Deduction] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return _dec(self.item.points)

    @property
    def deducted(self) -> Decimal:
        return sum((d.points for d in self.deductions), Decimal(0))

    @property
    def score(self) -> Decimal:
        return self.points - self.deducted

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "title": self.item.title.get(lang),
            "source": self.item.source,
            "points": _num(self.points),
            "deducted": _num(self.deducted),
            "score": _num(self.score),
            "deductions": [d.to_json() for d in self.deductions],
        }


@dataclass
class Scorecard:
    """The score of the unit, a department or a post."""

    scope: By
    subject: str
    name: str
    items: list[ItemScore]
    #: findings a waiver in force covers: listed, deducting nothing
    waived: list[Finding]

    @property
    def total(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))

    @property
    def deductions(self) -> list[Deduction]:
        return [d for i in self.items for d in i.deductions]

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "subject": self.subject,
            "name": self.name,
            "total": _num(self.total),
            "items": [i.to_json(lang) for i in self.items],
            "waived": [_waived_json(f) for f in self.waived],
        }


def _waived_json(f: Finding) -> dict[str, Any]:
    data = {"rule": f.rule, "subject": f.subject, "period": f.period, "status": f.status.value, "points": 0}
    if f.trigger is not None:
        data["trigger"] = f.trigger
    if f.waiver:
        data["waived_status"] = f.waiver.get("waived_status")
        data["justification"] = f.waiver.get("justification")
    return data


def score_findings(loaded: LoadedScheme, findings: list[Finding], scope: By, subject: str, name: str) -> Scorecard:
    """Apply the scheme to ``findings`` (already the scope's), gravest first within each item."""
    scheme = loaded.scheme
    items = {i.id: ItemScore(i) for i in scheme.items}
    by_rule: dict[tuple[str, str], Decimal] = {}
    for f in findings:  # the check's order: missed, failed, late, early, due soon
        if not f.is_open:
            continue
        item_id = loaded.item_of.get(f.rule)
        if item_id is None:
            continue
        score = items[item_id]
        nominal = scheme.deduction(score.item, f.status.value)
        if nominal <= 0:
            continue
        allowed = score.score - _dec(score.item.floor)
        if score.item.rule_cap is not None:
            allowed = min(allowed, _dec(score.item.rule_cap) - by_rule.get((item_id, f.rule), Decimal(0)))
        points = max(Decimal(0), min(nominal, allowed))
        by_rule[(item_id, f.rule)] = by_rule.get((item_id, f.rule), Decimal(0)) + points
        score.deductions.append(Deduction(item_id, f, nominal, points))
    waived = [f for f in findings if f.status == Status.WAIVED]
    return Scorecard(scope, subject, name, list(items.values()), waived)


def _post_findings(ws: Workspace, post_id: str, findings: list[Finding]) -> list[Finding]:
    post = ws.posts[post_id]

    def mine(subject: str) -> bool:
        if subject == post_id or (post.holder is not None and subject == post.holder):
            return True
        risk = ws.risk_points.get(subject)
        return risk is not None and risk.owner == post_id

    return [f for f in findings if mine(f.subject)]


def scorecards(result: CheckResult, loaded: LoadedScheme, by: By = "unit") -> list[Scorecard]:
    """The unit's scorecard, or one per department or per post (in org.yaml's order)."""
    ws = result.workspace
    findings = result.findings
    if by == "unit":
        unit = ws.org.unit
        return [score_findings(loaded, findings, "unit", unit.id, unit.name)]
    if by == "department":
        return [
            score_findings(loaded, [f for f in findings if f.department == d.id], "department", d.id, d.name)
            for d in ws.org.departments
        ]
    return [score_findings(loaded, _post_findings(ws, p.id, findings), "post", p.id, p.name) for p in ws.org.posts]


def score_json(result: CheckResult, loaded: LoadedScheme, cards: list[Scorecard], by: By) -> dict[str, Any]:
    """The complete JSON form: the unit's ``total`` and items, and the cards asked for."""
    from lianfang import __version__

    lang = result.lang
    unit_card = cards[0] if by == "unit" else scorecards(result, loaded, "unit")[0]
    scheme = loaded.scheme
    data: dict[str, Any] = {
        "tool": {"name": "lianfang", "version": __version__},
        "scheme": {
            "title": scheme.title.get(lang),
            "version": scheme.version,
            "overridden": list(loaded.overridden),
            "deductions": {k: _num(_dec(v)) for k, v in scheme.deductions.items()},
        },
        "as_of": result.as_of.isoformat(),
        "year": result.workspace.year,
        "unit": {"id": result.workspace.org.unit.id, "name": result.workspace.org.unit.name},
        "by": by,
        "total": _num(unit_card.total),
        "items": [i.to_json(lang) for i in unit_card.items],
        "deductions": [d.to_json() for d in unit_card.deductions],
        "waived": [_waived_json(f) for f in unit_card.waived],
    }
    if by != "unit":
        data["scores"] = [c.to_json(lang) for c in cards]
    return data


EXPLAIN = {
    "zh": {
        "intro": (
            "每个考核项目以其分值起算；检查发现的每个未结问题按其状态扣分（项目可另定扣分标准）；"
            "同一规则在一个项目内的扣分不超过“单条规则上限”，项目得分不低于“保底分”。"
            "已豁免、已完成和未到期的事项不扣分。各项目分值之和为 100。"
        ),
        "deductions": "每个未结问题的扣分（按状态）",
        "items": "考核项目",
        "rules": "规则",
        "own": "本项扣分",
        "cap": "单条规则上限",
        "floor": "保底分",
        "override": (
            "单位可在 lianfang.yaml 中调整，例如：\n"
            "  score:\n"
            "    deductions: {late: 0.5}\n"
            "    items:\n"
            "      diaries: {points: 20, rule_cap: 6}\n"
            "      schedule: {points: 15}\n"
            "各项分值之和须仍为 100；每条规则只能属于一个项目。出处：实施方案 五(五)，安排表 S122。"
        ),
    },
    "en": {
        "intro": (
            "Each item starts at its points; every open finding of the check deducts by its status "
            "(an item may set its own rates); one rule's deductions within an item stop at the rule cap, "
            "and an item never falls below its floor. Waived, satisfied and pending obligations deduct "
            "nothing. The items' points add up to 100."
        ),
        "deductions": "Deduction per open finding, by status",
        "items": "Items",
        "rules": "rules",
        "own": "own deductions",
        "cap": "rule cap",
        "floor": "floor",
        "override": (
            "A unit changes it in lianfang.yaml, e.g.:\n"
            "  score:\n"
            "    deductions: {late: 0.5}\n"
            "    items:\n"
            "      diaries: {points: 20, rule_cap: 6}\n"
            "      schedule: {points: 15}\n"
            "The points must still add up to 100; a rule belongs to one item only. "
            "Source: the plan, 五(五); the schedule's S122."
        ),
    },
}


def explain_scheme(lang: str, scheme: Scheme | None = None) -> str:
    """The scheme as ``lianfang explain score`` prints it."""
    scheme = scheme or read_default_scheme()
    w = EXPLAIN[lang]
    rates = ", ".join(f"{k} {_num(_dec(v))}" for k, v in scheme.deductions.items())
    lines = [scheme.title.get(lang), "", w["intro"], "", f"## {w['deductions']}", rates, "", f"## {w['items']}"]
    for item in scheme.items:
        lines.append(f"{item.id}  {item.title.get(lang)}  {_num(_dec(item.points))}  ({item.source})")
        facts = [f"{w['rules']}: {', '.join(item.rules)}"]
        if item.deductions:
            facts.append(f"{w['own']}: " + ", ".join(f"{k} {_num(_dec(v))}" for k, v in item.deductions.items()))
        if item.rule_cap is not None:
            facts.append(f"{w['cap']}: {_num(_dec(item.rule_cap))}")
        if item.floor:
            facts.append(f"{w['floor']}: {_num(_dec(item.floor))}")
        lines.append("    " + "; ".join(facts))
    lines += ["", w["override"]]
    return "\n".join(lines)
