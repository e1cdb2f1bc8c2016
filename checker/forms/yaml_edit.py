"""Rewrite risks.yaml keeping the user's comments, order and layout (ruamel.yaml round trip).

ruamel keeps comments and key order but re-spaces flow mappings aligned by hand
(``{subject: jicai,      level: 1}``); every line whose content is unchanged is therefore
taken back from the original text, so a change touches only the lines it changes.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

_SEQUENCE_ITEM = re.compile(r"^(?P<indent> *)- ")
_SPACES = re.compile(r"\s+")


def _yaml_for(text: str) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    offset = 0
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if re.match(r"^[A-Za-z_][\w-]*:\s*(#.*)?$", line):
            following = next((n for n in lines[i + 1 :] if n.strip() and not n.lstrip().startswith("#")), "")
            match = _SEQUENCE_ITEM.match(following)
            if match:
                offset = len(match.group("indent"))
                break
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def load(text: str) -> tuple[YAML, Any]:
    yaml = _yaml_for(text)
    return yaml, yaml.load(text)


def dump(yaml: YAML, doc: Any, original: str) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return keep_original_lines(original, out.getvalue())


def keep_original_lines(original: str, new: str) -> str:
    """``new``, with each line whose content equals an original line (spacing aside) as written."""
    old_lines, new_lines = original.splitlines(), new.splitlines()

    def norm(line: str) -> str:
        return _SPACES.sub(" ", line.strip())

    matcher = difflib.SequenceMatcher(None, [norm(x) for x in old_lines], [norm(x) for x in new_lines], autojunk=False)
    out: list[str] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        out.extend(old_lines[a0:a1] if tag == "equal" else new_lines[b0:b1])
    newline = "\r\n" if "\r\n" in original else "\n"
    return newline.join(out) + (newline if new.endswith("\n") else "")


def flow_map(**items: Any) -> CommentedMap:
    mapping = CommentedMap()
    for key, value in items.items():
        if value is not None:
            mapping[key] = value
    mapping.fa.set_flow_style()
    return mapping


def block_map(**items: Any) -> CommentedMap:
    mapping = CommentedMap()
    for key, value in items.items():
        if value is not None:
            mapping[key] = value
    return mapping


def seq(items: list[Any], flow: bool = False) -> CommentedSeq:
    out = CommentedSeq(items)
    if flow:
        out.fa.set_flow_style()
    return out


def write_atomically(path: Path, text: str) -> Path:
    """Back ``path`` up beside itself, then replace it in one step; the backup's path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    n = 2
    while backup.exists():
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
        n += 1
    shutil.copy2(path, backup)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copymode(path, partial)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return backup
