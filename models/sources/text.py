"""Reading a text file the user wrote: UTF-8 (with or without BOM) or GB18030."""

from __future__ import annotations

from pathlib import Path

from lianfang.models.errors import InputProblem

ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: Path, display: str, problems: list[InputProblem]) -> str | None:
    """The file's text, or None with a problem naming ``display`` when missing or undecodable."""
    if not path.is_file():
        problems.append(InputProblem(display, "", "file not found; create it (see README, 'Start your own workspace')"))
        return None
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.append(
        InputProblem(display, "", "cannot be decoded as UTF-8 or GB18030; save it as UTF-8 (CSV UTF-8 in Excel)")
    )
    return None
