"""Find dates in a YAML file that do not exist (2026-02-30, 2026-06-31).

PyYAML turns an unquoted ``2026-06-31`` into a ``date`` while loading and raises a bare
``ValueError`` with neither file nor line, so such a date is found here first, on the
composed node tree, where every scalar still has its line and key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class BadDate:
    """An impossible date: where it is and what it says."""

    line: int
    key: str
    value: str


def impossible_dates(text: str) -> list[BadDate]:
    """Every scalar that YAML reads as a date but that is not a real day, with its key path."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # a syntax error is reported by the reader with its own line
    found: list[BadDate] = []

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value)
                walk(value, f"{path}.{name}" if path else name)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")
        elif isinstance(node, yaml.ScalarNode) and node.tag == TIMESTAMP_TAG:
            match = DATE_PREFIX.match(node.value)
            if match:
                try:
                    date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
                except ValueError:
                    found.append(BadDate(node.start_mark.line + 1, path, node.value))

    if root is not None:
        walk(root, "")
    return found
