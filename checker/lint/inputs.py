"""Lint's input checks: the pack read leniently (schema first, dates afterwards) with the line
of every rule and key, the workspace's overrides applied (L106 an override of an unknown
rule), and what a rule refers to (L104 unknown prerequisite, L105 a cycle, L107 an unknown
fact, field, placeholder or rule)."""

from __future__ import annotations

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import yaml

from lianfang.checker.findings import Severity
from lianfang.checker.lint.findings import LintFinding
from lianfang.checker.lint.words import WORDS
from lianfang.models import yaml_safe
from lianfang.models.config import Config
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.files import cwd_path
from lianfang.models.workspace import _read_text
from lianfang.rules.catalogue import override_dates, read_rule_files
from lianfang.rules.schema import Rule
from lianfang.rules.vocabulary import check_rule


@dataclass(frozen=True)
class PackRule:
    """A rule as read from its file, with the lines of the keys lint talks about."""

    rule: Rule
    file: str
    line: int
    key_lines: dict[str, int]
    #: the rule as the pack wrote it, when a workspace override replaced its dates: the
    #: source's own (transcribed) dates are the pack's business, reported at the pack's lines
    pack: PackRule | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _rule_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """For every ``- code:`` item of ``rules:``: its line and the lines of its keys."""
    node = yaml_safe.top_level(text, "rules")
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for item in node.value if isinstance(node, yaml.SequenceNode) else []:
        code = (
            next((v.value for k, v in item.value if k.value == "code"), None)
            if isinstance(item, yaml.MappingNode)
            else None
        )
        if isinstance(code, str):
            out[code] = (item.start_mark.line + 1, yaml_safe.key_lines(item))
    return out


def read_pack(pack: Path) -> list[PackRule]:
    """Every rule of every file of ``pack``, schema-validated; dates are not judged here."""
    problems: list[InputProblem] = []
    out: list[PackRule] = []
    for path, display, rule_file in read_rule_files(pack, problems, display=cwd_path):
        text = _read_text(path, display, problems) or ""
        lines = _rule_lines(text)
        for rule in rule_file.rules:
            line, keys = lines.get(rule.code, (1, {}))
            out.append(PackRule(rule, display, line, keys))
    if problems:
        raise InputError(problems)
    return out


def _override_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """Lines of ``rules.CODE`` in lianfang.yaml and of its keys."""
    node = yaml_safe.top_level(text, "rules")
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(code.value): (code.start_mark.line + 1, yaml_safe.key_lines(body)) for code, body in node.value}


def apply_overrides(
    items: list[PackRule], config: Config, text: str, config_file: str, lang: str
) -> tuple[list[PackRule], list[LintFinding]]:
    """The rules in force for the workspace: disabled ones dropped, dates and severity replaced.

    Overridden dates are attributed to lianfang.yaml, where the user wrote them.
    """
    words = WORDS[lang]
    lines = _override_lines(text)
    by_code = {i.rule.code: i for i in items}
    findings: list[LintFinding] = []
    for code, override in config.rules.items():
        line, keys = lines.get(code, (1, {}))
        if code not in by_code:
            findings.append(
                LintFinding("L106", Severity.ERROR, config_file, line, words["override"].format(code=code), rule=code)
            )
            continue
        update = override_dates(override)
        if not override.enabled:
            del by_code[code]
        elif update:
            item = by_code[code]
            keys_here = {k: keys.get(k, line) for k in update}
            by_code[code] = PackRule(
                item.rule.model_copy(update=update),
                config_file,
                line,
                {**item.key_lines, **keys_here},
                pack=item.pack or item,
            )
    return list(by_code.values()), findings


def lint_pack_references(items: list[PackRule], lang: str) -> list[LintFinding]:
    """L104 unknown prerequisites, L105 circular ones, L107 what a rule names that does not
    exist (the check refuses such a pack, naming the same file and rule)."""
    words = WORDS[lang]
    rules = {i.rule.code: i for i in items}
    out: list[LintFinding] = []
    for code, item in rules.items():
        for key, problem_en, problem_zh in check_rule(item.rule, rules):
            out.append(
                LintFinding(
                    "L107",
                    Severity.ERROR,
                    item.file,
                    item.line_of(key.split(".")[0].split("[")[0]),
                    f"{code}.{key}: {problem_zh if lang == 'zh' else problem_en}",
                    rule=code,
                    clause=item.rule.source,
                )
            )
        for prereq in item.rule.after:
            if prereq not in rules:
                out.append(
                    LintFinding(
                        "L104",
                        Severity.ERROR,
                        item.file,
                        item.line_of("after"),
                        words["unknown"].format(code=code, prereq=prereq),
                        rule=code,
                        clause=item.rule.source,
                    )
                )
    graph = {code: [p for p in i.rule.after if p in rules] for code, i in rules.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = [str(c) for c in exc.args[1]]
        first = rules[cycle[0]]
        out.append(
            LintFinding(
                "L105",
                Severity.ERROR,
                first.file,
                first.line_of("after"),
                words["cycle"].format(cycle=" → ".join(cycle)),
                rule=cycle[0],
                clause=first.rule.source,
            )
        )
    return out
