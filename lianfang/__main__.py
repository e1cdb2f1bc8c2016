"""``python -m lianfang``: the same as the ``lianfang`` command."""

from lianfang.checker.cli import run

run()
