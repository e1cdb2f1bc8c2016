"""Writing an output file (``-o``): never onto an input, its folder created, all or nothing.

A report written over ``org.yaml`` destroys what the user wrote; a half-written report
(a full disk, Ctrl-C, a crash) looks like a complete one to the next CI step. So the
output path is checked against the workspace's input files first, and the content goes to
a temporary file in the same folder that replaces the target only once it is complete.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lianfang.models.files import what_it_is

#: the files of a workspace that lianfang reads (records/ and a rule pack are folders of inputs)
INPUT_FILES = ("lianfang.yaml", "org.yaml", "risks.yaml", "waivers.yaml")
INPUT_FOLDERS = ("records",)


class OutputRefused(Exception):
    """The output path is an input, a folder or otherwise unwritable; ``zh`` says it in Chinese."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


def _real(path: Path) -> str:
    return os.path.realpath(path)


def check_output(output: Path, workspace: Path | None = None, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output path that is an input of ``workspace`` (or one of ``inputs``), or a folder."""
    target = _real(output)
    if os.path.isdir(target):
        raise OutputRefused(
            f'cannot write "{output}": it is a folder; name a file in it',
            f"无法写入“{output}”：它是文件夹；请指定其中的文件",
        )
    candidates: list[Path] = [Path(p) for p in inputs]
    if workspace is not None:
        ws = Path(workspace)
        candidates += [ws / name for name in INPUT_FILES]
        for folder in INPUT_FOLDERS:
            if target.startswith(_real(ws / folder) + os.sep):
                raise OutputRefused(
                    f'cannot write "{output}": it is inside the workspace\'s {folder}/ folder, which lianfang reads; '
                    "write the output elsewhere",
                    f"无法写入“{output}”：它位于工作区的 {folder}/ 文件夹中，该文件夹是输入；请写到别处",
                )
    for path in candidates:
        if _real(path) == target:
            raise OutputRefused(
                f'cannot write "{output}": it is the input file {path.name} of the workspace; '
                "choose another output file (nothing was written)",
                f"无法写入“{output}”：它是工作区的输入文件 {path.name}；请另选输出文件（未写入任何内容）",
            )
    kind = what_it_is(output) if os.path.lexists(output) else None
    if kind is not None and not kind.too_large:  # (a large file is replaced, not read)
        raise OutputRefused(f'cannot write "{output}": it {kind.en}', f"无法写入“{output}”：它{kind.zh}")


def refuse_output(output: Path | None, workspace: Path | None, *inputs: Path | None) -> None:
    """Exit 2 before any work when ``-o`` names an input file of the workspace, or a folder."""
    if output is None:
        return
    from lianfang.checker.options import fail

    try:
        check_output(output, workspace, tuple(p for p in inputs if p is not None))
    except OutputRefused as refused:
        fail(str(refused), refused.zh)


@contextmanager
def atomic_path(output: Path) -> Iterator[Path]:
    """A temporary path beside ``output`` (same suffix) that replaces it when the block ends without error.

    The folder is created if missing. On an error the temporary file is removed and
    ``output`` is left as it was.
    """
    output = Path(output)
    import tempfile  # only when a file is written: not every command's start

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".tmp{output.suffix}", dir=output.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, output)
    finally:
        if temp.exists():
            temp.unlink()


@contextmanager
def atomic_open(output: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Like ``open(output, mode)``, but all or nothing (see :func:`atomic_path`)."""
    with atomic_path(output) as temp, temp.open(mode, **kwargs) as stream:
        yield stream


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
