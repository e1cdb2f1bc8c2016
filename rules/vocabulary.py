"""The vocabulary a rule pack may use: the facts a register check matches and their fields.

The checker derives these facts from the workspace (``checker/stages/register_facts.py``); a rule refers to
them by name, so a new check of an existing shape is YAML only. Everything a rule names is
checked when the pack loads (``check_rule``): an unknown fact field, a reference to an alias
no earlier pattern defines, a message placeholder that would fail when the message is
written, a rule code that does not exist. A pack with such a rule is refused (``check``
exits 2 naming the pack file and the rule code) and ``lint`` reports it (L107): a rule
dropped or crashing at run time would read as a pass.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from lianfang.models.config import Config
from lianfang.rules.schema import Rule

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
        "evals_complete": "1 when all four evaluations (四评) are recorded",
        "reviewed": "1 when the party group's review (一审) is recorded",
        "review_after_evals": "1 when the review is dated after all four evaluations (the order of 四评一审)",
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
        "category_ok": "1 when the category is one its owner's type may use (SPEC §3.1 point 6)",
        "has_description": "1 when it has a description",
        "measures": "how many measures it has",
        "measures_with_owner": "how many of its measures name an owner",
        "power_item": "the power item it hangs on, or -",
        "attached": "1 when it hangs on a step of one of its own department's power items",
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


def title_problems(text: str) -> list[str]:
    """What is wrong with a title template: unknown words or a bad brace."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return [f"the title is not a valid template ({exc}); write a literal brace as {{{{ or }}}}"]
    return [
        f'title placeholder "{{{f}}}" is not one of {", ".join("{" + w + "}" for w in TITLE_WORDS)}'
        for f in fields
        if f not in TITLE_WORDS
    ]


def check_rule(rule: Rule, codes: Iterable[str]) -> list[tuple[str, str]]:
    """Every problem of one rule that the schema cannot see, as (key, message)."""
    known = set(codes)
    out: list[tuple[str, str]] = []
    for lang in ("zh", "en"):
        out += [(f"title.{lang}", problem) for problem in title_problems(rule.title.get(lang))]
    if rule.due_from is not None and rule.due_from.rule not in known:
        out.append(("due_from.rule", f'names the unknown rule "{rule.due_from.rule}"'))
    if rule.check is None:
        return out
    aliases: dict[str, str] = {}  # alias → fact type, of the patterns that are not absent
    for index, pattern in enumerate(rule.check.match):
        fields = FACT_FIELDS[pattern.fact]
        for where_key, where in [("where", pattern.where)] + [(f"any[{i}]", a) for i, a in enumerate(pattern.any)]:
            for name, spec in where.items():
                key = f"check.match[{index}].{where_key}.{name}"
                if name not in fields:
                    out.append((key, f'the fact "{pattern.fact}" has no field "{name}" ({", ".join(fields)})'))
                tests = spec if isinstance(spec, dict) and "ref" not in spec else {"eq": spec}
                for op, value in tests.items():
                    if op not in OPERATORS:
                        out.append((key, f'unknown operator "{op}" (use {", ".join(OPERATORS)})'))
                    if isinstance(value, dict):
                        problem = _reference(str(value.get("ref", "")), aliases, "reference")
                        if problem:
                            out.append((key, problem))
        if not pattern.absent and pattern.as_ is not None:
            aliases[pattern.as_] = pattern.fact
    problem = _reference(rule.check.subject, aliases, "subject")
    if problem:
        out.append(("check.subject", problem))
    for lang in ("zh", "en"):
        text = getattr(rule.check.message, lang)
        for problem in _placeholders(text, aliases):
            out.append((f"check.message.{lang}", problem))
    return out


def _reference(text: str, aliases: dict[str, str], what: str, shown: str | None = None) -> str | None:
    alias, _, field = text.partition(".")
    shown = shown or text
    if alias not in aliases or not field:
        return f'{what} "{shown}" names no earlier pattern (aliases: {", ".join(aliases) or "none"})'
    if field not in FACT_FIELDS[aliases[alias]]:
        fields = ", ".join(FACT_FIELDS[aliases[alias]])
        return f'{what} "{shown}": the fact "{aliases[alias]}" has no field "{field}" (it has {fields})'
    return None


def _placeholders(text: str, aliases: dict[str, str]) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [f"the message is not a valid template ({exc}); write a literal brace as {{{{ or }}}}"]
    out = []
    for _literal, field, _spec, _conversion in parsed:
        if field is None:
            continue
        problem = _reference(field, aliases, "placeholder", "{" + field + "}")
        if problem:
            out.append(problem)
    return out
