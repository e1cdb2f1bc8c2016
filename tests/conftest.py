"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches in .hypothesis/ of the working folder; keep the checkout clean.
set_hypothesis_home_dir(
    os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or Path(tempfile.gettempdir()) / "lianfang-hypothesis"
)

# Property-based tests run the same fixed examples everywhere (CI, 3.11 and 3.13, a laptop):
# a fixed count, derandomised, and no example database written into the working folder.
settings.register_profile(
    "ci",
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# more examples, still without a database in the working folder: HYPOTHESIS_PROFILE=thorough
settings.register_profile("thorough", max_examples=1000, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE = Path(__file__).parent / "fixtures" / "base"


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    """A writable copy of the small base unit (tests/fixtures/base) with an empty records/."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    (root / "records").mkdir(exist_ok=True)
    return root
