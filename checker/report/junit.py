"""``--format junit``: one test case per obligation or register check, one suite per rule.

What CI dashboards (GitLab, Jenkins, Azure DevOps) read. Every finding is a test case,
whatever ``--all`` says, because a test report also counts what passed:

- an open finding at or above the failure threshold is a ``<failure>`` whose text carries
  status, due date, subject and the accountable people; the threshold is ``--fail-on``
  (``warning`` makes warnings failures too; ``error`` and ``never`` count errors only, so
  the report stays truthful when a job chooses not to fail);
- a waived finding is ``<skipped type="waived">`` with the waiver, a pending one
  ``<skipped type="pending">`` (not due yet, nothing to judge);
- anything else passes; warnings below the threshold say so in ``<system-out>``.

Expired and stale waivers form a last suite named ``waiver``. The layout follows the
Surefire/Jenkins JUnit schema: no attributes or elements beyond it.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO
from xml.etree import ElementTree as ET

from lianfang.checker.escape import xml_text
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.labels import SEVERITY_LABELS, STATUS_LABELS
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.report.owners import people_names
from lianfang.checker.result import CheckResult

LABELS = {
    "zh": {
        "rule": "规则",
        "status": "状态",
        "severity": "严重性",
        "subject": "对象",
        "department": "部室",
        "period": "期间",
        "trigger": "触发记录",
        "due": "截止日期",
        "accountable": "责任人",
        "evidence": "证据",
        "source": "出处",
        "message": "说明",
        "waiver": "豁免",
        "none": "—",
        "suite": "{unit} 廉政风险防控检查 {year} 年度（截至 {as_of}）",
        "waiver_suite": "豁免问题",
    },
    "en": {
        "rule": "rule",
        "status": "status",
        "severity": "severity",
        "subject": "subject",
        "department": "department",
        "period": "period",
        "trigger": "trigger",
        "due": "due",
        "accountable": "accountable",
        "evidence": "evidence",
        "source": "source",
        "message": "message",
        "waiver": "waiver",
        "none": "-",
        "suite": "{unit} integrity-risk check {year} (as of {as_of})",
        "waiver_suite": "waiver problems",
    },
}


def failure_threshold(fail_on: str) -> int:
    """The severity rank from which an open finding is a JUnit failure."""
    return Severity.WARNING.rank if fail_on == "warning" else Severity.ERROR.rank


def details(result: CheckResult, f: Finding) -> str:
    """The lines a dashboard shows under a failure: everything needed to act on it."""
    lang = result.lang
    words = LABELS[lang]
    ws = result.workspace
    status = f"{STATUS_LABELS[lang][f.status.value]} ({f.status.value})"
    lines = [
        f"{words['rule']}: {f.rule} {f.title}",
        f"{words['status']}: {status}",
        f"{words['severity']}: {SEVERITY_LABELS[lang][f.severity.value]}",
        f"{words['subject']}: {f.subject_name} ({f.subject})"
        if f.subject_name != f.subject
        else f"{words['subject']}: {f.subject}",
    ]
    if f.department:
        name = ws.departments[f.department].name if f.department in ws.departments else f.department
        lines.append(f"{words['department']}: {name} ({f.department})")
    if f.period:
        lines.append(f"{words['period']}: {f.period}")
    if f.trigger:
        lines.append(f"{words['trigger']}: {f.trigger}")
    lines.append(f"{words['due']}: {f.due.isoformat() if f.due else words['none']}")
    lines.append(f"{words['accountable']}: {people_names(result, f.accountable) or words['none']}")
    lines.append(f"{words['evidence']}: {', '.join(f.evidence) or words['none']}")
    lines.append(f"{words['source']}: {f.source}")
    if f.waiver:
        w = f.waiver
        lines.append(
            f"{words['waiver']}: {w['justification']} — {w['approved_by_name']} ({w['approved_by']}), {w['expires']}"
        )
    lines.append(f"{words['message']}: {f.message}")
    return "\n".join(lines) + "\n"


def _testcase(result: CheckResult, f: Finding, threshold: int) -> tuple[ET.Element, str]:
    """The test case of a finding and its outcome: failure, skipped or passed."""
    case = ET.Element("testcase", {"classname": f"lianfang.{f.rule}", "name": _name(f), "time": "0"})
    text = details(result, f)
    if f.is_open and f.severity.rank >= threshold:
        failure = ET.SubElement(case, "failure", {"type": f.status.value, "message": f.message})
        failure.text = text
        return case, "failure"
    if f.status == Status.WAIVED:
        ET.SubElement(case, "skipped", {"type": "waived", "message": f.detail or f.message})
        ET.SubElement(case, "system-out").text = text
        return case, "skipped"
    if f.status == Status.PENDING:
        ET.SubElement(case, "skipped", {"type": "pending", "message": f.message})
        return case, "skipped"
    ET.SubElement(case, "system-out").text = text
    return case, "passed"


def _name(f: Finding) -> str:
    which = f.period or f.trigger or ""
    subject = f"{f.subject_name} ({f.subject})" if f.subject_name != f.subject else f.subject
    return f"{f.rule} {subject} {which}".strip()


def build(result: CheckResult, options: ReportOptions) -> ET.Element:
    """The ``<testsuites>`` tree (exposed for tests and other writers)."""
    lang = result.lang
    words = LABELS[lang]
    threshold = failure_threshold(options.fail_on)
    ws = result.workspace
    root = ET.Element(
        "testsuites",
        {
            "name": words["suite"].format(unit=ws.org.unit.name, year=ws.year, as_of=result.as_of.isoformat()),
            "time": "0",
        },
    )
    order = {code: i for i, code in enumerate(result.catalogue.codes)}
    findings = sorted(
        result.findings, key=lambda f: (order.get(f.rule, len(order)), f.subject, f.period or "", f.trigger or "")
    )
    totals = {"tests": 0, "failures": 0}
    for code, group in groupby(findings, key=lambda f: f.rule):
        items = list(group)
        rule = result.catalogue.get(code)
        title = rule.title.get(lang) if rule else items[0].title
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": f"{code} {title}", "tests": "0", "failures": "0", "errors": "0", "skipped": "0", "time": "0"},
        )
        if rule is not None:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", {"name": "source", "value": rule.source})
            ET.SubElement(props, "property", {"name": "name", "value": rule.name})
        _fill(suite, [_testcase(result, f, threshold) for f in items], totals)
    problems = list(result.waiver_problems)
    if problems:
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": f"waiver {words['waiver_suite']}",
                "tests": "0",
                "failures": "0",
                "errors": "0",
                "skipped": "0",
                "time": "0",
            },
        )
        cases = []
        for p in problems:
            case = ET.Element(
                "testcase", {"classname": "lianfang.waiver", "name": f"{p.kind} {p.waiver.scope}", "time": "0"}
            )
            if p.severity.rank >= threshold:
                ET.SubElement(case, "failure", {"type": p.kind, "message": p.message}).text = p.message + "\n"
                cases.append((case, "failure"))
            else:
                ET.SubElement(case, "system-out").text = p.message + "\n"
                cases.append((case, "passed"))
        _fill(suite, cases, totals)
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    return root


def _fill(suite: ET.Element, cases: list[tuple[ET.Element, str]], totals: dict[str, int]) -> None:
    counts = {"failure": 0, "skipped": 0}
    for case, outcome in cases:
        suite.append(case)
        if outcome in counts:
            counts[outcome] += 1
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(counts["failure"]))
    suite.set("skipped", str(counts["skipped"]))
    totals["tests"] += len(cases)
    totals["failures"] += counts["failure"]


@register("junit")
def write_junit(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    root = build(result, options)
    for element in root.iter():
        # ElementTree escapes <, & and quotes, but writes characters XML 1.0 forbids as they are
        element.text = xml_text(element.text) if element.text else element.text
        for name, value in element.attrib.items():
            element.set(name, xml_text(value))
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
