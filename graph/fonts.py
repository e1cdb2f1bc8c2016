"""Which CJK font graphviz is given, found through fontconfig.

graphviz (cairo/pango) renders PNG and PDF with the fonts fontconfig knows; a label in a
font without Chinese glyphs comes out as boxes (豆腐, tofu). A comma list in ``fontname``
happens to work with pango, but not with every renderer or SVG viewer, so one family is
chosen: the first preferred family that is installed, else the first installed Chinese one.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

#: families tried first, best-looking on screen and in print first
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)

#: the font graphviz gets when no CJK font is installed (labels still lay out)
FALLBACK = "sans-serif"

INSTALL_HINT = "sudo apt-get install fonts-noto-cjk (or fonts-wqy-microhei)"


def _run(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


@lru_cache(maxsize=1)
def cjk_families() -> tuple[str, ...]:
    """Every installed family that covers Chinese, as ``fc-list :lang=zh`` names them.

    A font lists several names (``WenQuanYi Micro Hei,文泉驿微米黑``); all are returned.
    Empty when fontconfig is missing or no CJK font is installed.
    """
    if shutil.which("fc-list") is None:
        return ()
    names: list[str] = []
    for line in sorted(_run("fc-list", ":lang=zh", "family").splitlines()):
        for name in line.split(","):
            name = name.strip().replace("\\-", "-")
            if name and name not in names:
                names.append(name)
    return tuple(names)


def choose_cjk_font() -> str | None:
    """The family to pass to graphviz as ``fontname``; None when no CJK font is installed."""
    installed = cjk_families()
    if not installed:
        return None
    for family in PREFERRED:
        if family in installed:
            return family
    # prefer a proportional face to a monospaced one when nothing preferred is there
    proportional = [f for f in installed if "mono" not in f.lower()]
    return (proportional or list(installed))[0]


def resolves_to_cjk(family: str) -> bool:
    """Whether fontconfig resolves ``family`` to a font that covers Chinese.

    ``fc-match`` always answers (with a fallback such as DejaVu Sans), so the answer is
    checked for Chinese coverage rather than trusted.
    """
    if shutil.which("fc-match") is None:
        return False
    matched = _run("fc-match", "--format=%{family}", family)
    return any(name.strip() in cjk_families() for name in matched.split(","))


def missing_font_warning(lang: str = "zh") -> str:
    """The one-line warning printed when no CJK font is installed."""
    if lang == "en":
        return (
            "lianfang: warning: no Chinese (CJK) font found (`fc-list :lang=zh` lists none); "
            f"Chinese text will render as boxes in PNG and PDF; install one: {INSTALL_HINT}"
        )
    return (
        "lianfang: 警告：未找到中文（CJK）字体（`fc-list :lang=zh` 没有列出任何字体）；"
        f"PNG 和 PDF 中的中文将显示为方框；请安装一种：{INSTALL_HINT}"
    )
