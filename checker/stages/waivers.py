"""Waivers: an approved, time-limited exception for a finding (after Chef InSpec's waivers).

A waiver names a rule, a subject and optionally the periods (or event triggers) it covers,
with a justification, the person who approved it and an expiry date, all required. While it
is in force, a matching open finding keeps its place in every report with status ``waived``
and the waiver beside it, and no longer fails the run. An expired waiver no longer applies
(the finding counts again) and is itself reported; a waiver that matches nothing is reported
as stale, so that the file does not silently accumulate exceptions nobody needs.

The file is ``waivers.yaml`` in the workspace, or any file given with ``--waivers``::

    waivers:
      - rule: R205
        subject: yuxun
        period: 2026-10            # or periods: [2026-10, 2026-11]; or trigger: M-0103
        justification: 10 月停课装修，月报告并入 11 月
        approved_by: xu-jianren    # a person id from org.yaml
        expires: 2026-12-31        # in force up to and including this day
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.result import CheckResult, sort_key
from lianfang.models import yaml_safe
from lianfang.models.calendar import PERIOD_FORMS, Period
from lianfang.models.dates import OfficeDate
from lianfang.models.errors import InputError, InputProblem, suggest
from lianfang.models.files import cwd_path
from lianfang.models.names import NameProblem, Names
from lianfang.models.workspace import (
    SUBJECT_KINDS,
    Workspace,
    _problem_from_pydantic,
    _read_text,
    read_yaml,
    suggest_reference,
)
from lianfang.models.yaml_dates import impossible_dates
from lianfang.rules.catalogue import Catalogue

WAIVERS_FILE = "waivers.yaml"

#: the rule id waiver problems carry in SARIF and JUnit (not a catalogue code)
WAIVER_RULE = "waiver"


class WaiverEntry(BaseModel):
    """One entry of ``waivers:`` as written by hand."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    rule: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    period: str | None = None
    periods: list[str] | None = None
    trigger: str | None = None
    justification: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    expires: OfficeDate


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    waivers: list[WaiverEntry] = []


@dataclass(frozen=True)
class Waiver:
    """A validated waiver with the place it was written, for messages and SARIF locations."""

    rule: str
    subject: str
    #: the periods covered; with ``triggers`` both empty, every period of rule and subject
    periods: tuple[str, ...]
    triggers: tuple[str, ...]
    justification: str
    approved_by: str
    approved_by_name: str
    expires: date
    file: str
    line: int

    def matches(self, finding: Finding) -> bool:
        if finding.rule != self.rule or finding.subject != self.subject:
            return False
        if not self.periods and not self.triggers:
            return True
        return (finding.period is not None and finding.period in self.periods) or (
            finding.trigger is not None and finding.trigger in self.triggers
        )

    @property
    def scope(self) -> str:
        """Rule, subject and periods, as a reader would name the waiver."""
        which = ",".join(self.periods + self.triggers)
        return f"{self.rule}:{self.subject}" + (f":{which}" if which else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "subject": self.subject,
            "periods": list(self.periods),
            "triggers": list(self.triggers),
            "justification": self.justification,
            "approved_by": self.approved_by,
            "approved_by_name": self.approved_by_name,
            "expires": self.expires.isoformat(),
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class WaiverProblem:
    """An expired or stale waiver: reported beside the findings, under the rule id ``waiver``."""

    kind: Literal["expired", "stale"]
    waiver: Waiver
    message: str
    severity: Severity = Severity.WARNING
    rule: str = WAIVER_RULE

    @property
    def key(self) -> str:
        return f"{WAIVER_RULE}:{self.kind}:{self.waiver.scope}"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": WAIVER_RULE,
            "problem": self.kind,
            "severity": self.severity.value,
            "message": self.message,
            "waiver": self.waiver.to_json(),
        }


PROBLEM_LABELS = {"zh": {"expired": "已过期", "stale": "无匹配"}, "en": {"expired": "expired", "stale": "stale"}}
WORDS = {
    "zh": {
        "expired": "{file} 第 {line} 行的豁免（{scope}）已于 {expires} 到期，不再适用，相关检查结果重新计入",
        "stale": "{file} 第 {line} 行的豁免（{scope}）没有匹配任何未完成事项，已无必要，请删除或更正",
        "detail": "已豁免：{justification}（{approver}批准，有效至 {expires}）",
    },
    "en": {
        "expired": "the waiver at {file} line {line} ({scope}) expired on {expires}; it no longer applies and the finding counts again",
        "stale": "the waiver at {file} line {line} ({scope}) matches no open finding; remove or correct it",
        "detail": "waived: {justification} (approved by {approver}, until {expires})",
    },
}


# ------------------------------------------------------------------------------- loading


def _entry_lines(text: str) -> list[int]:
    """Line of each item of ``waivers:``, in order."""
    node = yaml_safe.top_level(text, "waivers")
    return [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []


def waiver_path(workspace: Path, given: Path | None) -> Path | None:
    """The file to read: ``--waivers FILE``, else the workspace's ``waivers.yaml`` if any."""
    if given is not None:
        return given
    default = Path(workspace) / WAIVERS_FILE
    # a folder, a pipe or a broken link named waivers.yaml is reported by the reader, not skipped
    return default if os.path.lexists(default) else None


def load_waivers(path: Path, ws: Workspace, catalogue: Catalogue, display: str | None = None) -> list[Waiver]:
    """Read and validate a waiver file; raise ``InputError`` naming file and key on any problem."""
    # named as seen from the current directory, so messages and SARIF point at the real file
    display = display or cwd_path(Path(path))
    problems: list[InputProblem] = []
    # a waiver file inside the workspace is confined to it (a link out is refused); one
    # given with --waivers from elsewhere is the user's explicit choice
    root = ws.root
    text = _read_text(path, display, problems, root)
    if text is None:
        raise InputError(problems)
    bad = impossible_dates(text)
    if bad:
        raise InputError(
            InputProblem(
                display,
                f"key {b.key}",
                f'"{b.value}" is not a real date (line {b.line}); write YYYY-MM-DD',
                zh=f"“{b.value}”不是真实的日期（第 {b.line} 行）；请写成 YYYY-MM-DD",
            )
            for b in bad
        )
    data = read_yaml(path, display, problems, root)
    if data is None:
        raise InputError(problems)
    try:
        parsed = WaiverFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problem_from_pydantic(display, "", e) for e in exc.errors()) from None
    lines = _entry_lines(text)
    subjects = ws.subject_ids()
    names = Names.of(ws.org, ws.risks)
    out: list[Waiver] = []
    for i, entry in enumerate(parsed.waivers):
        key = f"waivers[{i}]"
        before = len(problems)
        if catalogue.get(entry.rule) is None:
            problems.append(
                InputProblem(
                    display,
                    f"key {key}.rule",
                    f'unknown rule "{entry.rule}"{suggest(entry.rule, catalogue.codes)}; see `lianfang rules`',
                    zh=f"未知的规则“{entry.rule}”{suggest(entry.rule, catalogue.codes, 'zh')}；见 `lianfang rules`",
                )
            )
        subject = _by_name(names, entry.subject, SUBJECT_KINDS, subjects, display, f"key {key}.subject", problems)
        approver = _by_name(
            names, entry.approved_by, ("person",), set(ws.people), display, f"key {key}.approved_by", problems
        )
        if len(problems) > before:
            continue
        if subject not in subjects:
            problems.append(
                InputProblem(
                    display,
                    f"key {key}.subject",
                    f'unknown subject "{subject}"{suggest_reference(subject, subjects, names, SUBJECT_KINDS)}; '
                    "use an id or a name from org.yaml or risks.yaml",
                    zh=f"未知的对象“{subject}”{suggest(subject, subjects, 'zh')}；请使用 org.yaml 或 risks.yaml 中的编号或名称",
                )
            )
        if approver not in ws.people:
            problems.append(
                InputProblem(
                    display,
                    f"key {key}.approved_by",
                    f'unknown person "{approver}"{suggest_reference(approver, ws.people, names, ("person",))}; the approver must be a person in org.yaml',
                    zh=f"未知的人员“{approver}”{suggest(approver, ws.people, 'zh')}；批准人必须是 org.yaml 中的人员",
                )
            )
        if entry.period is not None and entry.periods is not None:
            problems.append(
                InputProblem(
                    display,
                    f"key {key}.periods",
                    "give either period or periods, not both",
                    zh="period 和 periods 只能填一个",
                )
            )
        periods = [entry.period] if entry.period is not None else list(entry.periods or [])
        for j, text_period in enumerate(periods):
            try:
                Period.parse(text_period)
            except ValueError:
                where = f"{key}.period" if entry.period is not None else f"{key}.periods[{j}]"
                problems.append(
                    InputProblem(
                        display,
                        f"key {where}",
                        f'"{text_period}" is not a period; expected {PERIOD_FORMS}',
                        zh=f"“{text_period}”不是期间；应为 {PERIOD_FORMS}",
                    )
                )
        if len(problems) > before:
            continue
        out.append(
            Waiver(
                rule=entry.rule,
                subject=subject,
                periods=tuple(periods),
                triggers=(entry.trigger,) if entry.trigger else (),
                justification=entry.justification,
                approved_by=approver,
                approved_by_name=ws.people[approver].name,
                expires=entry.expires,
                file=display,
                line=lines[i] if i < len(lines) else 1,
            )
        )
    if problems:
        raise InputError(problems)
    return out


def _by_name(
    names: Names, value: str, kinds: tuple[str, ...], ids: set[str], file: str, where: str, problems: list[InputProblem]
) -> str:
    """The id a waiver's reference stands for: itself, or the id of a unique name (ambiguous: a problem)."""
    if value in ids:
        return value
    try:
        return names.resolve(value, kinds)
    except NameProblem as problem:
        if problem.ambiguous:
            problems.append(InputProblem(file, where, problem.en, zh=problem.zh))
        return value


# ------------------------------------------------------------------------------ applying


def apply_waivers(result: CheckResult, waivers: list[Waiver], as_of: date) -> CheckResult:
    """Mark the open findings that a waiver in force covers as ``waived``; report the rest.

    A waiver is in force up to and including its ``expires`` day. The first waiver in the
    file that matches a finding is the one shown. A waiver that covers only obligations not
    yet due is waiting, not stale.
    """
    words = WORDS[result.lang]
    problems: list[WaiverProblem] = []
    in_force: list[Waiver] = []
    for w in waivers:
        if as_of > w.expires:
            problems.append(WaiverProblem("expired", w, _say(words["expired"], w)))
        else:
            in_force.append(w)
    used: set[int] = set()
    findings: list[Finding] = []
    for f in result.findings:
        index = next((i for i, w in enumerate(in_force) if w.matches(f)), None)
        if index is None:
            findings.append(f)
            continue
        if f.status == Status.PENDING:
            used.add(index)  # waiting for the obligation to fall due
        if not f.is_open:
            findings.append(f)
            continue
        used.add(index)
        w = in_force[index]
        detail = words["detail"].format(justification=w.justification, approver=w.approved_by_name, expires=w.expires)
        waiver = {**w.to_json(), "waived_status": f.status.value}
        joined = (("；" if result.lang == "zh" else "; ").join((f.detail, detail))) if f.detail else detail
        findings.append(replace(f, status=Status.WAIVED, waiver=waiver, detail=joined))
    problems += [WaiverProblem("stale", w, _say(words["stale"], w)) for i, w in enumerate(in_force) if i not in used]
    findings.sort(key=sort_key)
    return replace(result, findings=findings, waiver_problems=problems)


def _say(template: str, w: Waiver) -> str:
    return template.format(file=w.file, line=w.line, scope=w.scope, expires=w.expires)
