"""``lianfang init``: a new workspace from templates, never overwriting what is there."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
FILES = {
    "lianfang.yaml": "lianfang.yaml",
    "org.yaml": "org.yaml",
    "risks.yaml": "risks.yaml",
    "records/records.csv": "records.csv",
}


def existing_files(root: Path) -> list[str]:
    return [name for name in FILES if (root / name).exists()]


def create_workspace(root: Path, year: int) -> list[Path]:
    """Write the template files into ``root``; the caller has checked none exists."""
    written = []
    for name, template in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (TEMPLATES / template).read_text(encoding="utf-8").format(year=year)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
