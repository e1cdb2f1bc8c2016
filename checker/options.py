"""What every ``lianfang`` command shares: exit codes, input errors, and common options.

A module of its own so that ``checker.cli`` and ``graph.cli`` both import it, without a cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from models.errors import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """One line on stderr, ``lianfang: error: …``, and exit 2."""
    click.echo(f"lianfang: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def fail_input(error: InputError) -> NoReturn:
    """Print every input problem on stderr, one per line, and exit 2 (no traceback)."""
    for problem in error.problems:
        click.echo(f"lianfang: error: {problem}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a real date in the form YYYY-MM-DD') from None


workspace_argument = click.argument(
    "workspace", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)


def as_of_option(help: str = "Check as of this date (YYYY-MM-DD); default today.") -> Callable[[Any], Any]:
    return click.option("--as-of", callback=parse_date, metavar="DATE", help=help)


def lang_option(help: str = "Language of labels and messages.") -> Callable[[Any], Any]:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=help)


def fail_on_option(default: str, help: str) -> Callable[[Any], Any]:
    return click.option(
        "--fail-on", type=click.Choice(["error", "warning", "never"]), default=default, show_default=True, help=help
    )


def waivers_option(extra_help: str = "") -> Callable[[Any], Any]:
    return click.option(
        "--waivers",
        "waivers_file",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Waiver file (default: waivers.yaml in the workspace, if present)" + extra_help + ".",
    )
