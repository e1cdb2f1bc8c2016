"""``--format json``: the complete, machine-readable form (SPEC §5)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from lianfang import __version__
from lianfang.checker.escape import json_text
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.result import CheckResult


def as_dict(result: CheckResult, options: ReportOptions) -> dict:
    findings = options.selected(result)
    people = {p.id: p.name for p in result.workspace.org.people}
    data: dict[str, Any] = {
        "tool": {"name": "lianfang", "version": __version__},
        "summary": result.summary(),
        "findings": [f.to_json() for f in findings],
        "people": {pid: people[pid] for pid in sorted({a for f in findings for a in f.accountable}) if pid in people},
        # expired and stale waivers (issue 4); always present so consumers need not probe
        "waiver_problems": [p.to_json() for p in result.waiver_problems],
        # warnings about the user's files (each also printed on stderr), e.g. a record that
        # matches nothing because its period has the wrong granularity (SPEC §3.1 point 1)
        "warnings": [
            {"file": n.file, "where": n.where, "message": n.en if result.lang == "en" else n.zh}
            for n in result.notices()
        ],
    }
    if options.by_owner:
        from lianfang.checker.report.owners import by_owner

        data["by_owner"] = [section.to_json() for section in by_owner(result, findings)]
    return data


@register("json")
def write_json(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json_text(json.dumps(as_dict(result, options), ensure_ascii=False, indent=2)))
    stream.write("\n")
