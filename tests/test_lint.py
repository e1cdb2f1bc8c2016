"""`lianfang lint` (issue 4): the source's defective schedule, the shipped pack, the example's gaps.

The source's table (附件2 安排表) is kept below as written, for the three rows the rule pack
corrects (SPEC §2, the notes under the S table). Lint reports each defect with its clause: as
information on the shipped pack, which keeps the literal dates under `transcribed`, and as an
error on a pack whose dates are the literal transcription.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from lianfang.rules.catalogue import SHIPPED_PACK, load_catalogue
from tests.cli_helpers import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"
BASE = Path(__file__).parent / "fixtures" / "base"

#: 附件2 安排表, as the source writes it, for the rows whose dates are defective
SOURCE_SCHEDULE = {
    "S105": "查找个人廉政风险点 4月10日前",
    "S110": "在单位内进行公示 4月26日至29日",
    "S114": "确定12个重点中层岗位、部室，报市督导组（市派驻六组） 6月31日前",
}


def literal_dates(text: str) -> tuple[str | None, str]:
    """(opens, due) as MM-DD, exactly as written: 6月31日 stays 06-31."""
    window = re.search(r"(\d+)月(\d+)日至(?:(\d+)月)?(\d+)日", text)
    if window:
        m1, d1, m2, d2 = window.groups()
        return f"{int(m1):02d}-{int(d1):02d}", f"{int(m2 or m1):02d}-{int(d2):02d}"
    before = re.search(r"(\d+)月(\d+)日前", text)
    assert before, text
    return None, f"{int(before.group(1)):02d}-{int(before.group(2)):02d}"


def lint_json(args: list[Any], exit_code: int) -> dict[str, Any]:
    return json.loads(run(["lint", *args, "--format", "json"], exit_code=exit_code).stdout)  # type: ignore[no-any-return]


def rule_block(text: str, code: str) -> tuple[int, int]:
    """Start and end offsets of a rule's item in a pack file."""
    start = text.index(f"  - code: {code}\n")
    following = text.find("\n  - code: ", start + 1)
    return start, (len(text) if following < 0 else following + 1)


def set_dates(path: Path, code: str, opens: str | None, due: str) -> None:
    """Rewrite one rule's opens/due in place, keeping every other line of the file."""
    text = path.read_text(encoding="utf-8")
    start, end = rule_block(text, code)
    block = text[start:end]
    block = re.sub(r'(?m)^    due: "[^"]*"$', f'    due: "{due}"', block, count=1)
    if opens is not None:
        if re.search(r"(?m)^    opens: ", block):
            block = re.sub(r'(?m)^    opens: "[^"]*"$', f'    opens: "{opens}"', block, count=1)
        else:
            block = block.replace(f'    due: "{due}"', f'    opens: "{opens}"\n    due: "{due}"', 1)
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def line_in_rule(path: Path, code: str, key: str) -> int:
    text = path.read_text(encoding="utf-8")
    start, end = rule_block(text, code)
    offset = text.index(f"\n    {key}:", start) + 1
    assert offset < end
    return text.count("\n", 0, offset) + 1


@pytest.fixture()
def literal_pack(tmp_path: Path) -> Path:
    """The shipped pack with the source's literal dates in force."""
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    for code, text in SOURCE_SCHEDULE.items():
        opens, due = literal_dates(text)
        set_dates(pack / "S.yaml", code, opens, due)
    return pack


# -------------------------------------------------------------------- the source's schedule


def test_the_transcription_reads_the_source_as_written() -> None:
    assert literal_dates(SOURCE_SCHEDULE["S105"]) == (None, "04-10")
    assert literal_dates(SOURCE_SCHEDULE["S110"]) == ("04-26", "04-29")
    assert literal_dates(SOURCE_SCHEDULE["S114"]) == (None, "06-31")


def test_the_shipped_pack_keeps_the_literal_dates_under_transcribed() -> None:
    catalogue = load_catalogue()
    for code, text in SOURCE_SCHEDULE.items():
        rule = catalogue.get(code)
        assert rule is not None and rule.transcribed is not None
        opens, due = literal_dates(text)
        assert (rule.transcribed.opens, rule.transcribed.due) == (opens, due)


def test_the_shipped_pack_lints_clean_with_the_source_defects_as_notes() -> None:
    data = lint_json([], exit_code=0)
    assert data["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 3}
    found = {(f["code"], f["rule"]): f for f in data["findings"]}
    assert set(found) == {("L103", "S105"), ("L103", "S110"), ("L101", "S114")}
    catalogue = load_catalogue()
    for (_, code), f in found.items():
        rule = catalogue.get(code)
        assert rule is not None
        assert f["severity"] == "info" and f["transcribed"] is True
        assert f["clause"] == rule.source and "附件2 安排表" in f["clause"]
        assert f["file"].endswith("rules/pack/S.yaml")
        assert f["line"] == line_in_rule(SHIPPED_PACK / "S.yaml", code, "transcribed")
        assert f["note"]
    assert "04-10" in found[("L103", "S105")]["message"] and "S104" in found[("L103", "S105")]["message"]
    assert "04-26..04-29" in found[("L103", "S110")]["message"] and "S108" in found[("L103", "S110")]["message"]
    assert "06-31" in found[("L101", "S114")]["message"] and "规则包采用 06-30" in found[("L101", "S114")]["message"]


def test_the_literal_transcription_is_reported_as_errors_each_with_its_clause(literal_pack: Path) -> None:
    data = lint_json(["--pack", literal_pack], exit_code=1)
    errors = {(f["code"], f["rule"]): f for f in data["findings"] if f["severity"] == "error"}
    assert set(errors) == {("L103", "S105"), ("L103", "S110"), ("L101", "S114")}
    catalogue = load_catalogue()
    s_yaml = literal_pack / "S.yaml"
    for (_, code), f in errors.items():
        rule = catalogue.get(code)
        assert rule is not None and f["clause"] == rule.source
        assert Path(f["file"]).resolve() == s_yaml.resolve()
        assert f["line"] == line_in_rule(s_yaml, code, "due")
        assert f["transcribed"] is False
    s105, s110, s114 = errors[("L103", "S105")], errors[("L103", "S110")], errors[("L101", "S114")]
    # 查找个人廉政风险点 4月10日前: before the mobilisation meeting (S104, 04-29) that starts the phase
    assert "04-10" in s105["message"] and "S104" in s105["message"] and "04-29" in s105["message"]
    # 公示 4月26日至29日: before the party group reviewed the risk points (S108, 05-25)
    assert "04-26..04-29" in s110["message"] and "S108" in s110["message"] and "05-25" in s110["message"]
    # 6月31日前: June has 30 days
    assert "06-31" in s114["message"] and "6 月没有 31 日" in s114["message"]
    # where the pack is the transcription, nothing is left to note as the source's
    assert not [f for f in data["findings"] if f["transcribed"] and f["rule"] in SOURCE_SCHEDULE]


def test_the_literal_transcription_in_text_and_english(literal_pack: Path) -> None:
    text = run(["lint", "--pack", literal_pack], exit_code=1).stdout
    assert re.search(r"S\.yaml:\d+: L101 \[错误\] S114 的 due “06-31” 不是真实日期", text)
    assert "出处: 附件2 安排表 确定重点中层岗位、部室；五(二)2" in text
    english = run(["lint", "--pack", literal_pack, "--lang", "en"], exit_code=1).stdout
    assert 'S114: due "06-31" is not a real date (month 6 has no day 31)' in english
    assert "lint: 3 errors, 0 warnings, 0 notes" in english


def test_check_refuses_the_literal_pack_that_lint_explains(literal_pack: Path, tmp_path: Path) -> None:
    """06-31 stops `check` (bad input); `lint` reads the same file leniently and explains it."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    config = root / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"rule_pack: {literal_pack}\n", encoding="utf-8")
    result = run(["check", root, "--as-of", "2026-11-30"], exit_code=2)
    assert "S114.due" in result.stderr and "06-31" in result.stderr
    data = lint_json([root], exit_code=1)
    assert ("L101", "S114") in {(f["code"], f["rule"]) for f in data["findings"] if f["severity"] == "error"}


# ------------------------------------------------------------------- the example's gaps


def test_lint_reports_the_sources_gaps_in_the_example() -> None:
    data = lint_json([EXAMPLE], exit_code=1)
    warnings = {(f["code"], f["subject"]): f for f in data["findings"] if f["severity"] == "warning"}
    # lint runs the catalogue's G303 and T501 (issue 9: no L-code duplicates of them); G303 also
    # names post-jy-peixun, whose grading has no review, as `check` does
    assert set(warnings) == {("G303", "yin-fangkui"), ("G303", "jiuye"), ("G303", "post-jy-peixun"), ("T501", "jicai")}
    yin, jiuye, jicai = warnings[("G303", "yin-fangkui")], warnings[("G303", "jiuye")], warnings[("T501", "jicai")]
    assert "尹方奎" in yin["message"] and "领导小组成员" in yin["message"] and yin["rule"] == "G303"
    assert yin["name"] == "grading.grade-in-force"
    assert "就业服务中心" in jiuye["message"] and "马向华" in jiuye["message"]
    assert "计财部" in jicai["message"] and "一级" in jicai["message"] and "没有负责人" in jicai["message"]
    org = (EXAMPLE / "org.yaml").read_text(encoding="utf-8").splitlines()
    for f, needle in ((yin, "id: yin-fangkui"), (jiuye, "id: jiuye"), (jicai, "id: jicai")):
        assert f["file"].endswith("org.yaml") and needle in org[f["line"] - 1]
    assert not [f for f in data["findings"] if f["severity"] == "error"]
    run(["lint", EXAMPLE, "--fail-on", "error"], exit_code=0)
    run(["lint", EXAMPLE, "--fail-on", "never"], exit_code=0)


def test_lint_github_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE.parents[1])
    out = run(["lint", "examples/dongying", "--format", "github"], exit_code=1).stdout.splitlines()
    assert "::warning file=examples/dongying/org.yaml,line=" in out[0]
    assert any(
        line.startswith("::notice file=rules/pack/S.yaml,line=") and "title=L101 date.not-real" in line for line in out
    )


# ---------------------------------------------------------------------- more defects


def edit_rule(pack: Path, code: str, old: str, new: str) -> None:
    path = pack / f"{code[0]}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = rule_block(text, code)
    block = text[start:end]
    assert old in block, (code, old)
    path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")


def test_pack_defects_each_reported(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    edit_rule(pack, "S102", 'opens: "04-19"', 'opens: "04-25"')  # window 04-25..04-24
    edit_rule(pack, "S103", "after: [S101]", "after: [S101, S199]")
    edit_rule(pack, "S101", 'due: "04-16"', 'due: "4-16"\n    after: [S124]')
    data = lint_json(["--pack", pack], exit_code=1)
    found = {(f["code"], f["rule"]) for f in data["findings"] if f["severity"] == "error"}
    assert ("L102", "S102") in found
    assert ("L104", "S103") in found
    assert ("L101", "S101") in found  # "4-16" is not MM-DD
    assert any(code == "L105" for code, _ in found)  # S101 after S124 closes a cycle
    cycle = next(f for f in data["findings"] if f["code"] == "L105")
    assert "S101" in cycle["message"] and "S124" in cycle["message"]


def test_a_malformed_rule_file_is_bad_input(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    edit_rule(pack, "S101", "type: obligation", "type: obligaton")
    result = run(["lint", "--pack", pack], exit_code=2)
    assert "S.yaml" in result.stderr and "obligaton" in result.stderr and "Traceback" not in result.stderr
    run(["lint", tmp_path / "nowhere"], exit_code=2)


def test_a_complete_workspace_lints_clean(ws: Path) -> None:
    data = lint_json([ws], exit_code=0)
    assert [f["severity"] for f in data["findings"]] == ["info"] * 3  # the shipped pack's notes only


def test_workspace_gaps(ws: Path) -> None:
    org = yaml.safe_load((ws / "org.yaml").read_text(encoding="utf-8"))
    org["people"].append({"id": "retired", "name": "退休人员", "until": "2025-12-31"})
    next(d for d in org["departments"] if d["id"] == "dept-b")["head"] = None
    (ws / "org.yaml").write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    risks = yaml.safe_load((ws / "risks.yaml").read_text(encoding="utf-8"))
    risks["gradings"] = [g for g in risks["gradings"] if g["subject"] != "post-b1"]
    (ws / "risks.yaml").write_text(yaml.safe_dump(risks, allow_unicode=True), encoding="utf-8")
    config = ws / "lianfang.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("key_post_count: 2", "key_post_count: 3"), encoding="utf-8"
    )
    data = lint_json([ws], exit_code=1)
    found = {(f["code"], f["subject"]) for f in data["findings"] if f["severity"] == "warning"}
    assert found == {("L201", "retired"), ("G303", "post-b1"), ("T501", "dept-b"), ("G304", None)}
    count = next(f for f in data["findings"] if f["code"] == "G304")
    assert "为 2 个，应为 3 个" in count["message"] and "key_post_count" in count["message"]


def test_impossible_dates_in_the_workspace_are_lint_errors_not_crashes(ws: Path) -> None:
    risks = ws / "risks.yaml"
    text = risks.read_text(encoding="utf-8")
    risks.write_text(text.replace("review: 2026-06-23", "review: 2026-06-31", 1), encoding="utf-8")
    data = lint_json([ws], exit_code=1)
    (bad,) = [f for f in data["findings"] if f["code"] == "L205"]
    assert bad["file"].endswith("risks.yaml") and bad["severity"] == "error"
    assert "2026-06-31" in bad["message"] and "gradings[0].review" in bad["message"]
    assert "review: 2026-06-31" in risks.read_text(encoding="utf-8").splitlines()[bad["line"] - 1]


def test_overrides_in_lianfang_yaml_are_linted(ws: Path) -> None:
    config = ws / "lianfang.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'rules:\n  S114:\n    due: "06-31"\n  S999:\n    enabled: false\n',
        encoding="utf-8",
    )
    data = lint_json([ws], exit_code=1)
    errors = {(f["code"], f["rule"]): f for f in data["findings"] if f["severity"] == "error"}
    assert set(errors) == {("L101", "S114"), ("L106", "S999")}
    assert errors[("L101", "S114")]["file"].endswith("lianfang.yaml")
    lines = config.read_text(encoding="utf-8").splitlines()
    assert lines[errors[("L101", "S114")]["line"] - 1].strip() == 'due: "06-31"'
