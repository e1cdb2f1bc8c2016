"""Pydantic's validation errors in the user's words: file, key, value and remedy, in Chinese and English.

No text of pydantic itself reaches the user: each error type has its own sentence, and
an unknown type gets a generic one that still names the key and the value.
"""

from __future__ import annotations

from typing import Any

from lianfang.models.dates import DATE_FORMS_ZH
from lianfang.models.errors import InputProblem

#: error type → (English, Chinese); ``{expected}``, ``{ge}`` … come from the error's context
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("required key is missing", "缺少必填的键"),
    "extra_forbidden": ("unknown key; remove it or check its spelling", "未知的键；请删除或检查拼写"),
    "int_type": ("must be a whole number", "应为整数"),
    "int_parsing": ("must be a whole number", "应为整数"),
    "int_from_float": ("must be a whole number, not a fraction", "应为整数，不能有小数"),
    "float_type": ("must be a number", "应为数字"),
    "float_parsing": ("must be a number", "应为数字"),
    "bool_type": ("must be true or false", "应为 true 或 false"),
    "bool_parsing": ("must be true or false", "应为 true 或 false"),
    "string_type": ("must be text", "应为文本"),
    "string_too_short": ("must not be empty", "不能为空"),
    "string_too_long": ("is too long (at most {max_length} characters)", "过长（最多 {max_length} 个字符）"),
    "too_short": ("needs at least {min_length} item(s)", "至少需要 {min_length} 项"),
    "too_long": ("has too many items (at most {max_length})", "项数过多（最多 {max_length} 项）"),
    "list_type": ("must be a list (- item, or [a, b])", "应为列表（- 项，或 [a, b]）"),
    "dict_type": ("must be a mapping of keys (key: value)", "应为“键: 值”形式的映射"),
    "model_type": ("must be a mapping of keys (key: value)", "应为“键: 值”形式的映射"),
    "model_attributes_type": ("must be a mapping of keys (key: value)", "应为“键: 值”形式的映射"),
    "literal_error": ("must be one of {expected}", "应为以下之一：{expected}"),
    "enum": ("must be one of {expected}", "应为以下之一：{expected}"),
    "date_type": ("must be a date YYYY-MM-DD", "应为日期 YYYY-MM-DD"),
    "date_parsing": ("must be a real date YYYY-MM-DD", "应为真实的日期 YYYY-MM-DD"),
    "date_from_datetime_parsing": ("must be a real date YYYY-MM-DD", "应为真实的日期 YYYY-MM-DD"),
    "date_from_datetime_inexact": ("must be a date without a time of day", "应为日期，不带时刻"),
    "datetime_type": ("must be a date and time", "应为日期和时刻"),
    "greater_than_equal": ("must be at least {ge}", "不能小于 {ge}"),
    "greater_than": ("must be more than {gt}", "应大于 {gt}"),
    "less_than_equal": ("must be at most {le}", "不能大于 {le}"),
    "less_than": ("must be less than {lt}", "应小于 {lt}"),
    "finite_number": ("must be a finite number", "应为有限的数"),
    "none_required": ("must be empty", "应为空"),
    "office_date": ("not a real date; write it as {forms}", f"不是真实的日期；请写成 {DATE_FORMS_ZH}"),
}
GENERIC = ("has a value of the wrong type or form", "值的类型或形式不正确")


def _expected(ctx: dict[str, Any]) -> dict[str, Any]:
    out = dict(ctx)
    if "expected" in out:
        out["expected"] = str(out["expected"]).replace("'", "")
    return out


def problem_from_pydantic(file: str, prefix: str, error: Any) -> InputProblem:
    """One pydantic error as an ``InputProblem`` naming ``file``, the key path and the value."""
    path = prefix
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    value = error.get("input")
    shown = ""
    if not isinstance(value, (dict, list)) and value is not None and error["type"] not in ("missing",):
        text = str(value)
        shown = f' "{text[:60]}{"…" if len(text) > 60 else ""}"'
    ctx = _expected(error.get("ctx") or {})
    if error["type"] in ("value_error", "assertion_error") and "error" in ctx:
        # raised by lianfang's own validators: their text is already the user's message
        own = str(ctx["error"])
        own_zh = getattr((error.get("ctx") or {}).get("error"), "zh", own)  # a models.errors.Said
        return InputProblem(file, f"key {path}" if path else "", f"{own}{shown}".strip(), zh=f"{own_zh}{shown}".strip())
    en, zh = MESSAGES.get(error["type"], GENERIC)
    try:
        en, zh = en.format(**ctx), zh.format(**ctx)
    except (KeyError, IndexError):
        en, zh = GENERIC
    return InputProblem(file, f"key {path}" if path else "", f"{en}{shown}".strip(), zh=f"{zh}{shown}".strip())
