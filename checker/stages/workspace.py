"""Stage 1, open the workspace: ``lianfang.yaml`` first (it may name the rule pack), then the
pack with the workspace's overrides, then the rest of the workspace, read for the evidence
kinds the pack uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lianfang.models.config import Config
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.workspace import Workspace, _validate, load_workspace, read_yaml
from lianfang.rules.catalogue import SHIPPED_PACK, Catalogue, load_catalogue


def open_workspace(path: Path) -> tuple[Workspace, Catalogue]:
    """Read ``lianfang.yaml`` first (it may name the rule pack), then the pack, then the rest."""
    path = Path(path)
    problems: list[Any] = []
    if not path.is_dir():
        raise InputError(
            [InputProblem(str(path), "", "workspace folder not found; pass the folder that holds lianfang.yaml")]
        )
    data = read_yaml(path / "lianfang.yaml", "lianfang.yaml", problems, path)
    config = _validate(Config, data, "lianfang.yaml", problems) if data is not None else None
    if config is None:
        raise InputError(problems)
    pack = (path / config.rule_pack) if config.rule_pack else SHIPPED_PACK
    catalogue = load_catalogue(pack, config)
    counting = {r.evidence: frozenset(r.counting.exclude_results) for r in catalogue.rules if r.counting and r.evidence}
    workspace = load_workspace(path, catalogue.evidence_kinds(), config, counting)
    return workspace, catalogue
