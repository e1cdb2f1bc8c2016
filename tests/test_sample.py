"""`lianfang sample`: the monthly diary spot check — reproducible, stratified, rate respected."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lianfang.checker.run import open_workspace
from tests.cli_helpers import run

EXAMPLE = Path(__file__).parent.parent / "examples" / "dongying"
#: holders of the example's key posts and the heads of its key departments (org.yaml)
KEY = {
    "li-minghui",
    "zhao-lixin",
    "wu-hongmei",
    "xu-liang",
    "guo-jianhua",
    "he-lijuan",
    "gao-yuan",
    "zheng-wenjing",
    "han-bing",
    "dong-jianjun",
    "yu-changming",  # head of 教就部 (key department); 计财部 has no head
}
#: earlier diary findings as of 2026-11-01: R201 韩冰 09, 宋国栋 10; R204 邓伟 (M-0034)
HISTORY = {"han-bing", "song-guodong", "deng-wei"}


def sample(*args: str) -> dict:
    return json.loads(run(["sample", *args, "--format", "json"], 0).stdout)


def drawn(data: dict) -> list[str]:
    return [d["person"] for d in data["drawn"]]


def test_same_inputs_same_draw_and_the_seed_is_recomputable() -> None:
    first = sample(str(EXAMPLE), "--month", "2026-11")
    again = sample(str(EXAMPLE), "--month", "2026-11")
    assert drawn(first) == drawn(again)
    assert first["seed"] == hashlib.sha256(b"lianfang-sample|dongying-cdpf|2026-11").hexdigest()[:16]
    # the random part is the people outside the strata in HMAC order, as the README says
    random = [d["person"] for d in first["drawn"] if d["reasons"][0]["reason"] == "random"]
    people = [p.id for p in open_workspace(EXAMPLE)[0].org.people]
    others = sorted(
        set(people) - KEY - HISTORY,
        key=lambda p: hmac.new(first["seed"].encode(), f"2026-11|{p}".encode(), hashlib.sha256).hexdigest(),
    )
    assert sorted(random) == sorted(others[: len(random)])


def test_a_different_month_or_seed_draws_differently() -> None:
    november = set(drawn(sample(str(EXAMPLE), "--month", "2026-11")))
    december = set(drawn(sample(str(EXAMPLE), "--month", "2026-12")))
    assert november != december
    other_seed = set(drawn(sample(str(EXAMPLE), "--month", "2026-11", "--seed", "会议当场掷骰 4-2-6")))
    assert other_seed != november


@pytest.mark.parametrize("month", ["2026-09", "2026-11", "2026-12"])
@pytest.mark.parametrize("rate", ["0.1", "0.2", "0.5"])
def test_key_posts_always_drawn_and_the_rate_respected(month: str, rate: str) -> None:
    data = sample(str(EXAMPLE), "--month", month, "--rate", rate)
    people = set(drawn(data))
    assert people >= KEY
    assert len(people) >= math.ceil(float(rate) * data["population"])
    random = [d for d in data["drawn"] if d["reasons"][0]["reason"] == "random"]
    assert len(random) == math.ceil(float(rate) * (data["population"] - data["mandatory"]))


def test_earlier_diary_findings_are_always_drawn() -> None:
    data = sample(str(EXAMPLE), "--month", "2026-11", "--size", "1")
    people = {d["person"]: d for d in data["drawn"]}
    assert set(people) == KEY | HISTORY  # the strata are never cut to fit --size
    assert {r["detail"] for r in people["song-guodong"]["reasons"]} == {"R201 2026-10"}
    assert {r["detail"] for r in people["deng-wei"]["reasons"]} == {"R204 M-0034"}
    # before any diary was owed there is no history
    september = {d["person"] for d in sample(str(EXAMPLE), "--month", "2026-09", "--size", "1")["drawn"]}
    assert september == KEY


def test_size_fills_up_with_random_people() -> None:
    data = sample(str(EXAMPLE), "--month", "2026-11", "--size", "20")
    assert len(data["drawn"]) == 20


def test_terminal_output_names_seed_and_reasons() -> None:
    out = run(["sample", EXAMPLE, "--month", "2026-11"], 0).stdout
    assert "d25ab40e7f67b54e" in out and "sha256" in out
    assert "重点岗位：采购岗" in out and "以往日记问题：R201 2026-09" in out


def test_checklists(tmp_path: Path) -> None:
    md = tmp_path / "抽查.md"
    run(["sample", EXAMPLE, "--month", "2026-11", "-o", md], 0)
    text = md.read_text(encoding="utf-8")
    assert "diary_spot_check" in text and "diary_problem" in text
    assert "| 韩冰 | han\\-bing |" in text
    xlsx = tmp_path / "抽查.xlsx"
    run(["sample", EXAMPLE, "--month", "2026-11", "-o", xlsx, "--lang", "en"], 0)
    book = load_workbook(xlsx)
    values = [row for row in book.worksheets[0].values if row and row[0] == "#"]
    assert values and "why drawn" in values[0]
    assert any("diary_spot_check" in str(row[0]) for row in book.worksheets[1].values)


def test_markdown_checklist_escapes_names(ws: Path, tmp_path: Path) -> None:
    org = (ws / "org.yaml").read_text(encoding="utf-8")
    (ws / "org.yaml").write_text(org.replace("name: 甲部科员", 'name: "<b>甲|部</b>"'), encoding="utf-8")
    out = tmp_path / "c.md"
    run(["sample", ws, "--month", "2026-11", "--rate", "1", "-o", out], 0)
    text = out.read_text(encoding="utf-8")
    assert "\\<b\\>甲\\|部\\</b\\>" in text and "<b>" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], '"2026-13" is not a month'),
        (["--month", "2026-11", "--size", "3", "--rate", "0.5"], "--size or --rate, not both"),
        (["--month", "2026-11", "--rate", "1.5"], "1.5"),
        (["--month", "2026-11", "-o", "x.pdf"], 'cannot tell the format of "x.pdf"'),
    ],
)
def test_bad_usage(args: list[str], message: str) -> None:
    result = run(["sample", EXAMPLE, *args, "--lang", "en"], 2)
    assert message in result.stderr


def test_terminal_output_sends_no_control_characters(ws: Path) -> None:
    org = (ws / "org.yaml").read_text(encoding="utf-8")
    (ws / "org.yaml").write_text(org.replace("name: 甲部科员", 'name: "甲\\e[31m部\\a"'), encoding="utf-8")
    out = run(["sample", ws, "--month", "2026-11", "--rate", "1"], 0).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "甲\\x1b[31m部\\x07" in out
