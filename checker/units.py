"""Many units in one command: each workspace checked as one task of a Dask distributed job.

``lianfang check A B C`` hands every workspace to :func:`check_unit` on a Dask cluster — a
``LocalCluster`` of worker processes by default, or the cluster whose scheduler address is
given — and gathers one result per unit, in the order the workspaces were named. A unit's
bad input fails that unit only (exit 2 recorded for it); the others are checked as usual.

The result of a unit is plain data (it crosses process and machine boundaries):
``{"workspace", "exit", "data" | "error", "report", "rollup"}`` where ``data`` is the single
check's JSON (what ``lianfang check UNIT --format json`` prints), ``report`` the unit's report
in the requested format when it is to be written to a file, and ``rollup`` its line of the
roll-up table.
"""

from __future__ import annotations

import io
import logging
import os
import re
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from lianfang.checker.escape import terminal_safe
from lianfang.checker.options import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, error_prefix

#: file extension of a unit's report written to ``-o DIR``, per ``--format``
EXTENSIONS = {
    "table": ".txt",
    "json": ".json",
    "markdown": ".md",
    "junit": ".xml",
    "sarif": ".sarif",
    "github": ".txt",
}


@dataclass(frozen=True)
class UnitSettings:
    """What every unit of one job is checked with (the options of ``lianfang check``)."""

    as_of: date
    lang: str = "zh"
    fmt: str = "table"
    show_all: bool = False
    by_owner: bool = False
    fail_on: str = "error"
    due_within: int | None = None
    #: render each unit's report in ``fmt`` (for ``-o DIR``)
    render: bool = False


def unit_exit(findings: list[Any], fail_on: str) -> int:
    """The exit code a single check of the unit would give (0 or 1)."""
    if fail_on == "never":
        return EXIT_OK
    threshold = 2 if fail_on == "error" else 1
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_OK


def _score(result: Any) -> float | None:
    """The unit's 百分制 score: the latest annual_assessment result on or before the as-of date."""
    scored = [r for r in result.workspace.records if r.kind == "annual_assessment" and r.result]
    scored = [r for r in scored if r.date <= result.as_of]
    if not scored:
        return None
    latest = max(scored, key=lambda r: (r.date, r.id))
    try:
        return float(latest.result)
    except ValueError:
        return None


def check_unit(workspace: str, settings: UnitSettings) -> dict[str, Any]:
    """Check one workspace exactly as ``lianfang check WORKSPACE`` would; never raises.

    Runs on a Dask worker: the path must be readable there (same path on every machine).
    """
    from lianfang.checker.report import ReportOptions, writer_for
    from lianfang.checker.report.json_report import as_dict
    from lianfang.checker.run import check_with_waivers
    from lianfang.models.errors import InputError

    path = Path(workspace)
    out: dict[str, Any] = {"workspace": workspace}
    try:
        result = check_with_waivers(path, settings.as_of, settings.lang, settings.due_within)
        options = ReportOptions(show_all=settings.show_all, by_owner=settings.by_owner, fail_on=settings.fail_on)
        code = unit_exit([*result.open_findings(), *result.waiver_problems], settings.fail_on)
        out["exit"] = code
        if settings.fmt == "json":
            out["data"] = as_dict(result, options)
        if settings.render:
            stream = io.StringIO()
            writer_for(settings.fmt)(result, stream, options)
            out["report"] = stream.getvalue()
        out["notices"] = [notice.text(settings.lang) for notice in result.workspace.notices]
        summary = result.summary()
        out["rollup"] = {
            "unit": result.workspace.org.unit.name,
            "checked": summary["checked"],
            "by_status": summary["by_status"],
            "open_by_severity": summary["open_by_severity"],
            "score": _score(result),
        }
    except InputError as error:
        out["exit"] = EXIT_BAD_INPUT
        out["error"] = "\n".join(p.render(settings.lang) for p in error.problems)
    except Exception as error:  # a bug: this unit fails, the job goes on
        out["exit"] = EXIT_INTERNAL
        out["error"] = f"internal error: {type(error).__name__}: {error}"
        out["traceback"] = traceback.format_exc()
    return out


class SchedulerError(Exception):
    """The Dask scheduler named by ``--scheduler`` cannot be reached."""


def run_units(
    workspaces: list[str], settings: UnitSettings, workers: int | None = None, scheduler: str | None = None
) -> list[dict[str, Any]]:
    """Check every workspace as one Dask job; results in the order given.

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``workers`` processes (default: one per CPU, at most one per unit)
    is started for the job and shut down afterwards.
    """
    from distributed import Client, LocalCluster

    absolute = [str(Path(w).absolute()) for w in workspaces]
    cluster = None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as error:
            raise SchedulerError(
                f'cannot reach the Dask scheduler at "{scheduler}" ({error}); '
                "start one with `dask scheduler` and its workers with `dask worker ADDRESS`"
            ) from None
    else:
        n = max(1, min(workers or os.cpu_count() or 1, len(workspaces)))
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,  # the rule engine is not thread-safe: one check per process
            processes=True,
            dashboard_address=None,
            # with no dashboard the scheduler still serves /health and /metrics, on port 8787
            # unless told otherwise: a second check running at the same time (or anything else
            # on 8787) then fails to start. A free loopback port, never a fixed one.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        futures = client.map(
            check_unit,
            absolute,
            settings=settings,
            key=[f"check-{i}-{_safe(w)}" for i, w in enumerate(workspaces)],
            pure=False,
        )
        results: list[dict[str, Any]] = []
        for given, future in zip(workspaces, futures, strict=True):
            try:
                item = future.result()
            except Exception as error:  # the worker died (memory, a crash): this unit only
                item = {"exit": EXIT_INTERNAL, "error": f"the worker checking it failed: {error}"}
            item["workspace"] = given
            results.append(item)
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[-60:]


def overall_exit(results: list[dict[str, Any]]) -> int:
    """3 if a unit met an internal error, else 2 if one could not be checked, else 1 if one
    has findings at or above ``--fail-on``, else 0."""
    codes = {r["exit"] for r in results}
    for code in (EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_FINDINGS):
        if code in codes:
            return code
    return EXIT_OK


def rollup(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The job's summary: units by exit code, findings by status over all units, one row per unit."""
    by_status: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    rows = []
    for r in results:
        row: dict[str, Any] = {"workspace": r["workspace"], "exit": r["exit"]}
        if "rollup" in r:
            row.update(r["rollup"])
            by_status.update(r["rollup"]["by_status"])
            by_severity.update(r["rollup"]["open_by_severity"])
        else:
            row["error"] = r["error"]
        rows.append(row)
    from lianfang.checker.run import STATUS_ORDER

    return {
        "units": len(results),
        "exit": overall_exit(results),
        "by_exit": {str(code): n for code, n in sorted(Counter(r["exit"] for r in results).items())},
        "by_status": {s: by_status[s] for s in STATUS_ORDER if by_status[s]},
        "open_by_severity": dict(by_severity),
        "by_unit": rows,
    }


def unit_file_names(workspaces: list[str]) -> list[str]:
    """A distinct file stem per unit: its folder's name, numbered when two share one."""
    stems = [Path(w).absolute().name or "unit" for w in workspaces]
    counts = Counter(stems)
    seen: Counter[str] = Counter()
    out = []
    for stem in stems:
        seen[stem] += 1
        out.append(f"{stem}-{seen[stem]}" if counts[stem] > 1 else stem)
    return out


ROLLUP_WORDS = {
    "zh": {
        "title": "多单位检查汇总 — {units} 个单位，截至 {as_of}",
        "workspace": "工作区",
        "unit": "单位",
        "exit": "退出码",
        "checked": "检查项",
        "score": "考核得分",
        "failed": "{workspace}：无法检查：{error}",
    },
    "en": {
        "title": "Many-unit check — {units} units, as of {as_of}",
        "workspace": "workspace",
        "unit": "unit",
        "exit": "exit",
        "checked": "checked",
        "score": "score",
        "failed": "{workspace}: not checked: {error}",
    },
}


def write_rollup_table(summary: dict[str, Any], as_of: date, lang: str, stream: TextIO) -> None:
    """The roll-up as a terminal table: one row per unit, one column per status."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from lianfang.checker.findings import STATUS_LABELS
    from lianfang.checker.report.terminal import output_width

    words = ROLLUP_WORDS[lang]
    console = Console(file=stream, width=output_width(stream), highlight=False, soft_wrap=False)
    console.print(Text(words["title"].format(units=summary["units"], as_of=as_of.isoformat()), style="bold"))
    statuses = list(summary["by_status"])
    table = Table(words["workspace"], words["unit"], words["exit"], words["checked"], box=None)
    for status in statuses:
        table.add_column(STATUS_LABELS[lang][status], justify="right")
    table.add_column(words["score"], justify="right")
    for row in summary["by_unit"]:
        cells = [Text(row["workspace"]), Text(row.get("unit", "—")), Text(str(row["exit"]))]
        if "error" in row:
            cells += [Text("—") for _ in range(len(statuses) + 2)]
        else:
            score = row.get("score")
            cells.append(Text(str(row["checked"])))
            cells += [Text(str(row["by_status"].get(s, 0))) for s in statuses]
            cells.append(Text("—" if score is None else f"{score:g}"))
        table.add_row(*cells)
    total = [Text(""), Text(""), Text(str(summary["exit"])), Text(str(sum(summary["by_status"].values())))]
    total += [Text(str(summary["by_status"][s])) for s in statuses]
    table.add_row(*total, Text(""), style="bold")
    console.print(table)
    for row in summary["by_unit"]:
        if "error" in row:
            first = row["error"].splitlines()[0] if row["error"] else ""
            console.print(Text(words["failed"].format(workspace=row["workspace"], error=_own(row["workspace"], first))))


def _own(workspace: str, line: str) -> str:
    """An error line without the unit's path where the line already begins with it (a missing
    folder's message names the folder): the caller names the unit once."""
    return line[len(workspace) :].removeprefix(":").strip() if line.startswith(f"{workspace}:") else line


def check_many(
    workspaces: list[Path],
    settings: UnitSettings,
    output: Path | None,
    workers: int | None,
    scheduler: str | None,
    waivers_file: Path | None,
) -> int:
    """``lianfang check UNIT_DIR…``: the job, the per-unit files, the roll-up; returns the exit code."""
    import sys

    import click

    from lianfang import __version__
    from lianfang.checker.options import fail

    if waivers_file is not None:
        fail("--waivers names one unit's file; with several workspaces each unit's own waivers.yaml is used")
    if output is None and settings.fmt not in ("table", "json"):
        fail(f"with several workspaces, --format {settings.fmt} writes one file per unit: add -o DIR")
    if output is not None and output.exists() and not output.is_dir():
        fail(f'-o "{output}" is a file; with several workspaces -o names a folder for one report per unit')
    names = [str(w) for w in workspaces]
    try:
        results = run_units(names, settings if output is None else _rendering(settings), workers, scheduler)
    except SchedulerError as error:
        fail(str(error))
    warning = "warning" if settings.lang == "en" else "警告"
    for r in results:
        for text in r.get("notices", ()):
            click.echo(f"lianfang: {warning}: {r['workspace']}: {text}", err=True)
        if "error" in r:
            for line in r["error"].splitlines():
                click.echo(
                    f"{error_prefix(settings.lang)}{r['workspace']}: {terminal_safe(_own(r['workspace'], line))}",
                    err=True,
                )
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for stem, r in zip(unit_file_names(names), results, strict=True):
            if "report" in r:
                (output / f"{stem}{EXTENSIONS[settings.fmt]}").write_text(r["report"], encoding="utf-8", newline="\n")
            else:
                (output / f"{stem}.error.txt").write_text(r["error"] + "\n", encoding="utf-8", newline="\n")
    summary = rollup(results)
    if settings.fmt == "json":
        units = []
        for r in results:
            unit = {"workspace": r["workspace"], "exit": r["exit"]}
            if "data" in r:
                unit.update({k: v for k, v in r["data"].items() if k != "tool"})
            else:
                unit["error"] = r["error"]
            units.append(unit)
        document = {"tool": {"name": "lianfang", "version": __version__}, "units": units, "summary": summary}
        from lianfang.checker.report.json_report import dumps_bytes, write_json_bytes

        write_json_bytes(sys.stdout, dumps_bytes(document))
    else:
        write_rollup_table(summary, settings.as_of, settings.lang, sys.stdout)
    return int(summary["exit"])


def _rendering(settings: UnitSettings) -> UnitSettings:
    from dataclasses import replace

    return replace(settings, render=True)
