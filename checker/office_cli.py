"""The leading-group office's commands: ``report`` (the monthly report), ``score`` (the 100-point
assessment) and ``sample`` (the monthly diary spot check). Registered in ``checker.cli``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lianfang.checker.archive_cli import db_option
from lianfang.checker.escape import json_text
from lianfang.checker.options import (
    EXIT_OK,
    as_of_option,
    echo_notices,
    fail,
    fail_input,
    lang_option,
    waivers_option,
    workspace_argument,
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
        fail(f'cannot tell the format of "{output}" from its extension; use one of {", ".join(allowed)} or --format')
    return allowed[suffix]


# ---------------------------------------------------------------------------------- report


@click.command("report")
@workspace_argument
@as_of_option("Report as of this date (YYYY-MM-DD); default today.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.html (one self-contained page) or FILE.pdf (the same page, A4).",
)
@lang_option("Language of the report.")
@waivers_option()
@db_option
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
        progress.step("checking…")
        result, loaded = checked_and_scheme(workspace, day, lang, waivers_file, progress)
        progress.step("reading the check history…")
        try:
            runs = load_history(workspace, db)
        except InputError as error:
            progress.done()
            fail_input(error)
        font = fonts.choose_cjk_font()
        if font is None:
            progress.done()
            click.echo(fonts.missing_font_warning(), err=True)
        model = build_model(result, loaded, runs, font, progress.step)
        html = render_html(model, font)
        try:
            with atomic_path(output) as temp:
                if kind == "pdf":
                    progress.step("writing the PDF…")
                    write_pdf(html, temp)
                else:
                    temp.write_text(html, encoding="utf-8")
        except OSError as problem:
            progress.done()
            fail(f'cannot write "{output}": {problem.strerror or problem}')
    for warning in model.diagram_problems:
        click.echo(f"lianfang: warning: {warning}", err=True)
    opened = sum(model.by_status.values())
    click.echo(
        f"lianfang: wrote {output} ({kind}; {opened} open findings, score {float(model.unit_card.total):g}, "
        f"{len(model.diagrams)} diagrams)",
        err=True,
    )
    sys.exit(EXIT_OK)


# ----------------------------------------------------------------------------------- score


@click.command("score")
@workspace_argument
@as_of_option("Score the check as of this date (YYYY-MM-DD); default today.")
@click.option(
    "--by",
    type=click.Choice(["unit", "department", "post"]),
    default="unit",
    show_default=True,
    help="One score for the unit, or one per department or post (following the accountable chain).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "xlsx"]),
    help="table (default), json (every deduction), xlsx (needs -o); default from -o's extension.",
)
@lang_option()
@waivers_option()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
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
        fail("--format xlsx writes a workbook: give the file with -o FILE.xlsx")
    day = as_of or date.today()
    with Progress("lianfang score") as progress:
        progress.step("checking…")
        result, loaded = checked_and_scheme(workspace, day, lang, waivers_file, progress)
        progress.step("scoring…")
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
        fail(f'cannot write "{output}": {problem.strerror or problem}')
    if output is not None:
        click.echo(f"lianfang: wrote {output}", err=True)
    sys.exit(EXIT_OK)


# ---------------------------------------------------------------------------------- sample


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from lianfang.checker.sampling import month_bounds

    if value is None:
        return None
    try:
        month_bounds(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a month in the form YYYY-MM (e.g. 2026-11)') from None
    return value


@click.command("sample")
@workspace_argument
@click.option("--month", callback=_month, metavar="YYYY-MM", help="The month checked; default this month.")
@click.option("--size", type=click.IntRange(min=1), help="Draw this many people (the strata are never cut).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, max=1, min_open=True),
    help="Draw at least this share of the people (0–1; default spot_check_rate, 0.2).",
)
@click.option("--seed", help="The seed (any text); default derived from the unit id and the month, and printed.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option()
@waivers_option()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the checklist to fill in: FILE.xlsx or FILE.md.",
)
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
        fail("give --size or --rate, not both")
    refuse_output(output, workspace, waivers_file)
    kind = None if output is None else _output_kind(output, None, {".xlsx": "xlsx", ".md": "md"}, "md")
    month = month or date.today().strftime("%Y-%m")
    first, _ = month_bounds(month)
    with Progress("lianfang sample") as progress:
        progress.step(f"checking as of {first}…")
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
            fail(f'cannot write "{output}": {problem.strerror or problem}')
        click.echo(f"lianfang: wrote {output}", err=True)
    sys.exit(EXIT_OK)
