"""The options commands share are declared once (checker/options.py): the same flags, help and
validation in every command, as ``--help`` shows them."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from lianfang.checker.cli import main
from lianfang.checker.options import AS_OF_HELP, LANG_HELP, WORKSPACE_HELP
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"


def _commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the root group loads its commands on use
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found |= _commands(command, path + " ")
        else:
            found[path] = command
    return found


COMMANDS = _commands()


def _options(name: str) -> dict[str, click.Option]:
    """A command's options by their long flag (``--lang``)."""
    out = {}
    for p in COMMANDS[name].params:
        if isinstance(p, click.Option):
            out |= {flag: p for flag in p.opts if flag.startswith("--")}
    return out


def _help(command: str) -> str:
    return run([*command.split(), "--help"], 0).stdout


def test_every_command_is_found() -> None:
    assert {"check", "graph", "report", "score", "sample", "forms export", "archive verify", "record add"} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("flag", ["--lang", "--db"])
def test_a_shared_option_has_one_help_and_one_type_in_every_command(flag: str) -> None:
    having = {name: _options(name)[flag] for name in COMMANDS if flag in _options(name)}
    assert len(having) >= 2, having
    helps = {option.help for option in having.values()}
    assert len(helps) == 1, helps
    types = {repr(option.type) for option in having.values()}
    assert len(types) == 1, types
    shorts = {tuple(option.opts) for option in having.values()}
    assert len(shorts) == 1, shorts


def test_lang_is_chinese_by_default_everywhere() -> None:
    for name in COMMANDS:
        lang = _options(name).get("--lang")
        if lang is not None:
            assert lang.default == "zh" and lang.help == LANG_HELP, name


def test_as_of_says_the_same_everywhere_and_refuses_the_same_dates() -> None:
    having = [name for name in COMMANDS if "--as-of" in _options(name)]
    assert {"check", "calendar", "graph", "report", "score"} <= set(having)
    for name in having:
        option = _options(name)["--as-of"]
        assert option.help is not None and option.help.startswith(AS_OF_HELP), name
        assert option.metavar == "DATE"
    for name in ("check", "graph", "score"):
        args = [*name.split(), str(EXAMPLE), "--as-of", "2026-02-30"]
        if name == "graph":
            args += ["-o", "x.dot"]
        result = run(args, 2)
        assert '"2026-02-30" is not a real date in the form YYYY-MM-DD' in result.stderr


def test_table_or_json_is_one_option() -> None:
    having = {
        name: _options(name)["--format"]
        for name in COMMANDS
        if "--format" in _options(name) and list(_options(name)["--format"].type.choices) == ["table", "json"]
    }
    assert {"rules", "history", "diff", "record list", "sample"} <= set(having)
    assert len({(o.help, o.default) for o in having.values()}) == 1


def test_output_is_dash_o_everywhere() -> None:
    having = {name: _options(name)["--output"] for name in COMMANDS if "--output" in _options(name)}
    assert {"check", "calendar", "graph", "report", "score", "sample", "forms export", "archive export"} <= set(having)
    for name, option in having.items():
        assert option.opts == ["-o", "--output"], name
        assert isinstance(option.type, click.Path), name


def test_workspace_help_is_the_same_as_option_and_everywhere() -> None:
    for name in COMMANDS:
        option = _options(name).get("--workspace")
        if option is not None:
            assert option.help is not None and option.help.startswith(WORKSPACE_HELP), name
            assert option.opts == ["-w", "--workspace"], name


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_s_help_has_an_example(command: str) -> None:
    assert "Example: lianfang " in _help(command)
