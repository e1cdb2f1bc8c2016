"""JSON Lines records: one JSON object per line, keyed by record columns (blank lines skipped)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.records import RECORD_COLUMNS, Place
from lianfang.models.sources.base import RecordSource, SourceRow
from lianfang.models.sources.text import read_text


def jsonl_rows(path: Path, display: str, problems: list[InputProblem], notices: list[Notice]) -> Iterator[SourceRow]:
    text = read_text(path, display, problems)
    if text is None:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(display, f"line {number}", f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(row, dict):
            problems.append(InputProblem(display, f"line {number}", "expected a JSON object per line"))
            continue
        unknown = sorted(set(row) - set(RECORD_COLUMNS))
        if unknown:
            problems.append(
                InputProblem(
                    display, f"line {number}", f'unknown field "{unknown[0]}"; expected {", ".join(RECORD_COLUMNS)}'
                )
            )
            continue
        values = {k: "" if v is None else str(v) for k, v in row.items()}
        yield SourceRow(Place(display, number, "line"), values)


JSONL_SOURCE = RecordSource("jsonl", (".jsonl",), jsonl_rows)
