"""What a path in the workspace really is, before anything is read from it.

A file the user meant to write may be a folder, a named pipe (reading it would wait
forever), a device (``/dev/zero`` never ends), a symbolic link that loops or points to
nothing, or a link to a file outside the workspace (whose content must never be read, so
never printed in an error a CI log would keep). Each gets its own message, in English and
Chinese (``PathKind``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from lianfang.models.limits import MAX_FILE_BYTES


@dataclass(frozen=True)
class PathKind:
    """What a path is, when it is not what was wanted, said after its name ("x.csv: is a
    folder, not a file") in English and in Chinese."""

    en: str
    zh: str
    #: a regular file, larger than the limit for a file read (an output may still replace it)
    too_large: bool = False

    def __str__(self) -> str:
        return self.en


def _stat(path: Path) -> tuple[os.stat_result | None, PathKind | None]:
    """``os.stat(path)``, or why it failed: a dangling or looping symbolic link, an unreadable
    path. Both None when nothing is there (the caller says what to create)."""
    try:
        return os.stat(path), None
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            return None, PathKind(
                f'is a symbolic link to "{target}", which does not exist',
                f"是指向“{target}”的符号链接，但链接目标不存在",
            )
        return None, None
    except OSError as error:
        if os.path.islink(path):
            return None, PathKind(
                "is a symbolic link that loops (it points, in the end, to itself)", "是循环的符号链接（最终指向自身）"
            )
        why = error.strerror or str(error)
        return None, PathKind(f"cannot be read: {why}", f"无法读取：{why}")


def what_it_is(path: Path) -> PathKind | None:
    """What ``path`` is when it is not a regular file that can be read, else None."""
    info, problem = _stat(path)
    if info is None:
        return problem
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return PathKind("is a folder, not a file", "是文件夹，不是文件")
    if stat.S_ISFIFO(mode):
        return PathKind(
            "is a named pipe (FIFO), not a file; reading it would wait forever",
            "是命名管道（FIFO），不是文件；读取它会一直等待",
        )
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return PathKind("is a device, not a file", "是设备，不是文件")
    if stat.S_ISSOCK(mode):
        return PathKind("is a socket, not a file", "是套接字，不是文件")
    if not stat.S_ISREG(mode):
        return PathKind("is not a regular file", "不是普通文件")
    if info.st_size > MAX_FILE_BYTES:
        size, limit = info.st_size // (1024 * 1024), MAX_FILE_BYTES // (1024 * 1024)
        return PathKind(
            f"is {size} MB; the limit is {limit} MB per file",
            f"文件过大（{size} MB），超过每个文件 {limit} MB 的上限",
            too_large=True,
        )
    return None


def outside(path: Path, root: Path | None) -> bool:
    """Whether ``path``, lexically inside the workspace ``root``, resolves to a place outside it."""
    if root is None:
        return False
    try:
        real_root = Path(os.path.realpath(root))
        real = Path(os.path.realpath(path))
    except (OSError, RuntimeError):
        return False
    lexical = Path(os.path.abspath(path))
    if not lexical.is_relative_to(Path(os.path.abspath(root))):
        return False  # named by the user outside the workspace (--waivers FILE): not confined
    return not real.is_relative_to(real_root)


def folder_problem(path: Path) -> PathKind | None:
    """What ``path`` is when it exists but is not a folder, else None."""
    info, problem = _stat(path)
    if info is None:
        return problem
    if stat.S_ISDIR(info.st_mode):
        return None
    if stat.S_ISREG(info.st_mode):
        return PathKind("is a file, not a folder", "是文件，不是文件夹")
    return PathKind("is not a folder", "不是文件夹")


def cwd_path(full: Path) -> str:
    """A path relative to the current directory (a CI job's checkout), else absolute.

    GitHub resolves annotation and SARIF paths against the repository root, which is where
    a workflow runs ``lianfang check``; a file outside it gets an absolute path.
    """
    # absolute, not resolved: a symbolic link is named as the user named it, never as its target
    absolute = Path(os.path.abspath(full))
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute.as_posix()
    if relative.startswith(".."):
        return absolute.as_posix()
    return Path(relative).as_posix()
