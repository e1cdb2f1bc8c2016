"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

The rule catalogue is ``tool.driver.rules`` (title, full description, help with why and
the source clause); each listed finding is a result located at the workspace file and line
that holds its evidence or trigger record, else the line that defines its subject. Open
findings are ``kind: fail`` at level error or warning; a waived finding keeps its result
with an accepted external suppression carrying the waiver; with ``--all``, satisfied
findings are ``pass`` and pending ones ``open``. Expired and stale waivers are results of
the extra rule ``waiver``, located at the waiver's line. ``partialFingerprints`` hold the
finding's key, so that code scanning tracks one alert per obligation across runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from lianfang import __version__
from lianfang.checker.escape import json_text
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.labels import STATUS_LABELS
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.report.locations import display_path, finding_places, records_by_id
from lianfang.checker.result import CheckResult
from lianfang.checker.stages.waivers import WAIVER_RULE

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
HELP = {
    "zh": {"why": "为什么", "fail": "不通过的例子", "pass": "通过的例子", "source": "出处"},
    "en": {"why": "Why", "fail": "Failing example", "pass": "Passing example", "source": "Source"},
}
WAIVER_DESCRIPTOR = {
    "zh": (
        "豁免已过期或已无匹配",
        "waivers.yaml 中的豁免已过有效期（相关检查结果重新计入），或没有匹配任何未完成事项。",
    ),
    "en": (
        "Waiver expired or stale",
        "A waiver in waivers.yaml has expired (the finding counts again) or matches no open finding.",
    ),
}


def _tool_version() -> str:
    return __version__


def rule_descriptor(rule: Any, lang: str) -> dict[str, Any]:
    """A catalogue rule as a SARIF reportingDescriptor."""
    words = HELP[lang]
    doc = rule.doc
    text = "\n\n".join(
        [
            doc.checks.get(lang).strip(),
            f"{words['why']}: {doc.why.get(lang).strip()}",
            f"{words['source']}: {rule.source}",
        ]
    )
    markdown = "\n\n".join(
        [
            doc.checks.get(lang).strip(),
            f"**{words['why']}**\n\n{doc.why.get(lang).strip()}",
            f"**{words['fail']}**\n\n```\n{doc.fail_example.get(lang).strip()}\n```",
            f"**{words['pass']}**\n\n```\n{doc.pass_example.get(lang).strip()}\n```",
            f"**{words['source']}**: {rule.source}",
        ]
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": doc.checks.get(lang).strip()},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": "warning" if rule.severity == "warning" else "error"},
        "properties": {
            "source": rule.source,
            "title_zh": rule.title.zh,
            "title_en": rule.title.en,
            "type": rule.type,
            "tags": ["lianfang", rule.code[0], rule.type],
        },
    }


def _artifact(path: str) -> dict[str, Any]:
    """A path relative to the current directory, or absolute (see ``cwd_path``)."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _location(path: str, line: int, text: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": _artifact(path), "region": {"startLine": max(line, 1)}}
    }
    if text:
        location["message"] = {"text": text}
    return location


def _result(result: CheckResult, f: Finding, index: int, records: dict[str, Any]) -> dict[str, Any]:
    places = finding_places(result, f, records)
    item: dict[str, Any] = {"ruleId": f.rule, "ruleIndex": index}
    if f.is_open or f.status == Status.WAIVED:
        item["kind"] = "fail"
        item["level"] = LEVELS[f.severity]
    else:
        # SARIF: a result that is not a failure has level "none"
        item["kind"] = "pass" if f.status == Status.SATISFIED else "open"
        item["level"] = "none"
    item["message"] = {"text": f"{f.rule} {f.title}: {f.message}"}
    item["locations"] = [_location(display_path(result, places[0].file), places[0].line)]
    if len(places) > 1:
        item["relatedLocations"] = [
            {**_location(display_path(result, p.file), p.line, p.role), "id": i}
            for i, p in enumerate(places[1:], start=1)
        ]
    item["partialFingerprints"] = {"lianfangFindingKey/v1": f.key}
    if f.status == Status.WAIVED and f.waiver:
        w = f.waiver
        item["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": w["justification"],
                "location": _location(w["file"], w["line"]),
                "properties": {
                    "approved_by": w["approved_by"],
                    "approved_by_name": w["approved_by_name"],
                    "expires": w["expires"],
                },
            }
        ]
    props: dict[str, Any] = {
        "status": f.status.value,
        "status_label": STATUS_LABELS[result.lang][f.status.value],
        "severity": f.severity.value,
        "subject": f.subject,
        "subject_name": f.subject_name,
        "department": f.department,
        "period": f.period,
        "due": f.due.isoformat() if f.due else None,
        "accountable": list(f.accountable),
        "accountable_names": [result.workspace.people[p].name for p in f.accountable if p in result.workspace.people],
        "evidence": list(f.evidence),
        "source": f.source,
    }
    if f.trigger:
        props["trigger"] = f.trigger
    if f.waiver:
        props["waiver"] = f.waiver
    item["properties"] = props
    return item


def build(result: CheckResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as a dict (exposed for tests)."""
    lang = result.lang
    rules = [rule_descriptor(r, lang) for r in result.catalogue.rules]
    index = {r["id"]: i for i, r in enumerate(rules)}
    records = records_by_id(result)
    results = []
    for f in options.selected(result):
        if f.rule not in index:  # a finding of a rule the pack no longer has: keep it visible
            index[f.rule] = len(rules)
            rules.append({"id": f.rule, "shortDescription": {"text": f.title}})
        results.append(_result(result, f, index[f.rule], records))
    problems = list(result.waiver_problems)
    if problems:
        short, full = WAIVER_DESCRIPTOR[lang]
        index[WAIVER_RULE] = len(rules)
        rules.append(
            {
                "id": WAIVER_RULE,
                "name": "waiver.expired-or-stale",
                "shortDescription": {"text": short},
                "fullDescription": {"text": full},
                "defaultConfiguration": {"level": "warning"},
            }
        )
        for p in problems:
            results.append(
                {
                    "ruleId": WAIVER_RULE,
                    "ruleIndex": index[WAIVER_RULE],
                    "kind": "fail",
                    "level": LEVELS[p.severity],
                    "message": {"text": p.message},
                    "locations": [_location(p.waiver.file, p.waiver.line)],
                    "partialFingerprints": {"lianfangFindingKey/v1": p.key},
                    "properties": {"problem": p.kind, "waiver": p.waiver.to_json()},
                }
            )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "lianfang",
                "fullName": "lianfang 廉防 — integrity-risk programme checker",
                "version": _tool_version(),
                "semanticVersion": _tool_version(),
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {**result.summary(), "waiver_problems": len(problems)},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


@register("sarif")
def write_sarif(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json_text(json.dumps(build(result, options), ensure_ascii=False, indent=2)))
    stream.write("\n")
