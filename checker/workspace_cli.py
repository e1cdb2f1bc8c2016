"""``lianfang init`` and ``lianfang lint``: a workspace started from templates, and checked
beyond the schema before the check.

Loaded by ``checker.cli`` only when one of them runs (see ``COMMANDS`` there).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from lianfang.checker.escape import json_text, terminal_safe
from lianfang.checker.options import exit_code, fail, fail_input, fail_on_option, format_option, lang_option
from lianfang.models.errors import InputError


@click.command()
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


@click.command("lint")
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
