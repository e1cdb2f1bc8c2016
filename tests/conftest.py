"""Fixtures shared by the test modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BASE = Path(__file__).parent / "fixtures" / "base"


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    """A writable copy of the small base unit (tests/fixtures/base) with an empty records/."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    (root / "records").mkdir(exist_ok=True)
    return root
