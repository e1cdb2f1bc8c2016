"""The pipeline is visible in the folders and no module reaches back up it (issue 9):
models → rules → checker's stages in order → outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = [
    "workspace",
    "obligations",
    "evidence",
    "match",
    "status",
    "register_facts",
    "register",
    "escalation",
    "waivers",
]
#: shared modules of the checker that stages use; none of them may import a stage or an output
CORE = ["engine", "compile", "findings", "messages", "chain", "labels", "write_behind", "forking"]


def imports(path: Path) -> set[str]:
    """Every ``lianfang.…`` module a file imports, at the top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lianfang."):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("lianfang."))
    return out


def test_the_stages_are_the_folder_and_run_is_only_their_order() -> None:
    assert sorted(p.stem for p in (ROOT / "checker" / "stages").glob("*.py") if p.stem != "__init__") == sorted(STAGES)
    assert len((ROOT / "checker" / "run.py").read_text(encoding="utf-8").splitlines()) < 100


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages(stage: str) -> None:
    used = imports(ROOT / "checker" / "stages" / f"{stage}.py")
    later = {f"lianfang.checker.stages.{s}" for s in STAGES[STAGES.index(stage) + 1 :]}
    assert not used & later, f"{stage} reaches back up the pipeline: {sorted(used & later)}"
    assert not {m for m in used if m.startswith(("lianfang.checker.report", "lianfang.graph", "lianfang.checker.cli"))}


@pytest.mark.parametrize("module", CORE)
def test_the_checkers_shared_modules_import_no_stage_and_no_output(module: str) -> None:
    used = imports(ROOT / "checker" / f"{module}.py")
    bad = {m for m in used if m.startswith(("lianfang.checker.stages", "lianfang.checker.report", "lianfang.graph"))}
    assert not bad, f"{module}: {sorted(bad)}"


def test_rules_and_models_do_not_import_the_checker() -> None:
    for folder, forbidden in (
        ("rules", ("lianfang.checker", "lianfang.graph")),
        ("models", ("lianfang.checker", "lianfang.graph")),
    ):
        for path in (ROOT / folder).rglob("*.py"):
            bad = {m for m in imports(path) if m.startswith(forbidden)}
            assert not bad, f"{path.relative_to(ROOT)}: {sorted(bad)}"


def test_lint_is_a_package_of_one_job_per_module() -> None:
    modules = sorted(p.stem for p in (ROOT / "checker" / "lint").glob("*.py"))
    assert {"inputs", "dates", "coverage", "register", "findings", "output"} <= set(modules)
    assert not (ROOT / "checker" / "lint.py").exists()
