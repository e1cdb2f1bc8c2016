"""What a path in the workspace really is, before anything is read from it.

A file the user meant to write may be a folder, a named pipe (reading it would wait
forever), a device (``/dev/zero`` never ends), a symbolic link that loops or points to
nothing, or a link to a file outside the workspace (whose content must never be read, so
never printed in an error a CI log would keep). Each gets its own message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lianfang.models.limits import MAX_FILE_BYTES


def _stat(path: Path) -> tuple[os.stat_result | None, str | None]:
    """``os.stat(path)``, or why it failed: a dangling or looping symbolic link, an unreadable
    path. Both None when nothing is there (the caller says what to create)."""
    try:
        return os.stat(path), None
    except FileNotFoundError:
        if os.path.islink(path):
            return None, f'is a symbolic link to "{os.readlink(path)}", which does not exist'
        return None, None
    except OSError as error:
        if os.path.islink(path):
            return None, "is a symbolic link that loops (it points, in the end, to itself)"
        return None, f"cannot be read: {error.strerror or error}"


def what_it_is(path: Path) -> str | None:
    """A description of ``path`` when it is not a regular file that can be read, else None."""
    info, problem = _stat(path)
    if info is None:
        return problem
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file; reading it would wait forever"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"is {info.st_size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB per file"
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


def folder_problem(path: Path) -> str | None:
    """A description of ``path`` when it exists but is not a folder, else None."""
    info, problem = _stat(path)
    if info is None:
        return problem
    if stat.S_ISDIR(info.st_mode):
        return None
    if stat.S_ISREG(info.st_mode):
        return "is a file, not a folder"
    return "is not a folder"


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
