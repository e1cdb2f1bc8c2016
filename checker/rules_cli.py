"""``lianfang rules`` and ``lianfang explain``: the rule catalogue and each rule's documentation.

Loaded by ``checker.cli`` only when one of them runs (see ``COMMANDS`` there).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from lianfang.checker.escape import json_text
from lianfang.checker.options import fail, fail_input, format_option, lang_option, workspace_option
from lianfang.models.errors import InputError
from lianfang.models.records import KIND_LABELS
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue, load_catalogue


def _catalogue(workspace: Path | None) -> Catalogue:
    try:
        if workspace is not None:
            from lianfang.checker.run import open_workspace

            return open_workspace(workspace)[1]
        return load_catalogue(SHIPPED_PACK)
    except InputError as error:
        fail_input(error)
        raise


def rule_summary(rule: Any, lang: str) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "title": rule.title.get(lang),
        "title_zh": rule.title.zh,
        "title_en": rule.title.en,
        "type": rule.type,
        "severity": rule.severity,
        "source": rule.source,
        "subjects": rule.subjects,
        "period": rule.period,
        "opens": rule.opens,
        "due": rule.due,
        "evidence": rule.evidence,
        "evidence_label": KIND_LABELS.get(rule.evidence, "") if rule.evidence else "",
        "params": list(rule.params),
    }


@click.command("rules")
@format_option("table", "json")
@lang_option()
@workspace_option(" whose rules in force to list (default: the shipped catalogue).", default=None)
def rules_command(fmt: str, lang: str, workspace: Path | None) -> None:
    """List the rule catalogue.

    Example: lianfang rules --format json
    """
    catalogue = _catalogue(workspace)
    if fmt == "json":
        click.echo(
            json_text(json.dumps([rule_summary(r, lang) for r in catalogue.rules], ensure_ascii=False, indent=2))
        )
        return
    from rich.console import Console
    from rich.table import Table

    from lianfang.checker.escape import rich_text
    from lianfang.checker.labels import TYPE_LABELS

    headers = ["代码", "名称", "标题", "类型", "来源"] if lang == "zh" else ["code", "name", "title", "type", "source"]
    table = Table(*headers, box=None)
    for rule in catalogue.rules:
        table.add_row(
            *(
                rich_text(c)
                for c in (rule.code, rule.name, rule.title.get(lang), TYPE_LABELS[lang][rule.type], rule.source)
            )
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)


@click.command()
@click.argument("code")
@lang_option()
def explain(code: str, lang: str) -> None:
    """Print a rule's documentation: what it checks, why, examples, parameters.

    `lianfang explain score` prints the 100-point assessment scheme.

    Example: lianfang explain G302
    """
    if code.lower() == "score":
        from lianfang.checker.scoring import explain_scheme

        click.echo(explain_scheme(lang))
        return
    from lianfang.checker.lint.findings import CHECKS as LINT_CHECKS

    if code.upper() in LINT_CHECKS:
        name, title_zh, title_en = LINT_CHECKS[code.upper()]
        lint_words = "`lianfang lint` 的检查" if lang == "zh" else "a check of `lianfang lint`"
        click.echo(f"{code.upper()} {title_zh if lang == 'zh' else title_en}  ({name}): {lint_words}")
        return
    catalogue = _catalogue(None)
    rule = catalogue.get(code.upper())
    if rule is None:
        from lianfang.models.errors import suggest

        hint = suggest(code.upper(), catalogue.codes)
        fail(f'unknown rule "{code}"{hint}; see `lianfang rules`', f"未知的规则“{code}”{hint}；见 `lianfang rules`")
    click.echo(explain_text(rule, lang))


SECTIONS = {
    "zh": ["检查内容", "为什么", "不通过的例子", "通过的例子", "出处", "参数", "适用对象", "周期", "证据类型", "时限"],
    "en": [
        "What it checks",
        "Why",
        "Failing example",
        "Passing example",
        "Source",
        "Parameters",
        "Subjects",
        "Period",
        "Evidence",
        "Dates",
    ],
}


def evidence_text(kind: str, lang: str) -> str:
    """Where a user records a rule's evidence: the spreadsheet way first."""
    from lianfang.rules.vocabulary import VOCABULARY

    if kind in VOCABULARY.derived_evidence:  # the grading in risks.yaml (S111)
        if lang == "en":
            return (
                "the subject's level and 四评一审 dates on its form (`lianfang forms export`, then "
                "`lianfang forms import`), kept in risks.yaml under gradings"
            )
        return "在一览表中填写本表的风险等级和四评一审日期（`lianfang forms export` 导出，填好后 `lianfang forms import` 导入），保存在 risks.yaml 的 gradings"
    label = KIND_LABELS.get(kind, kind)
    if lang == "en":
        return (
            f"{kind} — a ledger row in records/ (a workbook such as `lianfang records template` writes, or CSV) "
            f"whose 类型 (kind) is {label} or {kind}"
        )
    return f"{label}（{kind}）——在 records/ 的台账（`lianfang records template` 生成的工作簿，或 CSV）中记一行，“类型”填 {label}"


FIXTURE_NOTE = {
    "zh": (
        "以下是本规则的测试用例（rules/fixtures/{family}.yaml，测试逐条运行）：在基础单位"
        "（单位 u1；部室 dept-a、dept-b；岗位 post-a1、post-b1；领导 ldr-main、ldr-prog）上加入 records 中的记录，"
        "按 as_of 检查，应得到 expect 中的结果。"
    ),
    "en": (
        "The rule's test cases (rules/fixtures/{family}.yaml, each run by the tests): the base unit "
        "(unit u1; departments dept-a, dept-b; posts post-a1, post-b1; leaders ldr-main, ldr-prog) with the "
        "case's records, checked as of as_of, gives the findings under expect."
    ),
}


def explain_text(rule: Any, lang: str) -> str:
    """What ``explain`` prints: the rule's documented sections, then its fixture cases verbatim."""
    from lianfang.rules.cases import cases_for

    s = SECTIONS[lang]
    lines = [f"{rule.code} {rule.title.get(lang)}  ({rule.name})", ""]
    for heading, text in zip(s[:2], (rule.doc.checks, rule.doc.why), strict=True):
        lines += [f"## {heading}", text.get(lang).rstrip(), ""]
    cases = cases_for(rule.code)
    for heading, passing in ((s[2], False), (s[3], True)):
        chosen = [c for c in cases if c.passing == passing]
        lines += [f"## {heading}"]
        if chosen:
            lines += [FIXTURE_NOTE[lang].format(family=chosen[0].family), ""]
        for case in chosen:
            lines += [case.text, ""]
        if not chosen:
            lines += ["—", ""]
    lines += [f"## {s[4]}", rule.source, ""]
    facts = []
    if rule.subjects:
        from lianfang.rules.vocabulary import VOCABULARY

        sets = VOCABULARY.selectors.get(rule.subjects)
        union = f" ({' + '.join(sets)}, rules/vocabulary.yaml)" if sets and sets != [rule.subjects] else ""
        facts.append(f"{s[6]}: {rule.subjects}{union}")
    if rule.period:
        facts.append(f"{s[7]}: {rule.period}")
    if rule.evidence:
        facts.append(f"{s[8]}: {evidence_text(rule.evidence, lang)}")
    if rule.opens or rule.due:
        facts.append(f"{s[9]}: {rule.opens or ''}..{rule.due or ''}")
    if rule.code.startswith("G") and not rule.evidence:
        facts.append(
            "Kept in: the forms (`lianfang forms export`, filled in Excel or WPS, then `lianfang forms import`), "
            "or risks.yaml"
            if lang == "en"
            else "填写位置：一览表（`lianfang forms export` 导出，在 Excel/WPS 中填写，再 `lianfang forms import` 导入），或 risks.yaml"
        )
    if rule.lint:
        facts.append(
            "`lianfang lint` also runs this check on a workspace (as a warning)"
            if lang == "en"
            else "`lianfang lint` 也对工作区运行本检查（以警告报告）"
        )
    if facts:
        lines += [*facts, ""]
    lines += [f"## {s[5]}", ", ".join(rule.params) if rule.params else "—"]
    return "\n".join(lines)
