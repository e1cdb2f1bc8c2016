"""Reading a text file the user wrote: UTF-8 (with or without BOM) or GB18030.

Before anything is read, the path is checked for what it really is (``models.files``): a
folder, a named pipe, a device, a link that loops or a link out of the workspace each get
their own message, and nothing is read from them.
"""

from __future__ import annotations

import re
from pathlib import Path

from lianfang.models.errors import InputProblem
from lianfang.models.files import outside, what_it_is

ENCODINGS = ("utf-8-sig", "gb18030")


def path_problem(path: Path, display: str, root: Path | None = None) -> InputProblem | None:
    """Why ``path`` cannot be read as an input file (missing, not a file, a link out of ``root``), or None."""
    kind = what_it_is(path)
    if kind is not None:
        return InputProblem(display, "", kind, zh=_zh(kind))
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


_SIZE = re.compile(r"is (\d+) MB; the limit is (\d+) MB per file")
_DANGLING = re.compile(r'is a symbolic link to "(.*)", which does not exist', re.DOTALL)
_UNREADABLE = "cannot be read: "


def _zh(kind: str) -> str:
    """``kind`` (what ``models.files.what_it_is`` says of a path) in Chinese; "" if not known."""
    if kind.startswith(_UNREADABLE):
        return f"无法读取：{kind.removeprefix(_UNREADABLE)}"
    size = _SIZE.fullmatch(kind)
    if size:
        return f"文件过大（{size[1]} MB），超过每个文件 {size[2]} MB 的上限"
    link = _DANGLING.fullmatch(kind)
    if link:
        return f"是指向“{link[1]}”的符号链接，但链接目标不存在"
    for en, zh in (
        ("is a folder", "是文件夹，不是文件"),
        ("is a named pipe", "是命名管道（FIFO），不是文件；读取它会一直等待"),
        ("is a device", "是设备，不是文件"),
        ("is a socket", "是套接字，不是文件"),
        ("is a symbolic link that loops", "是循环的符号链接（最终指向自身）"),
        ("is not a regular file", "不是普通文件"),
    ):
        if kind.startswith(en):
            return zh
    return ""


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
