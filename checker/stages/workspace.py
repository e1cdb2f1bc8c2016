"""Stage 1, open the workspace: ``lianfang.yaml`` first (it may name the rule pack), then the
pack with the workspace's overrides, then the rest of the workspace, read for the evidence
kinds the pack uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lianfang.models.config import Config
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.records import Record
from lianfang.models.workspace import Workspace, _validate, load_workspace, read_yaml
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue, load_catalogue


def missing_workspace(path: Path) -> InputError:
    """The error for a workspace folder that is not there (``check``, ``lint`` …)."""
    return InputError(
        [
            InputProblem(
                str(path),
                "",
                "workspace folder not found; pass the folder that holds lianfang.yaml",
                zh="找不到工作区文件夹；请给出包含 lianfang.yaml 的文件夹",
            )
        ]
    )


def open_workspace(path: Path) -> tuple[Workspace, Catalogue]:
    """Read ``lianfang.yaml`` first (it may name the rule pack), then the pack, then the rest."""
    path = Path(path)
    problems: list[Any] = []
    if not path.is_dir():
        raise missing_workspace(path)
    data = read_yaml(path / "lianfang.yaml", "lianfang.yaml", problems, path)
    config = _validate(Config, data, "lianfang.yaml", problems) if data is not None else None
    if config is None:
        raise InputError(problems)
    pack = (path / config.rule_pack) if config.rule_pack else SHIPPED_PACK
    catalogue = load_catalogue(pack, config)
    counting = {r.evidence: frozenset(r.counting.exclude_results) for r in catalogue.rules if r.counting and r.evidence}
    workspace = load_workspace(path, catalogue.evidence_kinds(), config, counting)
    problems = score_problems(workspace.records, catalogue)
    if problems:
        raise InputError(problems)
    return workspace, catalogue


def score_problems(records: Iterable[Record], catalogue: Catalogue) -> list[InputProblem]:
    """Records whose ``result`` is not the score a rule of the catalogue asks for (S122's
    ``score: {min: 0, max: 100}``): bad input naming the file and row."""
    scores = {r.evidence: r.score for r in catalogue.rules if r.score is not None and r.evidence}
    out: list[InputProblem] = []
    for record in records:
        score = scores.get(record.kind)
        if score is None or not record.result:
            continue
        try:
            value = float(record.result)
        except ValueError:
            value = float("nan")
        if not score.min <= value <= score.max:
            low, high = f"{score.min:g}", f"{score.max:g}"
            out.append(
                InputProblem(
                    record.file,
                    record.place.at("result") if record.place else f"row {record.line}",
                    f'result "{record.result}" of {record.kind} must be a score from {low} to {high}',
                    zh=f"{record.kind} 的 result“{record.result}”应为 {low} 到 {high} 的分数",
                )
            )
    return out
