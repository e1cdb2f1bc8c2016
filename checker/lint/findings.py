"""What lint reports: its checks (codes, names, titles), one finding, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lianfang.checker.findings import Severity

#: lint's own checks: code → (name, title zh, title en); L1xx the pack, L2xx the workspace. The
#: register checks lint runs on a workspace are the catalogue's (``lint: true`` in the pack), reported
#: under their own codes (G303, T501, G304), which ``explain`` knows
CHECKS: dict[str, tuple[str, str, str]] = {
    "L101": ("date.not-real", "日期不存在", "date does not exist"),
    "L102": ("window.reversed", "时间窗口结束早于开始", "window closes before it opens"),
    "L103": ("order.due-before-prerequisite", "截止日期早于前置步骤", "due before a step it depends on"),
    "L104": ("order.unknown-prerequisite", "前置步骤不存在", "unknown prerequisite"),
    "L105": ("order.cycle", "前置步骤循环", "prerequisites form a cycle"),
    "L106": ("override.unknown-rule", "覆盖了不存在的规则", "override of an unknown rule"),
    "L107": ("rule.invalid", "规则引用了不存在的事实、字段或规则", "rule refers to something that does not exist"),
    "L201": ("subject.uncovered", "没有规则适用的对象", "subject no rule covers"),
    "L205": ("workspace.date-not-real", "工作区文件中的日期不存在", "date in a workspace file does not exist"),
    "L206": ("record.period-granularity", "记录的期间粒度与规则不符", "record period of the wrong granularity"),
}


@dataclass(frozen=True)
class LintFinding:
    """One lint result: a small immutable value with code, place, message and level."""

    code: str
    severity: Severity
    file: str
    line: int
    message: str
    rule: str | None = None
    subject: str | None = None
    #: the clause of the source the rule or data comes from
    clause: str = ""
    #: the rule's own explanation (a transcription's note)
    note: str = ""
    #: about the source document's literal date, not the date in force
    transcribed: bool = False
    #: a catalogue rule's name, when ``code`` is a rule of the pack rather than a lint check
    rule_name: str = ""

    @property
    def name(self) -> str:
        return CHECKS[self.code][0] if self.code in CHECKS else self.rule_name

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "subject": self.subject,
            "message": self.message,
            "clause": self.clause,
            "note": self.note,
            "transcribed": self.transcribed,
        }


@dataclass
class LintResult:
    """Everything lint found, most severe first."""

    pack: str
    workspace: str | None
    lang: str
    findings: list[LintFinding] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        counts = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in self.findings:
            counts[f.severity.value] += 1
        return {"pack": self.pack, "workspace": self.workspace, "by_severity": counts}


def sorted_findings(findings: list[LintFinding]) -> list[LintFinding]:
    """Most severe first, then by file, line and code."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.file, f.line, f.code))
