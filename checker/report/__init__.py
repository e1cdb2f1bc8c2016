"""Outputs of ``lianfang check``: one module per format, registered here by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from lianfang.checker.result import CheckResult

#: format name → writer(result, stream, options)
Writer = Callable[[CheckResult, TextIO, "ReportOptions"], None]


class ReportOptions:
    """What every writer may honour: which findings to list, grouping by owner, and the
    ``--fail-on`` threshold (JUnit counts findings at or above it as failures)."""

    def __init__(self, show_all: bool = False, by_owner: bool = False, fail_on: str = "error"):
        self.show_all = show_all
        self.by_owner = by_owner
        self.fail_on = fail_on

    def selected(self, result: CheckResult) -> list:
        return (
            list(result.findings)
            if self.show_all
            else [f for f in result.findings if f.is_open or f.status.value == "waived"]
        )


WRITERS: dict[str, Writer] = {}

#: ``--format`` name → the module that registers its writer (imported only when used)
FORMAT_MODULES = {
    "table": "table",
    "json": "json_report",
    "markdown": "markdown",
    "junit": "junit",
    "sarif": "sarif",
    "github": "github",
}


def writer_for(name: str) -> Writer:
    """The writer of a ``--format`` name, importing its module on first use."""
    importlib.import_module(f"lianfang.checker.report.{FORMAT_MODULES[name]}")
    return WRITERS[name]


def register(name: str) -> Callable[[Writer], Writer]:
    def wrap(writer: Writer) -> Writer:
        WRITERS[name] = writer
        return writer

    return wrap
