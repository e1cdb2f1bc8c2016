"""What no record value may hold, whatever its source: every source's rows pass through here.

A NUL byte or an escape sequence in a record is a damaged file or an attempt to change the
terminal that shows it; a lone surrogate cannot be written to any output; a field of
megabytes is not a ledger entry. Ids, kinds, dates and the other short columns are one line.
"""

from __future__ import annotations

import re

from lianfang.models.limits import MAX_FIELD_CHARS

#: control characters: C0 but tab, line feed and carriage return; DEL; C1
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("[\r\n\t\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: any character one of the three above matches: a value with none (nearly all) is checked
#: with one search instead of three
_ANY_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: columns that may run over several lines
MULTILINE_COLUMNS = ("note", "result")


def value_problem(column: str, value: str) -> tuple[str, str] | None:
    """Why ``value`` cannot stand in ``column`` (English, Chinese), or None."""
    # printable ASCII (nearly every value) holds none of them; any other value is searched once
    clean = (value.isascii() and value.isprintable()) or not _ANY_REFUSED.search(value)
    if clean and len(value) <= MAX_FIELD_CHARS:
        return None
    if len(value) > MAX_FIELD_CHARS:
        return (
            f'column "{column}" holds {len(value):,} characters; the limit is {MAX_FIELD_CHARS:,} per field',
            f"“{column}”列有 {len(value):,} 个字符，超过每个字段 {MAX_FIELD_CHARS:,} 个字符的上限",
        )
    control = _CONTROL.search(value)
    if control:
        code = f"\\x{ord(control.group(0)):02x}"
        return (
            f'column "{column}" contains the control character {code}; the file is damaged or not a text export',
            f"“{column}”列含有控制字符 {code}；文件已损坏或不是文本导出",
        )
    if _SURROGATE.search(value):
        return (
            f'column "{column}" contains an invalid character (a lone UTF-16 surrogate)',
            f"“{column}”列含有无效字符（孤立的 UTF-16 代理项）",
        )
    if column not in MULTILINE_COLUMNS and _LINE_BREAK.search(value):
        return (
            f'column "{column}" contains a line break or a tab; it must be one line',
            f"“{column}”列含有换行或制表符；应写在一行内",
        )
    return None
