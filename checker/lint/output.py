"""Lint's outputs: text (``file:line: CODE [level] message``) and JSON."""

from __future__ import annotations

from typing import Any

from lianfang.checker.labels import SEVERITY_LABELS
from lianfang.checker.lint.findings import LintResult


def render_text(result: LintResult) -> str:
    """``file:line: CODE level message``, then the clause and note indented, then a count."""
    lang = result.lang
    labels = SEVERITY_LABELS[lang]
    lines = []
    for f in result.findings:
        head = f"{f.file}:{f.line}: {f.code} [{labels[f.severity.value]}] {f.message}"
        lines.append(head)
        if f.clause:
            lines.append(f"    {'出处' if lang == 'zh' else 'source'}: {f.clause}")
        if f.note:
            lines.append(f"    {'说明' if lang == 'zh' else 'note'}: {f.note.strip()}")
    counts = result.summary()["by_severity"]
    if lang == "zh":
        lines.append(f"lint：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    else:
        lines.append(f"lint: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines) + "\n"


def as_json(result: LintResult) -> dict[str, Any]:
    return {
        "tool": "lianfang",
        "command": "lint",
        "summary": result.summary(),
        "findings": [f.to_json() for f in result.findings],
    }
