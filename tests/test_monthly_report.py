"""`lianfang report`: the example's November report, opened in a real browser and as a PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lianfang.checker.monthly.svg import sanitize_svg
from lianfang.checker.run import open_workspace
from tests.browser import CHROMIUM, open_page
from tests.cli_helpers import run

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "dongying"
AS_OF = "2026-11-30"
#: screenshots and the PDF's first page, kept for a person to look at
ARTEFACTS = ROOT / "out" / "test-artefacts"

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup.sh installs it)")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="poppler-utils is not installed (scripts/setup.sh installs it)"
)


@pytest.fixture(scope="module")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "月报-2026-11.html"
    run(["report", EXAMPLE, "--as-of", AS_OF, "-o", out], 0)
    return out


@pytest.fixture(scope="module")
def check_json() -> dict[str, Any]:
    return json.loads(run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json"], 1).stdout)


def figures(html: str) -> dict[str, int]:
    found = re.findall(r'data-(status|severity|figure)="(\w+)"><span class="n">([\d.]+)</span>', html)
    return {f"{kind}:{name}": int(float(n)) for kind, name, n in found}


# ------------------------------------------------------------------------------ browser


@needs_chromium
def test_the_browser_check_itself_catches_errors_and_requests(tmp_path: Path) -> None:
    """The detector is real: a page with a script error and an outside image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">'
        '<script>console.error("boom"); missing();</script></body></html>',
        encoding="utf-8",
    )
    opened = open_page(bad, tmp_path)
    assert any("boom" in line for line in opened.console)
    assert any("missing" in line for line in opened.console)
    assert "http://example.invalid/x.png" in opened.requests


@needs_chromium
def test_the_example_report_in_a_real_browser(example_html: Path, check_json: dict, tmp_path: Path) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "report-2026-11.png"
    opened = open_page(example_html, tmp_path, screenshot=shot)
    assert opened.console == []
    assert opened.requests == []

    # the headline figures are the check's own
    shown = figures(opened.dom)
    summary = check_json["summary"]
    open_statuses = ["missed", "failed", "unknown", "late", "early", "due_soon"]
    for status in open_statuses:
        assert shown[f"status:{status}"] == summary["by_status"].get(status, 0), status
    assert shown["status:waived"] == summary["by_status"].get("waived", 0)
    for severity in ("error", "warning"):
        assert shown[f"severity:{severity}"] == summary["open_by_severity"].get(severity, 0)
    assert shown["figure:open"] == len([f for f in check_json["findings"] if f["status"] in open_statuses])

    # every department's diagram is there, drawn (an SVG with its risk points' text)
    ws = open_workspace(EXAMPLE)[0]
    drawn = re.findall(r'data-diagram="([^"]+)"', opened.dom)
    assert drawn == [d.id for d in ws.org.departments]
    for d in ws.org.departments:
        block = opened.dom.split(f'data-diagram="{d.id}"', 1)[1].split('data-diagram="', 1)[0]
        assert "<svg" in block
        risks = [r for r in ws.risks.risk_points if r.power_item and ws.powers[r.power_item].department == d.id]
        assert risks
        for risk in risks[:2]:
            assert risk.id in block

    # the screenshot shows a page, not a blank
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size[0] == 1200
        colours = image.convert("RGB").resize((300, 1300)).getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 200


def test_the_report_is_self_contained(example_html: Path) -> None:
    html = example_html.read_text(encoding="utf-8")
    # nothing to fetch: no src, no stylesheet link, no url() but to the page's own ids
    assert not re.search(r"\ssrc\s*=", html)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(?!#)", html)
    hrefs = re.findall(r'href\s*=\s*"([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    # the only absolute URLs are XML namespace names, which are never fetched
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_the_report_says_what_a_meeting_needs(example_html: Path) -> None:
    html = example_html.read_text(encoding="utf-8")
    for words in (
        "东营市残疾人联合会廉政风险防控管理工作月度报告",
        "2026 年度 · 截至 2026-11-30",
        "各部室未结问题及责任人",
        "许建仁",  # the main leader, accountable with 谢恩明 for the unit's own findings
        "近期到期事项",
        "R204",  # 唐志强's diary problem, due 12-03
        "百分制考核评估",
        "生效中的豁免",
        "@page",
    ):
        assert words in html, words
    # the scorecard is the score command's
    scored = json.loads(run(["score", EXAMPLE, "--as-of", AS_OF, "--format", "json"], 0).stdout)
    assert f'data-figure="score"><span class="n">{scored["total"]:g}</span>' in html
    # no archive yet: the report says there is no history
    assert 'data-history="none"' in html


# ----------------------------------------------------------------------------------- PDF


@needs_poppler
def test_the_pdf_embeds_the_cjk_font(tmp_path: Path) -> None:
    pdf = tmp_path / "月报-2026-11.pdf"
    run(["report", EXAMPLE, "--as-of", AS_OF, "-o", pdf], 0)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    cjk = [
        line
        for line in fonts.splitlines()[2:]
        if re.search(r"WenQuanYi|Noto.*CJK|Source.?Han|Hei|Song|Ming", line, re.IGNORECASE)
    ]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # the emb column
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    text = subprocess.run(["pdftotext", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "东营市残疾人联合会廉政风险防控管理工作月度报告" in text
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", pdf, ARTEFACTS / "report-pdf"], check=True)


# ------------------------------------------------------------------------- other cases


def test_english_and_escaping(ws: Path, tmp_path: Path) -> None:
    org = (ws / "org.yaml").read_text(encoding="utf-8")
    hostile = "<script>alert(1)</script>&甲部"
    (ws / "org.yaml").write_text(org.replace("name: 甲部,", f'name: "{hostile}",'), encoding="utf-8")
    out = tmp_path / "r.html"
    run(["report", ws, "--as-of", "2026-10-15", "-o", out, "--lang", "en"], 0)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;甲部" in html
    assert "Open findings by department, with the people accountable" in html
    assert '<html lang="en">' in html


def test_sanitize_svg_drops_scripts_and_outside_references() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" '
        'height="10pt" viewBox="0 0 10 10"><script>alert(1)</script><g id="a" onclick="x()">'
        '<image xlink:href="http://evil/x.png"/><a xlink:href="https://evil/"><text>t</text></a>'
        '<use xlink:href="#a"/><rect fill="url(#grad)" style="fill:url(http://evil/p)"/></g>'
        "<foreignObject><div>x</div></foreignObject></svg>"
    )
    clean = sanitize_svg(svg, "p-")
    assert "script" not in clean and "onclick" not in clean and "evil" not in clean
    assert "foreignObject" not in clean and "<image" not in clean
    assert 'id="p-a"' in clean and 'href="#p-a"' in clean and 'fill="url(#p-grad)"' in clean
    assert 'width="10pt"' not in clean and 'viewBox="0 0 10 10"' in clean


@dataclass
class FakeRun:
    run_id: str
    saved_at: str
    as_of: str
    pack_version: str
    input_digest: str
    findings: list[dict]


def test_trend_and_changes_from_the_archive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, check_json: dict) -> None:
    """With check history, the report draws the trend and lists what is new and resolved."""
    current = [f for f in check_json["findings"] if f["status"] in ("missed", "failed")]
    gone = {**current[0], "rule": "R205", "subject": "zuxuan", "subject_name": "组宣部", "period": "2026-09"}
    gone["status"] = "missed"
    older = [f for f in current if f["rule"] != "K401"] + [gone]
    fake = types.ModuleType("lianfang.models.archive.history")
    runs = [
        FakeRun("r1", "2026-10-31T09:00:00", "2026-10-31", "1", "d1", older[:3]),
        FakeRun("r3", "2026-11-15T08:00:00", "2026-11-15", "1", "d3", []),  # the same day, saved earlier
        FakeRun("r2", "2026-11-15T09:00:00", "2026-11-15", "1", "d2", older),
        FakeRun("r4", "2026-12-15T09:00:00", "2026-12-15", "1", "d4", []),  # later than the report: ignored
    ]
    fake.recent_runs = lambda workspace, db_url=None, limit=12: runs  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lianfang.models.archive.history", fake)
    out = tmp_path / "r.html"
    run(["report", EXAMPLE, "--as-of", AS_OF, "-o", out], 0)
    html = out.read_text(encoding="utf-8")
    assert 'data-history="2"' in html and 'data-chart="trend"' in html
    trend = html.split('id="trend"', 1)[1].split("</section>", 1)[0]
    new = trend.split("新增问题", 1)[1].split("已解决或不再列出", 1)[0]
    resolved = trend.split("已解决或不再列出", 1)[1]
    assert "K401" in new and "采购岗" in new
    assert "R205" in resolved and "组宣部" in resolved
    assert "与上次检查（截至 2026-11-15）相比" in trend


def test_progress_shows_on_a_terminal_only() -> None:
    import io

    from lianfang.checker.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Progress("lianfang report", stream) as progress:
            progress.step("drawing diagram 3/7 教就部")
    assert "drawing diagram 3/7 教就部" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the line is cleared when done
    assert pipe.getvalue() == ""


def test_report_is_quiet_in_a_pipe(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run(["report", ws, "--as-of", "2026-10-15", "-o", out], 0)
    assert result.stdout == ""
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    assert result.stderr.strip().startswith(f"lianfang: 已写出 {out}（html；未结问题 ")
    result = run(["report", ws, "--as-of", "2026-10-15", "-o", out, "--lang", "en"], 0)
    assert result.stderr.strip().startswith(f"lianfang: wrote {out} (html; ")
    assert "(s)" not in result.stderr


def test_report_usage_errors(tmp_path: Path) -> None:
    result = run(["report", EXAMPLE, "--as-of", AS_OF, "-o", tmp_path / "r.docx"], 2)
    assert "无法从扩展名判断" in result.stderr
    result = run(["report", EXAMPLE, "--as-of", AS_OF, "-o", tmp_path / "r.docx", "--lang", "en"], 2)
    assert 'cannot tell the format of "' in result.stderr
    result = run(["report", tmp_path / "nowhere", "--as-of", AS_OF, "-o", tmp_path / "r.html"], 2)
    assert "找不到工作区文件夹" in result.stderr  # Chinese by default (issue 9)


def test_waivers_in_force_are_shown_and_counted(tmp_path: Path) -> None:
    waivers = ROOT / "docs" / "examples" / "waivers.yaml"
    out = tmp_path / "r.html"
    run(["report", EXAMPLE, "--as-of", AS_OF, "-o", out, "--waivers", waivers], 0)
    html = out.read_text(encoding="utf-8")
    checked = json.loads(run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--waivers", waivers], 1).stdout)
    shown = figures(html)
    assert shown["status:waived"] == checked["summary"]["by_status"]["waived"] == 1
    assert shown["status:missed"] == checked["summary"]["by_status"]["missed"]
    section = html.split('id="waivers"', 1)[1].split("</section>", 1)[0]
    assert "语训学校 10 月停课装修" in section and "许建仁" in section and "2026-12-31" in section
    # the waived miss deducts nothing: the scorecard is the score command's with the same waivers
    scored = json.loads(run(["score", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--waivers", waivers], 0).stdout)
    assert f'data-figure="score"><span class="n">{scored["total"]:g}</span>' in html


def test_trend_from_a_real_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check --save` in October, then the November report compares with it (issue 11's archive)."""
    pytest.importorskip("lianfang.models.archive.history", reason="the archive (issue 11) is not installed")
    monkeypatch.delenv("LIANFANG_DB", raising=False)
    workspace = tmp_path / "dongying"
    shutil.copytree(EXAMPLE, workspace)
    run(["check", workspace, "--as-of", "2026-10-31", "--save"], 1)
    out = tmp_path / "r.html"
    run(["report", workspace, "--as-of", AS_OF, "-o", out], 0)
    trend = out.read_text(encoding="utf-8").split('id="trend"', 1)[1].split("</section>", 1)[0]
    assert 'data-history="1"' in trend and 'data-chart="trend"' in trend
    assert "与上次检查（截至 2026-10-31）相比" in trend
    new = trend.split("新增问题", 1)[1].split("已解决或不再列出", 1)[0]
    assert "R204" in new  # 唐志强's diary problem of 11-03 came after the October check
