"""The check: the stages of ``checker/stages/`` in order, and the one entry every command uses.

workspace → obligations → evidence → chains → match → status → escalation (checker/shares.py:
in shares of the subjects, side by side in forked processes, for a large workspace) →
register checks → waivers.
``check_with_waivers`` is what every command shows; ``run_check`` is the check of a workspace
already open (tests, benchmarks, many units).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lianfang.checker.result import STATUS_ORDER, CheckResult, sort_key
from lianfang.checker.shares import Context, decide
from lianfang.checker.stages.waivers import apply_waivers, load_waivers, waiver_path
from lianfang.checker.stages.workspace import open_workspace
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue


def run_check(
    ws: Workspace,
    catalogue: Catalogue,
    as_of: date,
    lang: str = "zh",
    due_soon_days: int | None = None,
    *,
    json_items: bool = False,
) -> CheckResult:
    """Evaluate every rule against the workspace as of ``as_of``. ``json_items``: the result
    will be written as ``--format json`` (a large check prepares for it while it waits for its
    shares; the result is the same either way)."""
    horizon = ws.config.params.due_soon_days if due_soon_days is None else due_soon_days
    # every stage but the waivers; for a large workspace in shares of its subjects (checker/shares.py)
    findings, mismatches = decide(Context(catalogue, ws, as_of, lang, horizon, json_items))
    findings.sort(key=sort_key)
    return CheckResult(ws, catalogue, as_of, lang, findings, period_mismatches=mismatches)


def check_workspace(
    path: Path, as_of: date, lang: str = "zh", due_soon_days: int | None = None, *, json_items: bool = False
) -> CheckResult:
    """Load a workspace folder and check it; raises ``InputError`` on bad input."""
    ws, catalogue = open_workspace(path)
    return run_check(ws, catalogue, as_of, lang, due_soon_days, json_items=json_items)


def check_with_waivers(
    path: Path,
    as_of: date,
    lang: str = "zh",
    due_soon_days: int | None = None,
    waivers_file: Path | None = None,
    *,
    json_items: bool = False,
) -> CheckResult:
    """The check every command shows (check, calendar, graph, report, score …): the workspace
    checked as of ``as_of``, with its waivers (``waivers_file`` or the workspace's waivers.yaml)
    applied. Raises ``InputError`` on bad input. ``json_items``: see ``run_check``."""
    result = check_workspace(path, as_of, lang, due_soon_days, json_items=json_items)
    waivers = waiver_path(path, waivers_file)
    if waivers is not None:
        result = apply_waivers(result, load_waivers(waivers, result.workspace, result.catalogue), as_of)
    return result


__all__ = [
    "STATUS_ORDER",
    "CheckResult",
    "check_with_waivers",
    "check_workspace",
    "open_workspace",
    "run_check",
    "sort_key",
]
