"""The ``lianfang`` command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO, cast

import click

from lianfang.checker.archive_cli import save_check, save_option
from lianfang.checker.escape import json_text, terminal_safe
from lianfang.checker.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    ExitContractGroup,
    as_of_option,
    check_options,
    debug_option,
    echo_notices,
    fail,
    fail_input,
    fail_on_option,
    format_option,
    lang_option,
    output_option,
    waivers_option,
    workspace_option,
)
from lianfang.checker.output import refuse_output
from lianfang.checker.report import FORMAT_MODULES
from lianfang.models.errors import InputError
from lianfang.models.limits import MAX_DAYS
from lianfang.models.records import KIND_LABELS
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue, load_catalogue


def _print_version(ctx: click.Context, value: bool) -> None:
    """``--version`` as click's ``version_option`` prints it; the version looked up only then."""
    if not value or ctx.resilient_parsing:
        return
    from lianfang import __version__

    click.echo(f"lianfang, version {__version__}")
    ctx.exit()


@click.group(cls=ExitContractGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx, value),
    help="Show the version and exit.",
)
@debug_option
def main() -> None:
    """lianfang (廉防): check an integrity-risk prevention and control programme.

    Example: lianfang check examples/dongying --as-of 2026-11-30
    """


@main.command()
@click.argument("workspaces", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@as_of_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMAT_MODULES)),
    default="table",
    show_default=True,
    help="table; json (complete); markdown; junit; sarif (SARIF 2.1.0); github (workflow annotations).",
)
@lang_option()
@click.option("--all", "show_all", is_flag=True, help="List satisfied and pending obligations too.")
@click.option(
    "--by-owner", is_flag=True, help="Group findings by accountable person, one section each (table, markdown, json)."
)
@waivers_option()
@fail_on_option("error", "Exit 1 when an open finding is at or above this severity.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0, max=MAX_DAYS),
    metavar="DAYS",
    help="Due-soon horizon in days (default: due_soon_days, 7).",
)
@output_option(
    "Write the report to a file instead of stdout (with several workspaces: a folder, one report per unit).",
    folder=True,
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    metavar="N",
    help="With several workspaces: worker processes of the local Dask cluster (default: one per CPU).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the units on this Dask cluster (tcp://host:8786) instead of a local one.",
)
@save_option
def check(
    workspaces: tuple[Path, ...],
    as_of: date | None,
    fmt: str,
    lang: str,
    show_all: bool,
    fail_on: str,
    due_within: int | None,
    output: Path | None,
    by_owner: bool,
    waivers_file: Path | None,
    save: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Run the monthly check: what is missed, late, early or due soon, and who is accountable.

    Waived findings are listed as waived and do not fail the run; expired and stale waivers
    are reported. Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad input or usage.

    Several workspaces are checked as one job on Dask distributed (a local cluster, or
    --scheduler ADDRESS): a roll-up by unit and status on stdout (--format json: one object
    with every unit's result), one report per unit in the folder -o DIR. Exit 2 if a unit
    could not be checked, else 1 if one has findings, else 0.

    Example: lianfang check examples/dongying --as-of 2026-11-30 --format sarif -o lianfang.sarif

    Example: lianfang check units/* --as-of 2026-11-30 --workers 4 -o reports/
    """
    from lianfang.checker.report import ReportOptions, writer_for
    from lianfang.checker.run import check_with_waivers

    day = as_of or date.today()
    if len(workspaces) > 1 or scheduler is not None:
        from lianfang.checker.units import UnitSettings, check_many

        if save:
            fail("--save records one unit's check in its archive; check the units one by one to save them")
        settings = UnitSettings(day, lang, fmt, show_all, by_owner, fail_on, due_within)
        sys.exit(check_many(list(workspaces or (Path("."),)), settings, output, workers, scheduler, waivers_file))
    workspace = workspaces[0] if workspaces else Path(".")
    refuse_output(output, workspace, waivers_file)
    if workers is not None:
        fail(
            "--workers sets the Dask workers of a check of several workspaces; one workspace is checked in this process",
            "--workers 用于同时检查多个工作区时 Dask 的工作进程数；单个工作区在本进程中检查",
        )
    if output is not None and output.is_dir():
        raise click.BadParameter(f"File '{output}' is a directory.", param_hint="'-o' / '--output'")
    try:
        result = check_with_waivers(workspace, day, lang, due_within, waivers_file)
    except InputError as error:
        fail_input(error)
        return
    echo_notices(result.notices(), lang)
    options = ReportOptions(show_all=show_all, by_owner=by_owner, fail_on=fail_on)
    if output is None:
        writer_for(fmt)(result, sys.stdout, options)
    else:
        from lianfang.checker.output import atomic_open

        try:
            with atomic_open(output, "w", encoding="utf-8", newline="\n") as stream:
                writer_for(fmt)(result, cast(TextIO, stream), options)
        except OSError as error:
            fail(
                f'cannot write "{output}": {error.strerror or error}', f"无法写入“{output}”：{error.strerror or error}"
            )
    if save:
        save_check(workspace, result, lang)
    sys.exit(exit_code([*result.open_findings(), *result.waiver_problems], fail_on))


def exit_code(findings: list[Any], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    threshold = 2 if fail_on == "error" else 1
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_OK


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


@main.command("rules")
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


@main.command()
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


@main.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(2000, 2100), default=date.today().year, show_default="this year")
def init(workspace: Path, year: int) -> None:
    """Start a new workspace: lianfang.yaml, org.yaml, risks.yaml and records/ from templates.

    Never overwrites: if any of the files exists, nothing is written.

    Example: lianfang init my-unit --year 2026
    """
    from lianfang.checker.scaffold import create_workspace, existing_files

    present = existing_files(workspace)
    if present:
        fail(
            f"{workspace}: {', '.join(present)} already exist; nothing written (choose an empty folder)",
            f"{workspace}：{'、'.join(present)} 已存在；未写入任何内容（请选择空文件夹）",
        )
    for path in create_workspace(workspace, year):
        click.echo(f"created {path}")
    click.echo(f"next: edit the files, then run: lianfang check {workspace}")


# Commands of the other pipeline ends register here.


@main.command("lint")
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option(
    "--pack",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Lint this rule pack (default: the workspace's rule_pack, else the shipped pack).",
)
@format_option("text", "json", "github")
@lang_option()
@fail_on_option("warning", "Exit 1 when a lint finding is at or above this severity (information never fails).")
def lint_command(workspace: Path | None, pack: Path | None, fmt: str, lang: str, fail_on: str) -> None:
    """Check the rule pack and the workspace beyond the schema.

    Dates that do not exist, windows that close before they open, a due date before a
    step it depends on; the source's own defective dates as information; subjects no rule
    covers, ungraded leaders, departments and posts, departments without a head, a key-post
    count that does not match. Exit codes: 0 clean (or only information), 1 findings at or
    above --fail-on, 2 bad input.

    Example: lianfang lint examples/dongying --fail-on error
    """
    from lianfang.checker.lint import as_json, lint, render_text
    from lianfang.checker.report.github import annotation

    try:
        result = lint(workspace, pack, lang)
    except InputError as error:
        fail_input(error)
        return
    if fmt == "json":
        click.echo(json_text(json.dumps(as_json(result), ensure_ascii=False, indent=2)))
    elif fmt == "github":
        commands = {"error": "error", "warning": "warning", "info": "notice"}
        for f in result.findings:
            text = f"{f.message} ({f.clause})" if f.clause else f.message
            click.echo(annotation(commands[f.severity.value], text, f.file, f.line, f"{f.code} {f.name}"))
    else:
        click.echo(terminal_safe(render_text(result)), nl=False)
    sys.exit(exit_code(result.findings, fail_on))


@main.command("calendar")
@check_options()
@click.option(
    "--remind",
    type=click.IntRange(min=0, max=MAX_DAYS),
    metavar="DAYS",
    help="Reminder this many days before each due date (default: due_soon_days, 7).",
)
@output_option("Write the .ics file here instead of stdout.")
def calendar_command(
    workspace: Path, as_of: date | None, lang: str, remind: int | None, waivers_file: Path | None, output: Path | None
) -> None:
    """Export every open or upcoming obligation as an iCalendar (.ics) event with a reminder.

    Missed, due-soon and pending obligations become all-day events on their due date,
    titled with status, rule and subject; waived ones are kept as cancelled events.

    Example: lianfang calendar examples/dongying --as-of 2026-11-30 -o lianfang.ics
    """
    from lianfang.checker.ics import build_calendar
    from lianfang.checker.run import check_with_waivers

    refuse_output(output, workspace, waivers_file)
    day = as_of or date.today()
    try:
        result = check_with_waivers(workspace, day, lang, waivers_file=waivers_file)
    except InputError as error:
        fail_input(error)
        return
    echo_notices(result.notices(), lang)
    days = result.workspace.config.params.due_soon_days if remind is None else remind
    data = build_calendar(result, days).to_ical()
    if output is None:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else click.echo(data.decode("utf-8"), nl=False)
    else:
        from lianfang.checker.output import atomic_open

        try:
            with atomic_open(output, "wb") as stream:
                stream.write(data)
        except OSError as error:
            fail(
                f'cannot write "{output}": {error.strerror or error}', f"无法写入“{output}”：{error.strerror or error}"
            )


from lianfang.graph.cli import graph_command  # noqa: E402

main.add_command(graph_command)

from lianfang.checker.forms.cli import forms_group, records_group  # noqa: E402

main.add_command(forms_group)
main.add_command(records_group)

from lianfang.checker.office_cli import report_command, sample_command, score_command  # noqa: E402

main.add_command(report_command)
main.add_command(score_command)
main.add_command(sample_command)

from lianfang.checker.archive_cli import archive_group, diff_command, history_command, record_group  # noqa: E402

main.add_command(record_group)
main.add_command(archive_group)
main.add_command(history_command)
main.add_command(diff_command)
