"""One helper around click's CliRunner: run, assert the exit code, return the result."""

from __future__ import annotations

from click.testing import CliRunner, Result

from lianfang.checker.cli import main


def run(args: list[str], exit_code: int) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == exit_code, (
        f"exit {result.exit_code}, expected {exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result
