"""JSON Lines records: one JSON object per line, keyed by record columns (blank lines skipped)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lianfang.models.errors import InputProblem, Notice
from lianfang.models.limits import MAX_JSONL_LINE_CHARS
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
        where = f"line {number}"
        if len(line) > MAX_JSONL_LINE_CHARS:
            problems.append(
                InputProblem(
                    display,
                    where,
                    f"the line holds {len(line):,} characters; the limit is {MAX_JSONL_LINE_CHARS:,}",
                    zh=f"该行有 {len(line):,} 个字符，超过上限 {MAX_JSONL_LINE_CHARS:,}",
                )
            )
            continue
        try:
            row = json.loads(line, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            problems.append(
                InputProblem(display, where, f"not valid JSON: {exc.msg}", zh=f"不是有效的 JSON：{exc.msg}")
            )
            continue
        except _Refused as refused:
            problems.append(InputProblem(display, where, refused.en, zh=refused.zh))
            continue
        except RecursionError:
            problems.append(
                InputProblem(
                    display,
                    where,
                    "nested too deeply; a record is one flat object of text fields",
                    zh="嵌套层数过多；每条记录应是一个由文本字段组成的扁平对象",
                )
            )
            continue
        if not isinstance(row, dict):
            problems.append(
                InputProblem(display, where, "expected a JSON object per line", zh="每行应是一个 JSON 对象")
            )
            continue
        unknown = sorted(set(row) - set(RECORD_COLUMNS))
        if unknown:
            problems.append(
                InputProblem(
                    display,
                    where,
                    f'unknown field "{unknown[0]}"; expected {", ".join(RECORD_COLUMNS)}',
                    zh=f"未知的字段“{unknown[0]}”；字段应为 {', '.join(RECORD_COLUMNS)} 之一",
                )
            )
            continue
        wrong = next((k for k, v in row.items() if not _scalar_for(k, v)), None)
        if wrong is not None:
            problems.append(
                InputProblem(
                    display,
                    where,
                    f'field "{wrong}" must be text in quotes (or null); a number is allowed only for "result"',
                    zh=f"字段“{wrong}”应为带引号的文本（或 null）；只有“result”可以是数字",
                )
            )
            continue
        values = {k: "" if v is None else str(v) for k, v in row.items()}
        yield SourceRow(Place(display, number, "line"), values)


class _Refused(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Refused(
                f'field "{key}" appears twice in the object; keep one', f"字段“{key}”在同一对象中出现两次；请只保留一个"
            )
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a value a record can hold", f"{name} 不是记录可以使用的值")


def _scalar_for(key: str, value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    return key == "result" and isinstance(value, (int, float)) and not isinstance(value, bool)


JSONL_SOURCE = RecordSource("jsonl", (".jsonl",), jsonl_rows)
