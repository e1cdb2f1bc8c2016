"""Load a rule pack: validate every file, refuse duplicates, apply a workspace's overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from lianfang.models.calendar import month_day
from lianfang.models.config import Config, Params, RuleOverride
from lianfang.models.errors import InputError, InputProblem, suggest
from lianfang.models.records import EXTRA_KINDS
from lianfang.models.workspace import _problem_from_pydantic, read_yaml
from lianfang.rules.schema import PARAM_REF, Rule, RuleFile
from lianfang.rules.snapshot import load_snapshot, snapshot_data
from lianfang.rules.vocabulary import VOCABULARY, check_rule, title_problems, title_words

SHIPPED_PACK = Path(__file__).resolve().parent / "pack"
FAMILY_ORDER = "SRGKT"


@dataclass(frozen=True)
class Catalogue:
    """The rules in force for a run, in code order."""

    rules: tuple[Rule, ...]
    families: dict[str, RuleFile]
    #: rules a workspace disabled (``rules: {CODE: {enabled: false}}``), kept because another
    #: rule may still refer to their dates (K403's clock falls back on S114's due date)
    disabled: tuple[Rule, ...] = ()

    def get(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def get_any(self, code: str) -> Rule | None:
        """A rule in force or disabled: for references between rules."""
        return self.get(code) or next((r for r in self.disabled if r.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.rules]

    def evidence_kinds(self) -> set[str]:
        kinds = set(EXTRA_KINDS)
        for rule in self.rules:
            if rule.evidence:
                kinds.add(rule.evidence)
            if rule.trigger:
                kinds.add(rule.trigger)
            if rule.due_from:
                prerequisite = self.get_any(rule.due_from.rule)
                if prerequisite is not None and prerequisite.evidence:
                    kinds.add(prerequisite.evidence)
            kinds.update(v.evidence for v in rule.variants)
        # derived from risks.yaml, not read from records (rules/vocabulary.yaml)
        kinds.difference_update(VOCABULARY.derived_evidence)
        return kinds


def override_dates(override: RuleOverride) -> dict[str, str]:
    """What a workspace's ``rules: {CODE: …}`` replaces in a rule besides its title and
    whether it is enabled: its dates and severity (for ``check`` and ``lint`` alike)."""
    return {k: v for k, v in override.model_dump().items() if k in ("opens", "due", "severity") and v is not None}


def resolve_int(value: int | str, params: Params) -> int:
    """An integer field that may name a policy parameter (``param:accountability_days``)."""
    if isinstance(value, int):
        return value
    match = PARAM_REF.match(value)
    assert match, value  # validated on load
    return int(getattr(params, match.group(1)))


def resolve_str(value: str, params: Params) -> str:
    match = PARAM_REF.match(value)
    return str(getattr(params, match.group(1))) if match else value


def _check_params(rule: Rule, display: str, problems: list[InputProblem]) -> None:
    fields = set(Params.model_fields)
    values: list[tuple[str, object]] = [("due_offset_days", rule.due_offset_days)]
    if rule.counting:
        values.append(("counting.min", rule.counting.min))
    if rule.due_from:
        values.append(("due_from.offset_days", rule.due_from.offset_days))
    if rule.escalation:
        values.append(("escalation.consecutive_misses", rule.escalation.consecutive_misses))
    values += [(f"variants[{i}].period", v.period) for i, v in enumerate(rule.variants)]
    values += [(f"params[{i}]", f"param:{p}") for i, p in enumerate(rule.params)]
    for key, value in values:
        if isinstance(value, str) and not value.isdigit() and value not in ("year", "half", "quarter", "month"):
            match = PARAM_REF.match(value)
            if not match or match.group(1) not in fields:
                name = match.group(1) if match else value
                problems.append(
                    InputProblem(
                        display,
                        f"key {rule.code}.{key}",
                        f'unknown parameter "{name}"{suggest(name, fields)}',
                        zh=f"未知的参数“{name}”{suggest(name, fields, 'zh')}",
                    )
                )
    for key in ("opens", "due"):
        value = getattr(rule, key)
        if value is not None:
            try:
                month_day(2024, value)  # a leap year: 02-29 is a valid month-day
            except ValueError:
                problems.append(
                    InputProblem(
                        display,
                        f"key {rule.code}.{key}",
                        f'"{value}" is not a real month-day (MM-DD)',
                        zh=f"“{value}”不是真实的月日（MM-DD）",
                    )
                )


def pack_display(pack: Path, path: Path) -> str:
    return f"rules/{path.name}" if pack == SHIPPED_PACK else str(path)


def read_rule_files(
    pack: Path, problems: list[InputProblem], display: Callable[[Path], str]
) -> list[tuple[Path, str, RuleFile]]:
    """Every ``*.yaml`` of ``pack`` that reads and fits the schema; the others go to ``problems``.

    Month-days are not judged here (``load_catalogue`` refuses an impossible one, ``lint``
    reports it).
    """
    files = sorted(pack.glob("*.yaml")) if pack.is_dir() else []
    if not files:
        raise InputError(
            [
                InputProblem(
                    str(pack),
                    "",
                    "no rule files (*.yaml) found in the rule pack",
                    zh="规则包中没有规则文件（*.yaml）",
                )
            ]
        )
    out = []
    # the shipped pack as read, made beforehand (rules/snapshot.py): its YAML is not parsed again
    snapshot = load_snapshot() if pack.resolve() == SHIPPED_PACK else {}
    for path in files:
        shown = display(path)
        data = snapshot_data(snapshot, path) if snapshot else None
        if data is None:
            data = read_yaml(path, shown, problems)
        if data is None:
            continue
        try:
            out.append((path, shown, RuleFile.model_validate(data)))
        except ValidationError as exc:
            raw_rules = data.get("rules") if isinstance(data.get("rules"), list) else []
            for error in exc.errors():
                loc = list(error["loc"])
                # name a rule by its code, not by its position in the file
                if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and loc[1] < len(raw_rules):
                    code = raw_rules[loc[1]].get("code") if isinstance(raw_rules[loc[1]], dict) else None
                    if code:
                        error = {**error, "loc": (str(code), *loc[2:])}
                problems.append(_problem_from_pydantic(shown, "", error))
    return out


def load_catalogue(pack: Path = SHIPPED_PACK, config: Config | None = None) -> Catalogue:
    """Read every ``*.yaml`` of ``pack``; raise ``InputError`` naming each malformed rule."""
    problems: list[InputProblem] = []
    families: dict[str, RuleFile] = {}
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    files: dict[str, str] = {}  # rule code → the pack file it is in, for messages
    for _path, display, rule_file in read_rule_files(pack, problems, display=lambda p: pack_display(pack, p)):
        families[rule_file.family] = rule_file
        for rule in rule_file.rules:
            if rule.code[0] != rule_file.family:
                problems.append(
                    InputProblem(
                        display,
                        f"key {rule.code}",
                        f"rule of family {rule.code[0]} in the {rule_file.family} file",
                        zh=f"{rule.code[0]} 类的规则写在了 {rule_file.family} 类的文件中",
                    )
                )
            if rule.code in rules:
                problems.append(
                    InputProblem(
                        display,
                        f"key {rule.code}",
                        f'duplicate rule code "{rule.code}"',
                        zh=f"规则代码“{rule.code}”重复",
                    )
                )
            if rule.name in names:
                problems.append(
                    InputProblem(
                        display,
                        f"key {rule.code}.name",
                        f'duplicate rule name "{rule.name}" (also {names[rule.name]})',
                        zh=f"规则名称“{rule.name}”重复（{names[rule.name]} 也用了它）",
                    )
                )
            _check_params(rule, display, problems)
            rules[rule.code] = rule
            files[rule.code] = display
            names[rule.name] = rule.code
    for rule in rules.values():
        for key, message, message_zh in check_rule(rule, rules):
            problems.append(InputProblem(files[rule.code], f"key {rule.code}.{key}", message, zh=message_zh))
        if rule.due_from is not None:
            clock = rules.get(rule.due_from.rule)
            if clock is not None and (clock.due is None or clock.evidence is None):
                problems.append(
                    InputProblem(
                        files[rule.code],
                        f"key {rule.code}.due_from.rule",
                        f'"{clock.code}" has no fixed due date and evidence to count from',
                        zh=f"“{clock.code}”没有可供起算的固定截止日期和证据",
                    )
                )
        for prerequisite in rule.after:
            if prerequisite not in rules:
                problems.append(
                    InputProblem(
                        files[rule.code],
                        f"key {rule.code}.after",
                        f'unknown rule "{prerequisite}"{suggest(prerequisite, rules)}',
                        zh=f"未知的规则“{prerequisite}”{suggest(prerequisite, rules, 'zh')}",
                    )
                )
    disabled: dict[str, Rule] = {}
    if config is not None:
        for code, override in config.rules.items():
            if code not in rules:
                problems.append(
                    InputProblem(
                        "lianfang.yaml",
                        f"key rules.{code}",
                        f'unknown rule code "{code}"{suggest(code, rules)}; see `lianfang rules`',
                        zh=f"未知的规则代码“{code}”{suggest(code, rules, 'zh')}；见 `lianfang rules`",
                    )
                )
                continue
            update: dict[str, object] = dict(override_dates(override))
            if override.title is not None:
                title = {**rules[code].title.model_dump(), **override.title.model_dump(exclude_none=True)}
                for lang, text in title.items():
                    problems.extend(
                        InputProblem("lianfang.yaml", f"key rules.{code}.title.{lang}", en, zh=zh)
                        for en, zh in title_problems(text)
                    )
                update["title"] = title
            if update:
                try:
                    rules[code] = Rule.model_validate({**rules[code].model_dump(by_alias=True), **update})
                except ValidationError as exc:
                    problems.extend(_problem_from_pydantic("lianfang.yaml", f"rules.{code}", e) for e in exc.errors())
                for key in ("opens", "due"):
                    if update.get(key):
                        try:
                            month_day(config.year, str(update[key]))
                        except ValueError:
                            problems.append(
                                InputProblem(
                                    "lianfang.yaml",
                                    f"key rules.{code}.{key}",
                                    f'"{update[key]}" is not a real date in {config.year} (MM-DD)',
                                    zh=f"“{update[key]}”在 {config.year} 年不是真实日期（MM-DD）",
                                )
                            )
            if not override.enabled:
                disabled[code] = rules.pop(code)
    if problems:
        raise InputError(problems)
    words = title_words(config)
    rules = {code: _worded(rule, words) for code, rule in rules.items()}
    disabled = {code: _worded(rule, words) for code, rule in disabled.items()}
    ordered = sorted(rules.values(), key=lambda r: (FAMILY_ORDER.index(r.code[0]), r.code))
    return Catalogue(tuple(ordered), families, tuple(disabled.values()))


def _worded(rule: Rule, words: dict[str, dict[str, str]]) -> Rule:
    """The rule with its title in the unit's words (``{leading_group}`` → 市领导小组)."""
    title = {lang: rule.title.get(lang).format_map(words[lang]) for lang in ("zh", "en")}
    if title == rule.title.model_dump():
        return rule
    return rule.model_copy(update={"title": rule.title.model_copy(update=title)})
