"""What every ``lianfang`` command shares: exit codes, input errors, and common options.

A module of its own so that ``checker.cli`` and ``graph.cli`` both import it, without a cycle.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from lianfang.checker.escape import terminal_safe
from lianfang.models.archive import ENV_VAR
from lianfang.models.errors import InputError, Notice

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

#: set by the ``lianfang`` command itself (``checker.cli.run``), not when tests call the group:
#: a finished check may then leave without tearing the interpreter down (see ``leave``)
HARD_EXIT = False


class ExitContractGroup(click.Group):
    """A click group that keeps the exit contract whatever happens inside a command.

    0 clean, 1 findings, 2 bad input or usage (click's own usage errors included), 3 an internal
    error. A bug never exits 1, which a CI job would read as "findings present": it prints a short
    request for a report and writes the traceback to a file it names (on stderr with ``--debug``
    or ``LIANFANG_DEBUG=1``). Ctrl-C exits 2, and so does an output whose reader went away (``| head``)
    or that the system cannot write (a full disk, a closed standard output: ``output_failed``): in
    each, what was asked was not done, and not by a bug.
    """

    debug = False

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            broken_pipe()
        except OSError as error:
            output_failed(error)  # (exits 2 when it is one)
            internal_error()
        except Exception:
            internal_error()

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.Abort:  # Ctrl-C or end of input at a prompt
            _say("lianfang: interrupted")
            sys.exit(EXIT_BAD_INPUT)
        except click.ClickException as error:  # usage errors; a plain one would exit 1 in click
            with contextlib.suppress(OSError):  # (stderr on a full disk: the exit code still says it)
                error.show()
            sys.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:  # (--version, --help: printed before any command runs)
            broken_pipe()
        except OSError as error:
            output_failed(error)  # (exits 2 when it is one)
            internal_error()
        sys.exit(code if code in (EXIT_OK, EXIT_BAD_INPUT) else EXIT_OK)


def exit_code(findings: list[Any], fail_on: str) -> int:
    """1 when a finding is at or above ``--fail-on`` (error, warning; never: none is), else 0."""
    if fail_on == "never":
        return EXIT_OK
    threshold = 2 if fail_on == "error" else 1
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_OK


def leave(code: int) -> NoReturn:
    """End a command whose work is done, output written, with ``code``.

    Run as the ``lianfang`` command, the process leaves at once once its output is flushed
    (``os._exit``, as mypy does): the interpreter would otherwise free a city's check object by
    object (~0.6 s of 185k findings, a workspace of 2.4M records), memory the system takes back
    anyway. Nothing else is pending then: files are written and closed, no thread or child
    process is left. Called from tests (``CliRunner``), a plain ``sys.exit``.
    """
    if not HARD_EXIT:
        sys.exit(code)
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        broken_pipe()
    except OSError as error:
        output_failed(error)
        sys.exit(code)
    except ValueError:  # a stream that cannot be flushed: the interpreter's exit reports it
        sys.exit(code)
    os._exit(code)


def broken_pipe() -> NoReturn:
    """The reader of our output went away (``| head``): the output is incomplete, so not 0."""
    _stdout_to_devnull()
    sys.exit(EXIT_BAD_INPUT)


def _stdout_to_devnull() -> None:
    """Keep the interpreter from failing again (exit 120) when it flushes stdout at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class OutputClosed(OSError):
    """Written to a standard output that was closed when the command started (``>&-``)."""


class ClosedOutput:
    """``sys.stdout`` when the command started without one: writing to it fails, as a write to
    a closed descriptor does, and the command says so (``output_failed``); a command that
    writes only to ``-o FILE`` runs as usual."""

    def write(self, text: str) -> int:
        import errno

        raise OutputClosed(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


#: a write that failed for want of room or of a working device: the system's, not lianfang's fault
_WRITE_ERRNOS = {"ENOSPC", "EDQUOT", "EFBIG", "EIO"}


def output_failed(error: OSError) -> None:
    """If ``error`` is a write the system could not do (a full disk, a closed standard output),
    say so and exit 2: what was asked was not done, and it is not a bug. Else return."""
    import errno

    if not (isinstance(error, OutputClosed) or errno.errorcode.get(error.errno or 0) in _WRITE_ERRNOS):
        return
    where = terminal_safe(str(error.filename)) if error.filename else "standard output"
    where_zh = where if error.filename else "标准输出"
    why = terminal_safe(error.strerror or str(error))
    if not error.filename:  # (standard output: what it still holds is lost anyway)
        _stdout_to_devnull()
    _say(f"lianfang: cannot write to {where}: {why}; the output is incomplete (无法写入{where_zh}：{why}；输出不完整)")
    sys.exit(EXIT_BAD_INPUT)


def _say(message: str) -> None:
    """``message`` on stderr, if stderr can take it: when even that fails (stderr on a full disk),
    the exit code alone must still say what happened."""
    with contextlib.suppress(OSError):
        click.echo(message, err=True)


def internal_error() -> NoReturn:
    """Report the exception being handled as lianfang's own fault and exit 3 (even when the
    report cannot be written: a full disk)."""
    import os
    import tempfile
    import traceback

    text = traceback.format_exc()
    if ExitContractGroup.debug or os.environ.get("LIANFANG_DEBUG"):
        _say(text.rstrip("\n"))
        where = ""
    else:
        try:
            fd, name = tempfile.mkstemp(prefix="lianfang-crash-", suffix=".txt")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            where = f" The details are in {name}; please attach that file."
        except OSError:
            where = " (The details could not be written to a file.)"
    _say(
        f"lianfang: internal error (内部错误): this is a bug in lianfang, not in your files.{where} "
        "Please report it to the lianfang maintainers (run again with --debug to see the traceback)."
    )
    sys.exit(EXIT_INTERNAL)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ExitContractGroup.debug = True


debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="On an internal error, print the traceback (exit code 3 either way).",
)


def current_lang() -> str:
    """The ``--lang`` of the command running (zh when it has none)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang")
        if lang in ("zh", "en"):
            return str(lang)
        ctx = ctx.parent
    return "zh"


def error_prefix(lang: str | None = None) -> str:
    return "lianfang: 错误：" if (lang or current_lang()) == "zh" else "lianfang: error: "


def fail(message: str, zh: str = "") -> NoReturn:
    """One line on stderr, ``lianfang: error: …`` (in Chinese when given and --lang is zh), and exit 2."""
    lang = current_lang()
    text = zh if zh and lang == "zh" else message
    click.echo(f"{error_prefix(lang)}{terminal_safe(text)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def say(en: str, zh: str) -> str:
    """The text in the language of the command running (``--lang``; Chinese by default)."""
    return en if current_lang() == "en" else zh


def cannot_write(path: Path, problem: OSError) -> NoReturn:
    """Exit 2: the output could not be written (a folder missing, no permission, disk full)."""
    reason = problem.strerror or str(problem)
    fail(f'cannot write "{path}": {reason}', f"无法写入“{path}”：{reason}")


def echo_wrote(path: Path, en: str = "", zh: str = "", err: bool = True) -> None:
    """``lianfang: 已写出 FILE（…）``, on stderr unless ``err`` is False (a command whose only
    output is the file says so on stdout)."""
    detail = say(f" ({en})" if en else "", f"（{zh}）" if zh else "")
    click.echo(terminal_safe(say(f"lianfang: wrote {path}", f"lianfang: 已写出 {path}") + detail), err=err)


def echo_warning(en: str, zh: str = "") -> None:
    """``lianfang: 警告：…`` on stderr; the exit code is unchanged."""
    text = say(f"lianfang: warning: {en}", f"lianfang: 警告：{zh or en}")
    click.echo(terminal_safe(text), err=True)


def fail_input(error: InputError) -> NoReturn:
    """Print every input problem on stderr, one per line, in the --lang, and exit 2 (no traceback)."""
    lang = current_lang()
    for problem in error.problems:
        click.echo(f"{error_prefix(lang)}{terminal_safe(problem.render(lang))}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def echo_notices(notices: list[Notice], lang: str = "zh") -> None:
    """Print warnings about the user's files on stderr, one per line; the exit code is unchanged."""
    word = "warning" if lang == "en" else "警告"
    for notice in notices:
        click.echo(f"lianfang: {word}: {terminal_safe(notice.text(lang))}", err=True)


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        # YYYY-MM-DD only: fromisoformat also takes ISO weeks (2026-W15-5) and compact forms
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a real date in the form YYYY-MM-DD') from None


# ------------------------------------------------------------------------------ options
# The options several commands share, declared once: the same name, help and validation in
# every command. A command's own words go in ``extra`` (a clause appended to the help).

WORKSPACE_HELP = "The workspace folder"
AS_OF_HELP = "Check as of this date (YYYY-MM-DD)"
LANG_HELP = "Language of labels and messages: zh (Chinese) or en (English)."
DB_HELP = (
    "Archive database (default: ${env}, else WORKSPACE/.lianfang/archive.db), e.g. postgresql://user@host/lianfang."
)

_WORKSPACE_TYPE = click.Path(file_okay=False, path_type=Path)

#: ``lianfang check WORKSPACE``: the workspace as the command's argument
workspace_argument = click.argument("workspace", type=_WORKSPACE_TYPE, default=".", required=False)


def workspace_option(extra: str = " (default: the current folder).", default: str | None = ".") -> Callable[[Any], Any]:
    """``-w/--workspace DIR``, for commands whose arguments are something else (files, ids)."""
    return click.option(
        "-w", "--workspace", type=_WORKSPACE_TYPE, default=default, metavar="DIR", help=WORKSPACE_HELP + extra
    )


def output_option(
    what: str, *, required: bool = False, default: str | None = None, folder: bool = False
) -> Callable[[Any], Any]:
    """``-o/--output FILE``; ``what`` says what is written there and in which forms (the one part
    that differs by command). ``folder``: a folder is accepted too (one file per unit)."""
    return click.option(
        "-o",
        "--output",
        required=required,
        default=default,
        show_default=default is not None,
        type=click.Path(dir_okay=folder, path_type=Path),
        metavar="PATH" if folder else "FILE",
        help=what,
    )


def as_of_option(extra: str = "; default today.") -> Callable[[Any], Any]:
    """``--as-of DATE``, a real date in the form YYYY-MM-DD; ``extra`` ends the help."""
    return click.option("--as-of", callback=parse_date, metavar="DATE", help=AS_OF_HELP + extra)


def lang_option() -> Callable[[Any], Any]:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)


def format_option(*choices: str, default: str | None = None, help: str | None = None) -> Callable[[Any], Any]:
    """``--format``, one of ``choices`` (the first by default unless ``default`` says otherwise,
    or none when the output file's extension decides: ``default=""``)."""
    chosen = choices[0] if default is None else (default or None)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=chosen,
        show_default=chosen is not None,
        help=help or f"Output format: {', '.join(choices)}.",
    )


def check_options(as_of: str | None = "; default today.", waivers: str = "") -> Callable[[Any], Any]:
    """What every command that runs the check takes: WORKSPACE, --as-of (unless ``as_of`` is
    None; otherwise the end of its help), --lang and --waivers (``waivers`` ends its help)."""
    shared = [workspace_argument, *([as_of_option(as_of)] if as_of is not None else []), lang_option()]
    return _bundle([*shared, waivers_option(waivers)])


def archive_options(who: bool = False) -> Callable[[Any], Any]:
    """What every archive command takes: -w/--workspace, --db, --who (with ``who``) and --lang."""
    return _bundle([workspace_option(), db_option(), *([who_option] if who else []), lang_option()])


def _bundle(decorators: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """Several option decorators as one; --help lists them in this order."""

    def decorate(f: Any) -> Any:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return decorate


def _select_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from lianfang.models.archive import selected_db

    if value:
        token = selected_db.set(value)
        ctx.call_on_close(lambda: selected_db.reset(token))
    return value


who_option = click.option(
    "--who", metavar="NAME", help="Who makes the entry (default: $LIANFANG_USER or the login name)."
)


def db_option() -> Callable[[Any], Any]:
    """``--db URL``: the archive (廉政风险信息库) the command reads or writes."""
    return click.option("--db", metavar="URL", callback=_select_db, help=DB_HELP.format(env=ENV_VAR))


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


#: ``check --save`` (the run is stored by ``archive_cli.save_check``, imported only then)
save_option = click.option(
    "--save",
    is_flag=True,
    help=f"Store this run in the archive (${ENV_VAR} or WORKSPACE/.lianfang/archive.db) for `lianfang history` and `lianfang diff`.",
)
