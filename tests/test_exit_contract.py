"""The exit contract: 0 clean, 1 findings, 2 bad input or usage, 3 internal error; nothing else.

A bug must never exit 1, which a scheduled CI job reads as "findings present".
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from lianfang.checker.options import EXIT_INTERNAL, ExitContractGroup, debug_option


def _cli(error: BaseException) -> click.Group:
    @click.group(cls=ExitContractGroup)
    @debug_option
    def cli() -> None:
        """A group like lianfang's."""

    @cli.command()
    def boom() -> None:
        raise error

    @cli.command()
    def findings() -> None:
        sys.exit(1)

    return cli


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIANFANG_DEBUG", raising=False)
    monkeypatch.setattr(ExitContractGroup, "debug", False)


def test_a_bug_exits_3_with_a_short_message_and_the_traceback_in_a_file() -> None:
    result = CliRunner().invoke(_cli(KeyError("secret-detail")), ["boom"])
    assert result.exit_code == EXIT_INTERNAL
    assert "internal error" in result.output and "Traceback" not in result.output
    crash = re.search(r"details are in (\S+);", result.output)
    assert crash, result.output
    text = Path(crash.group(1)).read_text(encoding="utf-8")
    Path(crash.group(1)).unlink()
    assert "Traceback" in text and "secret-detail" in text


def test_debug_prints_the_traceback_and_still_exits_3() -> None:
    result = CliRunner().invoke(_cli(ZeroDivisionError("x")), ["--debug", "boom"])
    assert result.exit_code == EXIT_INTERNAL
    assert "Traceback" in result.output and "ZeroDivisionError" in result.output


def test_usage_errors_and_click_errors_exit_2() -> None:
    cli = _cli(RuntimeError())
    assert CliRunner().invoke(cli, ["nope"]).exit_code == 2
    assert CliRunner().invoke(cli, ["boom", "--bogus"]).exit_code == 2
    # a plain ClickException exits 1 in click; here it is a usage problem, 2
    assert CliRunner().invoke(_cli(click.ClickException("bad")), ["boom"]).exit_code == 2


def test_interrupt_is_not_findings() -> None:
    assert CliRunner().invoke(_cli(KeyboardInterrupt()), ["boom"]).exit_code == 2


def test_commands_keep_their_own_codes() -> None:
    assert CliRunner().invoke(_cli(RuntimeError()), ["findings"]).exit_code == 1
    assert CliRunner().invoke(_cli(RuntimeError()), ["--help"]).exit_code == 0


def test_a_reader_that_goes_away_is_not_clean_and_not_a_traceback() -> None:
    """`lianfang check … | head`: the output was cut short, so neither 0 nor 1, and no traceback."""
    import subprocess

    example = Path(__file__).resolve().parents[1] / "examples" / "dongying"
    lianfang = Path(sys.executable).parent / "lianfang"
    with subprocess.Popen(
        [str(lianfang), "check", str(example), "--as-of", "2026-11-30", "--all", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # like head after its lines
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 2
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "-o"])
def test_the_command_leaves_at_once_with_its_whole_output(tmp_path: Path, to_file: bool, fmt: str) -> None:
    """The ``lianfang`` command ends a check with ``os._exit`` (no interpreter teardown): its
    exit code and output, to a pipe or a file, are exactly those of the check run in-process."""
    import subprocess

    from lianfang.checker.cli import main

    example = Path(__file__).resolve().parents[1] / "examples" / "dongying"
    args = ["check", str(example), "--as-of", "2026-11-30", "--all", "--format", fmt]
    expected = CliRunner().invoke(main, args)
    assert expected.exit_code == 1
    lianfang = Path(sys.executable).parent / "lianfang"
    out = tmp_path / f"check.{fmt}"
    # buffered output, as a user's shell gives it (this sandbox sets PYTHONUNBUFFERED)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [str(lianfang), *args, *(["-o", str(out)] if to_file else [])], capture_output=True, timeout=120, env=env
    )
    assert done.returncode == 1, done.stderr.decode()
    written = out.read_bytes() if to_file else done.stdout
    assert written.decode("utf-8") == expected.stdout
    assert b"Traceback" not in done.stderr


FULL = Path("/dev/full")


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full (a device whose writes fail: disk full)")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "{example}", "--as-of", "2026-11-30"],
        ["check", "{example}", "--as-of", "2026-11-30", "--all", "--format", "json"],
        ["check", "{example}", "--as-of", "2026-11-30", "--format", "sarif"],
        ["--version"],
    ],
    ids=["table", "json", "sarif", "version"],
)
def test_an_output_the_system_cannot_write_is_not_a_bug(args: list[str]) -> None:
    """Standard output on a full disk: exit 2 with one line saying so, not "internal error" (3)
    with a crash file, and not the interpreter's 120 from failing to flush at exit."""
    import subprocess

    example = Path(__file__).resolve().parents[1] / "examples" / "dongying"
    lianfang = Path(sys.executable).parent / "lianfang"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with FULL.open("wb") as full:
        done = subprocess.run(
            [str(lianfang), *(a.format(example=example) for a in args)],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            env=env,
        )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    # one line (the reason is the system's words: "No space left on device" in English)
    [line] = err.splitlines()
    assert line.startswith("lianfang: cannot write to standard output: ") and line.endswith("；输出不完整)"), line
    assert os.strerror(28) in line


def test_a_closed_standard_output_is_said_and_an_output_file_still_written(tmp_path: Path) -> None:
    """``lianfang check … >&-``: exit 2, saying so; with ``-o FILE`` nothing goes to standard
    output, so the check runs as usual."""
    import subprocess

    example = Path(__file__).resolve().parents[1] / "examples" / "dongying"
    lianfang = Path(sys.executable).parent / "lianfang"
    args = [str(lianfang), "check", str(example), "--as-of", "2026-11-30"]

    def close_stdout() -> None:
        os.close(1)

    done = subprocess.run(args, stderr=subprocess.PIPE, preexec_fn=close_stdout, timeout=120)
    assert done.returncode == 2, done.stderr.decode()
    assert "standard output is closed" in done.stderr.decode() and b"Traceback" not in done.stderr
    out = tmp_path / "check.txt"
    done = subprocess.run([*args, "-o", str(out)], stderr=subprocess.PIPE, preexec_fn=close_stdout, timeout=120)
    assert done.returncode == 1, done.stderr.decode()
    assert "未完成" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full (a device whose writes fail: disk full)")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "{missing}"], 2),
        (["check", "{example}", "--as-of", "2026-11-30", "--format", "nope"], 2),
        (["nope"], 2),
        (["check", "{example}", "--as-of", "2026-11-30"], 1),
    ],
    ids=["bad-input", "usage", "unknown-command", "findings"],
)
def test_a_message_that_cannot_be_written_keeps_the_exit_code(tmp_path: Path, args: list[str], code: int) -> None:
    """stderr on a full disk: the messages are lost, the exit code still says what happened (a
    failed message write once made bad input exit 1, which reads as findings)."""
    import subprocess

    example = Path(__file__).resolve().parents[1] / "examples" / "dongying"
    lianfang = Path(sys.executable).parent / "lianfang"
    with FULL.open("wb") as full:
        done = subprocess.run(
            [str(lianfang), *(a.format(example=example, missing=tmp_path / "missing") for a in args)],
            stdout=subprocess.DEVNULL,
            stderr=full,
            timeout=120,
        )
    assert done.returncode == code
