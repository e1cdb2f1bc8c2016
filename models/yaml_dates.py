"""Find dates and times in a YAML file that do not exist (2026-06-31, an hour 25, an offset +99:00).

PyYAML turns an unquoted ``2026-06-31`` into a ``date`` while loading and raises a bare
``ValueError`` with neither file nor line, so such a value is found here first, on the
composed node graph (bounded, each node visited once: see ``models.yaml_safe``), where
every scalar still has its line and key path.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianfang.models import yaml_safe


@dataclass(frozen=True)
class BadDate:
    """An impossible date or time: where it is and what it says."""

    line: int
    key: str
    value: str


def impossible_dates(text: str) -> list[BadDate]:
    """Every scalar that YAML reads as a date or time but that cannot be one, with its key path.

    A document that cannot be composed or breaks the limits gives none here: its reader
    reports it.
    """
    root = yaml_safe.compose_or_none(text)
    return [BadDate(p.line, p.key, p.value) for p in yaml_safe.bad_timestamps(root)]
