"""``lianfang check`` and ``lianfang calendar``: the check, shown as a report or as calendar events.

Loaded by ``checker.cli`` only when one of them runs (see ``COMMANDS`` there).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO, cast

import click

from lianfang.checker.options import (
    as_of_option,
    check_options,
    echo_notices,
    exit_code,
    fail,
    fail_input,
    fail_on_option,
    lang_option,
    leave,
    output_option,
    save_option,
    waivers_option,
)
from lianfang.checker.output import refuse_output
from lianfang.checker.report import FORMAT_MODULES
from lianfang.models.errors import InputError
from lianfang.models.limits import MAX_DAYS


@click.command()
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
        result = check_with_waivers(workspace, day, lang, due_within, waivers_file, json_items=fmt == "json")
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
        from lianfang.checker.archive_cli import save_check

        save_check(workspace, result, lang)
    leave(exit_code([*result.open_findings(), *result.waiver_problems], fail_on))


@click.command("calendar")
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
