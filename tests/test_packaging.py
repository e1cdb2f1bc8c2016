"""The package users install: one import name, every subpackage and data file in the wheel.

`.ci/run` builds and installs the real wheel (scripts/check-wheel.sh); these fast checks catch the
usual way it breaks first: a new subpackage or data file that pyproject.toml does not list, which
an editable install never notices.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from click.testing import CliRunner

import lianfang
from lianfang.checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _folder(package: str) -> Path:
    """The source folder of a dotted package under the package-dir mapping."""
    mapping = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in mapping:
            return ROOT / mapping[prefix] / Path(*parts[n:])
    raise AssertionError(f"{package} is not under the package-dir mapping")


def _source_packages() -> set[str]:
    found = {"lianfang"}
    for top in ("models", "rules", "checker", "graph"):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT)
            found.add("lianfang." + ".".join(rel.parts))
    return found


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    listed = set(SETUPTOOLS["packages"])
    assert _source_packages() - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - _source_packages() == set(), "listed packages with no folder"


def test_only_lianfang_is_installed_at_the_top() -> None:
    assert {p.split(".")[0] for p in SETUPTOOLS["packages"]} == {"lianfang"}
    assert PYPROJECT["project"]["scripts"]["lianfang"].startswith("lianfang.")


def test_every_data_file_is_package_data() -> None:
    """A file beside the code that is not Python must be matched by a package-data glob."""
    data = SETUPTOOLS["package-data"]
    missing = []
    for package in SETUPTOOLS["packages"]:
        folder = _folder(package)
        for path in folder.iterdir():
            if path.is_dir() and (path / "__init__.py").exists():
                continue  # a subpackage: checked as itself
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            for file in files:
                if file.suffix in {".py", ".pyc"} or "__pycache__" in file.parts:
                    continue
                rel = file.relative_to(folder).as_posix()
                if not any(fnmatch(rel, pattern) for pattern in data.get(package, [])):
                    missing.append(f"{package}: {rel}")
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"


def test_version_is_one_and_shown() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"lianfang, version {lianfang.__version__}"
    # the one version (lianfang/__init__.py) is the installed distribution's
    assert lianfang.__version__ == importlib.metadata.version("lianfang")
    assert PYPROJECT["project"]["dynamic"] == ["version"] and "version" not in PYPROJECT["project"]
