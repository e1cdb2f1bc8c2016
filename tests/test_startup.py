"""A command loads what it uses (issue 13: the example checked as a whole process in ≤ 0.5 s).

``checker/cli.py`` imports a command's module only when that command runs, and lists every
command from its table; these tests hold the table to the commands and run real processes to
see which modules a command imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from lianfang.checker import startup
from lianfang.checker.cli import COMMANDS, LazyGroup, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dongying"

#: what a plain check of the example never needs: the archive's database, the diagram, the
#: forms and the office's outputs (and the libraries behind them); its table is laid out
#: without Rich (checker/report/terminal.py)
NOT_FOR_A_CHECK = [
    "rich",
    "sqlalchemy",
    "alembic",
    "matplotlib",
    "weasyprint",
    "openpyxl",
    "python_calamine",
    "networkx",
    "graphviz",
    "jinja2",
    "icalendar",
    "dask",
    "duckdb",
    "ruamel",
    "lianfang.checker.archive_cli",
    "lianfang.checker.office_cli",
    "lianfang.checker.forms",
    "lianfang.checker.rules_cli",
    "lianfang.checker.workspace_cli",
    "lianfang.graph",
    "lianfang.models.archive.db",
    # the loader's read-ahead thread: only for large ledgers
    "concurrent.futures",
    # the package's metadata: pydantic's plugin discovery (checker/startup.py) and the version
    # (lianfang/__init__.py) need none
    "importlib.metadata",
]


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``lianfang ARGS`` in a new interpreter; its output and the modules it had imported."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print('MODULES ' + json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = ['lianfang', *{list(args)!r}]\n"
        "from lianfang.checker.cli import main\n"
        "main()\n"
    )
    done = run_probe(probe)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done, set(json.loads(line.removeprefix("MODULES ")))


def run_probe(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` run by a new Python process in the checkout (what a module import does there)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def loaded(modules: set[str], names: list[str]) -> list[str]:
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


def test_a_plain_check_imports_only_what_it_needs() -> None:
    done, modules = imported_by("check", str(EXAMPLE), "--as-of", "2026-11-30")
    assert done.returncode == 1, done.stderr  # the example has findings
    assert "未完成" in done.stdout
    assert "lianfang.checker.check_cli" in modules and "lianfang.checker.report.table" in modules
    assert loaded(modules, NOT_FOR_A_CHECK) == []


def test_only_the_command_goes_without_pydantic_plugins() -> None:
    """A program using lianfang as a library keeps pydantic's own plugin loader."""
    probe = (
        "import lianfang.checker.run, pydantic.plugin._loader as loader, sys\n"
        "print(getattr(loader, '__file__', None))\n"
        "import lianfang.checker.cli\n"  # (too late to replace it: left as it is)
        "print(sys.modules['pydantic.plugin._loader'] is loader)\n"
    )
    done = run_probe(probe)
    where, same = done.stdout.split()
    assert where.endswith("_loader.py") and same == "True", done.stderr


def test_the_stand_in_loader_gives_whatever_else_pydantic_may_take_from_the_real_one() -> None:
    """Models build with the stand-in; a name it lacks comes from the real loader (a later
    pydantic could import more from it), which is loaded only then."""
    probe = (
        "import sys, lianfang.checker.cli, pydantic\n"
        "class M(pydantic.BaseModel):\n"
        "    x: int\n"
        "print(M(x=1).x, 'importlib.metadata' in sys.modules)\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP, get_plugins\n"
        "print(list(get_plugins()), PYDANTIC_ENTRY_POINT_GROUP, 'importlib.metadata' in sys.modules)\n"
        # every further name comes from the same real module, loaded once
        "from pydantic.plugin._loader import entry_points, _plugins\n"
        "from lianfang.checker import startup\n"
        "print(startup._real_loader.cache_info().misses)\n"
    )
    done = run_probe(probe)
    assert done.stdout.split("\n")[:3] == ["1 False", "[] pydantic True", "1"], done.stderr


def test_the_command_compiles_pyyaml_s_pure_reader_pattern_only_when_used() -> None:
    """PyYAML's pure-Python reader still refuses a control character (the pattern is compiled
    then); nothing else is deferred and ``re.compile`` is itself again; a library import of
    lianfang leaves PyYAML alone."""
    probe = (
        "import re, lianfang.checker.cli, yaml, yaml.reader\n"
        "pattern = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(pattern).__name__, type(yaml.resolver.Resolver.yaml_implicit_resolvers['1'][0][1]).__name__)\n"
        "try:\n"
        "    yaml.load('a: \\x07', Loader=yaml.SafeLoader)\n"
        "except yaml.reader.ReaderError as error:\n"
        "    print('refused', hex(error.character))\n"
        "print(pattern.pattern == lianfang.checker.startup.YAML_NON_PRINTABLE, re.compile.__module__)\n"
    )
    done = run_probe(probe)
    assert done.stdout.split("\n")[:3] == ["CompiledWhenUsed Pattern", "refused 0x7", "True re"], done.stderr
    library = "import lianfang.checker.run, yaml.reader\nprint(type(yaml.reader.Reader.NON_PRINTABLE).__name__)\n"
    done = run_probe(library)
    assert done.stdout.strip() == "Pattern", done.stderr


def test_a_json_check_does_not_import_rich() -> None:
    done, modules = imported_by("check", str(EXAMPLE), "--as-of", "2026-11-30", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["findings"]
    assert loaded(modules, NOT_FOR_A_CHECK) == []


def test_help_lists_every_command_without_importing_any() -> None:
    done, modules = imported_by("--help")
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("Commands:\n", 1)[1]
    for name in COMMANDS:
        assert f"\n  {name} " in f"\n{listed}", name
    assert "Run the monthly check" in listed and "The risk information archive as a whole" in listed
    commands = {m for where in COMMANDS.values() for m in [where.module]}
    # (pydantic's plugin loader is lianfang's stand-in, checker/startup.py: pydantic is not imported)
    assert loaded(modules - {startup.LOADER}, [*commands, "pydantic", "rich", "yaml"]) == []


def test_the_table_is_every_command_and_its_help() -> None:
    """Each entry names a real command, and its help is the command's own first paragraph."""
    ctx = click.Context(main)
    for name, where in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name, name
        assert command.help is not None
        first = command.help.split("\n\n", 1)[0]
        assert where.help == " ".join(first.split()), name


@pytest.mark.parametrize("width", [60, 80, 200])
def test_help_is_what_click_prints_with_every_command_loaded(width: int) -> None:
    """The listing from the table equals click's own, from the loaded commands."""

    def commands_section(group: click.Group) -> str:
        ctx = click.Context(group, terminal_width=width, max_content_width=width)
        formatter = ctx.make_formatter()
        group.format_commands(ctx, formatter)
        return formatter.getvalue()

    lazy = commands_section(LazyGroup(name="lianfang"))  # a new group: nothing loaded, the table only
    eager = click.Group(name=main.name)
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        eager.add_command(command, name)
    assert lazy == commands_section(eager)
    assert lazy.startswith("Commands:\n") and lazy.count("\n  ") >= len(COMMANDS)


def test_xml_refuses_exactly_what_xml_1_0_does_not_allow() -> None:
    """escape's refused set spelled positively: the same characters as the complement of XML 1.0's."""
    import re

    from lianfang.checker.escape import _XML_FORBIDDEN

    allowed = re.compile("[\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    differ = [c for c in range(0x110000) if bool(_XML_FORBIDDEN.match(chr(c))) == bool(allowed.match(chr(c)))]
    assert differ == []
