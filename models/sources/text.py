"""Reading a text file the user wrote: UTF-8 (with or without BOM) or GB18030.

Before anything is read, the path is checked for what it really is (``models.files``): a
folder, a named pipe, a device, a link that loops or a link out of the workspace each get
their own message, and nothing is read from them.
"""

from __future__ import annotations

from pathlib import Path

from lianfang.models.errors import InputProblem
from lianfang.models.files import outside, what_it_is

ENCODINGS = ("utf-8-sig", "gb18030")


def path_problem(path: Path, display: str, root: Path | None = None) -> InputProblem | None:
    """Why ``path`` cannot be read as an input file (missing, not a file, a link out of ``root``), or None."""
    kind = what_it_is(path)
    if kind is not None:
        return InputProblem(display, "", kind.en, zh=kind.zh)
    if not path.is_file():
        return InputProblem(
            display,
            "",
            "file not found; create it (see README, 'Start your own workspace')",
            zh="文件不存在；请创建它（见 README“开始自己的工作区”）",
        )
    if outside(path, root):
        return InputProblem(
            display,
            "",
            "is a symbolic link to a file outside the workspace; it is not read (copy the file into the workspace)",
            zh="是指向工作区之外文件的符号链接，不予读取（请把文件复制到工作区内）",
        )
    return None


def read_text(path: Path, display: str, problems: list[InputProblem], root: Path | None = None) -> str | None:
    """The file's text, or None with a problem naming ``display`` when it cannot be read.

    ``root``: the workspace; a symbolic link in it to a file outside it is refused unread.
    """
    problem = path_problem(path, display, root)
    if problem is not None:
        problems.append(problem)
        return None
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.append(
        InputProblem(
            display,
            "",
            "cannot be decoded as UTF-8 or GB18030; save it as UTF-8 (CSV UTF-8 in Excel)",
            zh="既不是 UTF-8 也不是 GB18030 编码；请另存为 UTF-8（Excel 中选“CSV UTF-8”）",
        )
    )
    return None
