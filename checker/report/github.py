"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=…,line=…,title=…::message`` for errors, ``::warning`` for warnings,
``::notice`` for waived findings (with the waiver) and, with ``--all``, for the rest.
Paths are relative to the current directory, the repository root in a workflow. GitHub
shows at most 10 errors and 10 warnings per step in the annotations panel (50 per job);
every line is still in the log, and the SARIF upload has them all.
"""

from __future__ import annotations

from typing import TextIO

from lianfang.checker.escape import github_data, github_property
from lianfang.checker.findings import Severity, Status
from lianfang.checker.labels import STATUS_LABELS
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.report.locations import display_path, finding_places, records_by_id
from lianfang.checker.report.owners import people_names
from lianfang.checker.result import CheckResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
WORDS = {
    "zh": {"accountable": "责任人", "due": "截止", "source": "出处"},
    "en": {"accountable": "accountable", "due": "due", "source": "source"},
}


#: the message part of a workflow command: %, CR and LF percent-encoded, no control characters
escape_data = github_data
#: a property value (file, title): also ':' and ',' which separate properties
escape_property = github_property


def annotation(
    command: str, message: str, file: str | None = None, line: int | None = None, title: str | None = None
) -> str:
    """One workflow command line, e.g. ``::error file=a.yaml,line=3,title=S105::…``."""
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
    if line is not None:
        props.append(f"line={line}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    head = f"::{command}" + (" " + ",".join(props) if props else "")
    return f"{head}::{escape_data(message)}"


@register("github")
def write_github(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    lang = result.lang
    words = WORDS[lang]
    sep = "；" if lang == "zh" else "; "
    records = records_by_id(result)
    for f in options.selected(result):
        place = finding_places(result, f, records)[0]
        command = COMMANDS[f.severity] if f.is_open else "notice"
        label = STATUS_LABELS[lang][f.status.value]
        title = f"{f.rule} {f.title} [{label}]"
        parts = [f.message]
        if f.status == Status.WAIVED and f.detail:
            parts.append(f.detail)
        if f.accountable:
            parts.append(f"{words['accountable']}: {people_names(result, f.accountable)}")
        parts.append(f"{words['source']}: {f.source}")
        stream.write(annotation(command, sep.join(parts), display_path(result, place.file), place.line, title) + "\n")
    for p in result.waiver_problems:
        stream.write(
            annotation(COMMANDS[p.severity], p.message, p.waiver.file, p.waiver.line, f"waiver {p.kind}") + "\n"
        )
