"""The leading-group office's commands: ``report`` (the monthly report), ``score`` (the 100-point
assessment) and ``sample`` (the monthly diary spot check). Registered in ``checker.cli``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lianfang.checker.escape import json_text
from lianfang.checker.labels import count_label
from lianfang.checker.options import (
    EXIT_OK,
    cannot_write,
    check_options,
    db_option,
    echo_notices,
    echo_warning,
    echo_wrote,
    fail,
    fail_input,
    format_option,
    output_option,
    say,
)
from lianfang.checker.output import atomic_path, refuse_output
from lianfang.checker.progress import Progress
from lianfang.checker.result import CheckResult
from lianfang.models.errors import InputError

if TYPE_CHECKING:  # scoring is imported on use, as every command here imports its work
    from lianfang.checker.scoring import LoadedScheme


def checked(
    workspace: Path, as_of: date, lang: str, waivers_file: Path | None, progress: Progress | None = None
) -> CheckResult:
    """The check ``lianfang check`` makes, waivers applied: one computation for every output.

    Warnings about the user's files (unread files in records/, …) are printed as check prints them.
    """
    from lianfang.checker.run import check_with_waivers

    result = check_with_waivers(workspace, as_of, lang, waivers_file=waivers_file)
    if progress is not None:
        progress.done()  # a warning on a line of its own, not after the progress text
    echo_notices(result.notices(), lang)
    return result


def checked_and_scheme(
    workspace: Path, as_of: date, lang: str, waivers_file: Path | None, progress: Progress
) -> tuple[CheckResult, LoadedScheme]:
    """The check and the unit's scoring scheme, as report and score both need them; bad input
    ends the progress line and exits 2."""
    from lianfang.checker.scoring import load_scheme

    try:
        result = checked(workspace, as_of, lang, waivers_file, progress)
        return result, load_scheme(result.workspace.config, result.catalogue)
    except InputError as error:
        progress.done()
        fail_input(error)


def _output_kind(output: Path | None, fmt: str | None, allowed: dict[str, str], default: str) -> str:
    """The format asked for, or the one the output file's extension implies."""
    if fmt is not None:
        return fmt
    if output is None:
        return default
    suffix = output.suffix.lower()
    if suffix not in allowed:
        fail(
            f'cannot tell the format of "{output}" from its extension; use one of {", ".join(allowed)} or --format',
            f"无法从扩展名判断“{output}”的格式；请使用以下扩展名之一：{'、'.join(allowed)}，或用 --format",
        )
    return allowed[suffix]


# ---------------------------------------------------------------------------------- report


@click.command("report")
@check_options()
@output_option("FILE.html (one self-contained page) or FILE.pdf (the same page, A4).", required=True)
@db_option()
def report_command(
    workspace: Path, as_of: date | None, output: Path, lang: str, waivers_file: Path | None, db: str | None
) -> None:
    """The monthly report for the leading group: one HTML page that opens offline, or a PDF.

    Headline figures, a department × rule-family table, the trend since earlier checks (from
    the archive, where there is one), open findings by department with the people
    accountable, deadlines in the next 30 days, the 100-point scorecard, waivers in force and
    each department's network diagram — from the same check as `lianfang check`, waivers
    applied. The trend reads the checks saved with `lianfang check --save` (--db, as for the
    archive's commands). Exit codes: 0 written, 2 bad input.

    Example: lianfang report examples/dongying --as-of 2026-11-30 -o 月报-2026-11.html
    """
    from lianfang.checker.monthly.model import load_history
    from lianfang.checker.monthly.render import build_model, render_html, write_pdf
    from lianfang.graph import fonts

    refuse_output(output, workspace, waivers_file)
    kind = _output_kind(output, None, {".html": "html", ".htm": "html", ".pdf": "pdf"}, "html")
    day = as_of or date.today()
    with Progress("lianfang report") as progress:
        progress.step(say("checking…", "检查中…"))
        result, loaded = checked_and_scheme(workspace, day, lang, waivers_file, progress)
        progress.step(say("reading the check history…", "读取检查历史…"))
        try:
            runs = load_history(workspace, db)
        except InputError as error:
            progress.done()
            fail_input(error)
        font = fonts.choose_cjk_font()
        if font is None:
            progress.done()
            click.echo(fonts.missing_font_warning(lang), err=True)
        model = build_model(result, loaded, runs, font, progress.step)
        html = render_html(model, font)
        try:
            with atomic_path(output) as temp:
                if kind == "pdf":
                    progress.step(say("writing the PDF…", "写出 PDF…"))
                    write_pdf(html, temp)
                else:
                    temp.write_text(html, encoding="utf-8")
        except OSError as problem:
            progress.done()
            cannot_write(output, problem)
    for warning in model.diagram_problems:
        echo_warning(warning)
    opened = sum(model.by_status.values())
    score = f"{float(model.unit_card.total):g}"
    echo_wrote(
        output,
        f"{kind}; {count_label('open_finding', opened, 'en')}, score {score}, "
        f"{count_label('diagram', len(model.diagrams), 'en')}",
        f"{kind}；未结问题 {opened} 项，得分 {score}，网络图 {len(model.diagrams)} 幅",
    )
    sys.exit(EXIT_OK)


# ----------------------------------------------------------------------------------- score


@click.command("score")
@check_options()
@click.option(
    "--by",
    type=click.Choice(["unit", "department", "post"]),
    default="unit",
    show_default=True,
    help="One score for the unit, or one per department or post (following the accountable chain).",
)
@format_option(
    "table",
    "json",
    "xlsx",
    default="",
    help="table (default), json (every deduction), xlsx (needs -o); default from -o's extension.",
)
@output_option("Write to this file: FILE.json, FILE.xlsx or FILE.txt (the table).")
def score_command(
    workspace: Path,
    as_of: date | None,
    by: str,
    fmt: str | None,
    lang: str,
    waivers_file: Path | None,
    output: Path | None,
) -> None:
    """The 100-point assessment (百分制考核评估) of the programme, every deduction explained.

    Items and points come from the scheme (rules/scoring/default.yaml; a unit changes it
    under `score:` in lianfang.yaml; `lianfang explain score` prints it). Each open finding
    of the check deducts by its status; waived findings deduct nothing. --by department or
    post scores each along the accountable chain. Exit codes: 0 scored, 2 bad input.

    Example: lianfang score examples/dongying --as-of 2026-11-30 --by department
    """
    from lianfang.checker.score_output import write_table, write_xlsx
    from lianfang.checker.scoring import score_json, scorecards

    refuse_output(output, workspace, waivers_file)
    kind = _output_kind(output, fmt, {".json": "json", ".xlsx": "xlsx", ".txt": "table"}, "table")
    if kind == "xlsx" and output is None:
        fail(
            "--format xlsx writes a workbook: give the file with -o FILE.xlsx",
            "--format xlsx 写出工作簿：请用 -o FILE.xlsx 指定文件",
        )
    day = as_of or date.today()
    with Progress("lianfang score") as progress:
        progress.step(say("checking…", "检查中…"))
        result, loaded = checked_and_scheme(workspace, day, lang, waivers_file, progress)
        progress.step(say("scoring…", "评分中…"))
        cards = scorecards(result, loaded, by)  # type: ignore[arg-type]
    try:
        if kind == "xlsx":
            assert output is not None
            with atomic_path(output) as temp:
                write_xlsx(result, loaded, cards, by, temp)  # type: ignore[arg-type]
        elif kind == "json":
            text = json.dumps(score_json(result, loaded, cards, by), ensure_ascii=False, indent=2) + "\n"  # type: ignore[arg-type]
            text = json_text(text)
            if output is None:
                click.echo(text, nl=False)
            else:
                with atomic_path(output) as temp:
                    temp.write_text(text, encoding="utf-8")
        elif output is None:
            write_table(result, loaded, cards, by, sys.stdout)  # type: ignore[arg-type]
        else:
            with atomic_path(output) as temp, temp.open("w", encoding="utf-8") as stream:
                write_table(result, loaded, cards, by, stream)  # type: ignore[arg-type]
    except OSError as problem:
        cannot_write(Path(str(output)), problem)
    if output is not None:
        echo_wrote(output)
    sys.exit(EXIT_OK)


# ---------------------------------------------------------------------------------- sample


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from lianfang.checker.sampling import month_bounds

    if value is None:
        return None
    try:
        month_bounds(value)
    except ValueError:
        # a usage error, in click's words like every other (as --as-of's)
        raise click.BadParameter(f'"{value}" is not a month in the form YYYY-MM (e.g. 2026-11)') from None
    return value


@click.command("sample")
@check_options(as_of=None)
@click.option("--month", callback=_month, metavar="YYYY-MM", help="The month checked; default this month.")
@click.option("--size", type=click.IntRange(min=1), help="Draw this many people (the strata are never cut).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, max=1, min_open=True),
    help="Draw at least this share of the people (0–1; default spot_check_rate, 0.2).",
)
@click.option("--seed", help="The seed (any text); default derived from the unit id and the month, and printed.")
@format_option("table", "json")
@output_option("Write the checklist to fill in: FILE.xlsx or FILE.md.")
def sample_command(
    workspace: Path,
    month: str | None,
    size: int | None,
    rate: float | None,
    seed: str | None,
    fmt: str,
    lang: str,
    waivers_file: Path | None,
    output: Path | None,
) -> None:
    """Draw the people whose integrity diaries the office checks this month (每月一次抽查, R202).

    Reproducible: the same unit, month and seed give the same draw, and the seed is printed
    (by default derived from the unit id and the month: anyone can recompute it). Key
    posts' holders, key departments' heads and people with earlier diary findings (R201,
    R204) are always drawn; the rest are drawn at random up to the rate. With -o, writes a
    checklist that says how to record the results as diary_spot_check evidence.

    Example: lianfang sample examples/dongying --month 2026-11 -o 抽查-2026-11.xlsx
    """
    from lianfang.checker.sample_output import print_draw, write_markdown, write_xlsx
    from lianfang.checker.sampling import draw, month_bounds

    if size is not None and rate is not None:
        fail("give --size or --rate, not both", "--size 和 --rate 只能给一个")
    refuse_output(output, workspace, waivers_file)
    kind = None if output is None else _output_kind(output, None, {".xlsx": "xlsx", ".md": "md"}, "md")
    month = month or date.today().strftime("%Y-%m")
    first, _ = month_bounds(month)
    with Progress("lianfang sample") as progress:
        progress.step(say(f"checking as of {first}…", f"检查截至 {first}…"))
        try:
            result = checked(workspace, first, lang, waivers_file, progress)
        except InputError as error:
            progress.done()
            fail_input(error)
    drawn = draw(result, month, seed, size, rate)
    if fmt == "json":
        click.echo(json_text(json.dumps(drawn.to_json(), ensure_ascii=False, indent=2)))
    else:
        print_draw(drawn, result.workspace, lang, sys.stdout)
    if output is not None:
        try:
            with atomic_path(output) as temp:
                if kind == "xlsx":
                    write_xlsx(drawn, result.workspace, lang, temp)
                else:
                    write_markdown(drawn, result.workspace, lang, temp)
        except OSError as problem:
            cannot_write(output, problem)
        echo_wrote(output)
    sys.exit(EXIT_OK)
