"""The ``lianfang`` command line: the root group and where each command lives.

A command's module is imported only when that command runs (``lianfang check`` never loads the
archive, the forms or the diagram), so the table below keeps each command's one-line help for
``lianfang --help``; a test holds it equal to the command's own.
"""

from __future__ import annotations

import importlib
from gettext import gettext
from typing import NamedTuple

import click

from lianfang import __version__

# first: before anything builds a pydantic model (see there)
from lianfang.checker import startup  # noqa: F401
from lianfang.checker.options import ExitContractGroup, debug_option


class LazyCommand(NamedTuple):
    """Where a command is defined, and the first line of its help (what ``--help`` lists)."""

    module: str
    attribute: str
    help: str


#: every command: name → its module and attribute, and the first paragraph of its help
COMMANDS: dict[str, LazyCommand] = {
    "archive": LazyCommand(
        "lianfang.checker.archive_cli",
        "archive_group",
        "The risk information archive as a whole: export it, verify its hash chain.",
    ),
    "calendar": LazyCommand(
        "lianfang.checker.check_cli",
        "calendar_command",
        "Export every open or upcoming obligation as an iCalendar (.ics) event with a reminder.",
    ),
    "check": LazyCommand(
        "lianfang.checker.check_cli",
        "check",
        "Run the monthly check: what is missed, late, early or due soon, and who is accountable.",
    ),
    "diff": LazyCommand(
        "lianfang.checker.archive_cli",
        "diff_command",
        "Compare two saved runs (default: the last two): findings new, resolved and changed.",
    ),
    "explain": LazyCommand(
        "lianfang.checker.rules_cli",
        "explain",
        "Print a rule's documentation: what it checks, why, examples, parameters.",
    ),
    "forms": LazyCommand(
        "lianfang.checker.forms.cli",
        "forms_group",
        "The plan's three forms (廉政风险识别防控一览表, 附件3–5) as Excel/WPS workbooks, out and back in.",
    ),
    "graph": LazyCommand(
        "lianfang.graph.cli",
        "graph_command",
        "Draw the power-operation network diagram (廉政风险防控管理网络图), or export its graph or ledger.",
    ),
    "history": LazyCommand(
        "lianfang.checker.archive_cli", "history_command", "List the saved check runs (lianfang check --save)."
    ),
    "init": LazyCommand(
        "lianfang.checker.workspace_cli",
        "init",
        "Start a new workspace: lianfang.yaml, org.yaml, risks.yaml and records/ from templates.",
    ),
    "lint": LazyCommand(
        "lianfang.checker.workspace_cli", "lint_command", "Check the rule pack and the workspace beyond the schema."
    ),
    "record": LazyCommand(
        "lianfang.checker.archive_cli",
        "record_group",
        "Enter records in the risk information archive (廉政风险信息库) as they happen.",
    ),
    "records": LazyCommand(
        "lianfang.checker.forms.cli",
        "records_group",
        "The ledgers (台账): an entry workbook to keep them in Excel or WPS.",
    ),
    "report": LazyCommand(
        "lianfang.checker.office_cli",
        "report_command",
        "The monthly report for the leading group: one HTML page that opens offline, or a PDF.",
    ),
    "rules": LazyCommand("lianfang.checker.rules_cli", "rules_command", "List the rule catalogue."),
    "sample": LazyCommand(
        "lianfang.checker.office_cli",
        "sample_command",
        "Draw the people whose integrity diaries the office checks this month (每月一次抽查, R202).",
    ),
    "score": LazyCommand(
        "lianfang.checker.office_cli",
        "score_command",
        "The 100-point assessment (百分制考核评估) of the programme, every deduction explained.",
    ),
}


class LazyGroup(ExitContractGroup):
    """The root group: ``COMMANDS`` imported on first use (click's lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            where = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(where.module), where.attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click lists commands, from the table: ``--help`` imports none of them."""
        listed = [
            (name, self.commands.get(name) or click.Command(name, help=COMMANDS[name].help))
            for name in self.list_commands(ctx)
        ]
        listed = [(name, command) for name, command in listed if not command.hidden]
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section(gettext("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in listed])


def _print_version(ctx: click.Context, value: bool) -> None:
    """``--version`` as click's ``version_option`` prints it (which would look the version up
    in the package's metadata)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"lianfang, version {__version__}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def run() -> None:
    """The ``lianfang`` command (and ``python -m lianfang``): ``main``, allowed to leave at once
    when a check is done (``options.leave``)."""
    import sys

    from lianfang.checker import options

    options.HARD_EXIT = True
    if sys.stdout is None:  # started with its standard output closed (``>&-``)
        sys.stdout = options.ClosedOutput()
    main()
