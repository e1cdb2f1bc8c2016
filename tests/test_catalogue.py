"""A rule's meaning lives in the catalogue (issue 9): a unit adds rules of an existing shape with
YAML and fixtures only, the vocabulary they refer to is rules/vocabulary.yaml, and what
cannot be decided is said, not passed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from lianfang.checker.run import check_workspace
from lianfang.rules.cases import load_cases
from lianfang.rules.catalogue import SHIPPED_PACK, load_catalogue
from lianfang.rules.vocabulary import VOCABULARY, VOCABULARY_FILE, load_vocabulary
from tests.cli_helpers import run
from tests.rule_cases import as_of, assert_case, build_workspace

LOCAL = Path(__file__).parent / "data" / "local_rules"
LOCAL_CASES = load_cases(LOCAL / "fixtures")


def local_pack(tmp_path: Path) -> Path:
    """The shipped pack plus the unit's own YAML files: no Python anywhere."""
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    for path in (LOCAL / "pack").glob("*.yaml"):
        shutil.copy(path, pack / path.name)
    return pack


@pytest.mark.parametrize("case", LOCAL_CASES, ids=[c.name for c in LOCAL_CASES])
def test_a_new_rule_of_an_existing_shape_is_yaml_and_fixtures_only(tmp_path: Path, case: object) -> None:
    from lianfang.rules.cases import FixtureCase

    assert isinstance(case, FixtureCase)
    root = build_workspace(tmp_path, case.data)
    config = root / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"rule_pack: {local_pack(tmp_path)}\n", encoding="utf-8")
    result = check_workspace(root, as_of(case.data), lang="zh")
    assert_case(case.name, case.data, result)


def test_the_new_rules_each_have_a_passing_and_a_failing_case(tmp_path: Path) -> None:
    new = {r.code for r in load_catalogue(local_pack(tmp_path)).rules} - set(load_catalogue().codes)
    assert new == {"R212", "G308", "T503"}
    for code in new:
        kinds = {c.passing for c in LOCAL_CASES if code in c.codes}
        assert kinds == {True, False}, code


def test_the_new_rules_are_listed_and_their_findings_reach_the_cli(tmp_path: Path, ws: Path) -> None:
    pack = local_pack(tmp_path)
    config = ws / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"rule_pack: {pack}\n", encoding="utf-8")
    (ws / "records" / "x.csv").write_text(
        "id,kind,date,subject,period,by,result,ref,note\nX-1,key_self_inspection,2026-09-20,dept-a,2026-Q3,,,,\n",
        encoding="utf-8",
    )
    data = json.loads(run(["check", ws, "--as-of", "2026-10-20", "--format", "json"], exit_code=1).stdout)
    r212 = next(f for f in data["findings"] if f["rule"] == "R212" and f["subject"] == "post-a1")
    assert r212["status"] == "missed" and "（T503）" in r212["message"] and "T502" not in r212["message"]
    t503 = next(f for f in data["findings"] if f["rule"] == "T503" and f["trigger"] == "R212:post-a1:2026-Q3")
    assert (t503["status"], t503["due"]) == ("missed", "2026-10-15")  # 09-30 + 15 days
    listed = json.loads(run(["rules", "--workspace", ws, "--format", "json"], exit_code=0).stdout)
    codes = {r["code"] for r in (listed["rules"] if isinstance(listed, dict) else listed)}
    assert {"R212", "G308", "T503"} <= codes


# ------------------------------------------------------------------------- the vocabulary


def test_the_forms_and_the_check_read_the_same_categories() -> None:
    from lianfang.checker.forms.layout import FORMS

    for kind in ("post", "department", "unit", "leader"):
        assert list(FORMS[kind].categories) == VOCABULARY.categories[kind]


def test_a_category_the_vocabulary_does_not_list_fails_G301(ws: Path) -> None:
    risks = ws / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("category: 业务流程", "category: 思想道德", 1), "utf-8")
    result = check_workspace(ws, __import__("datetime").date(2026, 10, 5))
    assert [f.subject for f in result.findings if f.rule == "G301"] == ["rp-a"]


def test_a_selector_the_vocabulary_does_not_name_is_refused_naming_file_and_rule(ws: Path) -> None:
    pack = ws / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    text = (pack / "K.yaml").read_text(encoding="utf-8")
    (pack / "K.yaml").write_text(text.replace("subjects: key_subjects", "subjects: key_subject", 1), "utf-8")
    config = ws / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rule_pack: pack\n", encoding="utf-8")
    result = run(["check", ws, "--as-of", "2026-10-05", "--lang", "en"], exit_code=2)
    assert str(pack / "K.yaml") in result.stderr and "key K401.subjects" in result.stderr
    assert '"key_subject" is not a selector of rules/vocabulary.yaml' in result.stderr
    lint = json.loads(run(["lint", ws, "--format", "json", "--lang", "en"], exit_code=1).stdout)
    assert any(f["code"] == "L107" and f["rule"] == "K401" for f in lint["findings"])


def test_the_vocabulary_refuses_a_chain_naming_a_department_the_subject_has_not(tmp_path: Path) -> None:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    data["chains"]["unit"]["tiers"] = ["department.head"]
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="a unit has no department"):
        load_vocabulary(bad)


# ----------------------------------------------------------------- S122's score, K403's clock


def test_a_score_outside_the_rules_range_is_bad_input_naming_file_and_row(ws: Path) -> None:
    (ws / "records" / "a.csv").write_text(
        "id,kind,date,subject,period,by,result,ref,note\nA-1,annual_assessment,2026-11-20,u1,,,105,,\n",
        encoding="utf-8",
    )
    result = run(["check", ws, "--as-of", "2026-11-30"], exit_code=2)
    assert "a.csv" in result.stderr and "105" in result.stderr and "0 到 100 的分数" in result.stderr
    english = run(["check", ws, "--as-of", "2026-11-30", "--lang", "en"], exit_code=2)
    assert "must be a score from 0 to 100" in english.stderr


@pytest.mark.parametrize(
    ("records", "due", "status"),
    [("S-1,key_posts_designated,2026-06-10,u1,,,,,\n", "2026-07-10", "missed"), ("", "2026-07-30", "due_soon")],
)
def test_disabling_S114_leaves_K403_decided_by_its_clock(ws: Path, records: str, due: str, status: str) -> None:
    """SPEC §3.1 point 5: the designation record S114 would match, else S114's due date."""
    config = ws / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rules:\n  S114: {enabled: false}\n", encoding="utf-8")
    (ws / "records" / "d.csv").write_text("id,kind,date,subject,period,by,result,ref,note\n" + records, "utf-8")
    data = json.loads(run(["check", ws, "--as-of", "2026-07-25", "--format", "json", "--all"], exit_code=1).stdout)
    assert not [f for f in data["findings"] if f["rule"] == "S114"]
    k403 = [f for f in data["findings"] if f["rule"] == "K403"]
    assert {f["subject"] for f in k403} == {"dept-a", "post-a1"}
    assert {(f["due"], f["status"]) for f in k403} == {(due, status)}


# ------------------------------------------------------------- load errors follow --lang


BAD_PACKS = [
    # (old, new, check's Chinese, check's English, lint's exit code, lint's Chinese)
    (
        "subject: {ref: s.id}",
        "subject: {ref: x.id}",
        "引用“x.id”没有指向前面的模式",
        'reference "x.id" names no',
        1,
        "引用“x.id”",
    ),
    (
        "after: [S112]\n",
        "after: [S912]\n",
        "未知的规则“S912”",
        'unknown rule "S912"',
        1,
        "前置步骤 “S912” 不在规则包中",
    ),
    (
        "type: check\n    lint: true\n",
        "type: chek\n    lint: true\n",
        "应为以下之一",
        "must be one of",
        2,
        "应为以下之一",
    ),
    (
        "    escalation:\n      consecutive_misses: param:escalate_after_missed_periods\n",
        "    escalatio:\n      consecutive_misses: param:escalate_after_missed_periods\n",
        "未知的键",
        "unknown key",
        2,
        "未知的键",
    ),
    (
        "    escalation:\n      consecutive_misses: param:escalate_after_missed_periods\n      subject_levels: [1]\n      tiers: 1\n",
        "",
        "升级规则须有 `escalation`",
        "an escalation needs",
        2,
        "升级规则须有",
    ),
]


@pytest.mark.parametrize(("old", "new", "zh", "en", "lint_exit", "lint_zh"), BAD_PACKS)
def test_a_bad_pack_is_refused_in_chinese_by_default(
    ws: Path, old: str, new: str, zh: str, en: str, lint_exit: int, lint_zh: str
) -> None:
    pack = ws / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    path = next(p for p in sorted(pack.glob("*.yaml")) if old in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    config = ws / "lianfang.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rule_pack: pack\n", encoding="utf-8")
    chinese = run(["check", ws, "--as-of", "2026-10-05"], exit_code=2).stderr
    assert zh in chinese and str(path) in chinese and "键 " in chinese, chinese
    assert en not in chinese
    english = run(["check", ws, "--as-of", "2026-10-05", "--lang", "en"], exit_code=2).stderr
    assert en in english and str(path) in english
    linted = run(["lint", ws], exit_code=lint_exit)
    assert lint_zh in (linted.stdout if lint_exit == 1 else linted.stderr), linted.stdout + linted.stderr


def test_lint_says_a_missing_workspace_in_chinese(tmp_path: Path) -> None:
    assert "找不到工作区文件夹" in run(["lint", tmp_path / "nowhere"], exit_code=2).stderr
    assert "workspace folder not found" in run(["lint", tmp_path / "nowhere", "--lang", "en"], exit_code=2).stderr


def test_an_obligation_whose_clock_rule_is_unusable_is_unknown_not_dropped(ws: Path) -> None:
    """Only lint goes on with a pack whose due_from rule is unusable; even then K403 is said
    to be undecidable, with its reason, never dropped."""
    from datetime import date

    from lianfang.checker.run import run_check
    from lianfang.checker.stages.workspace import open_workspace
    from lianfang.rules.catalogue import Catalogue

    workspace, catalogue = open_workspace(ws)
    without_clock = Catalogue(tuple(r for r in catalogue.rules if r.code != "S114"), catalogue.families)
    result = run_check(workspace, without_clock, date(2026, 10, 5), lang="en")
    k403 = [f for f in result.findings if f.rule == "K403"]
    assert {f.subject for f in k403} == {"dept-a", "post-a1"}
    assert all(f.status.value == "unknown" and "due_from" in f.message for f in k403)


def test_the_shipped_packs_snapshot_is_current() -> None:
    """rules/pack_snapshot.json holds every file of the shipped pack as read_yaml reads it, with
    the same types (remake it with scripts/snapshot_pack.py after changing rules/pack/)."""
    import hashlib

    from lianfang.models.workspace import read_yaml
    from lianfang.rules.catalogue import SHIPPED_PACK
    from lianfang.rules.snapshot import load_snapshot, same_values

    snapshot = load_snapshot()
    files = sorted(SHIPPED_PACK.glob("*.yaml"))
    assert sorted(snapshot) == [p.name for p in files], "stale: run python scripts/snapshot_pack.py"
    for path in files:
        entry = snapshot[path.name]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), (
            f"{path.name} changed since the snapshot: run python scripts/snapshot_pack.py"
        )
        problems: list = []
        assert same_values(entry["data"], read_yaml(path, path.name, problems)) and not problems


def test_a_current_snapshot_spares_the_yaml_and_a_stale_one_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from lianfang.models import workspace
    from lianfang.rules import catalogue, snapshot

    real = catalogue.load_catalogue()
    # a current snapshot: no file of the shipped pack is read as YAML
    monkeypatch.setattr(catalogue, "read_yaml", lambda *a, **k: pytest.fail(f"read as YAML: {a[0]}"))
    assert catalogue.load_catalogue() == real
    monkeypatch.setattr(catalogue, "read_yaml", workspace.read_yaml)

    # a snapshot whose file has changed since: that file is read as YAML, its stale data ignored
    stale = json.loads(snapshot.SNAPSHOT_FILE.read_text(encoding="utf-8"))
    stale["files"]["R.yaml"]["sha256"] = "0" * 64
    stale["files"]["R.yaml"]["data"] = {"family": "R", "rules": []}
    written = tmp_path / "stale.json"
    written.write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(catalogue, "load_snapshot", lambda: snapshot.load_snapshot(written))
    assert catalogue.load_catalogue() == real

    # none, or not JSON: every file read as YAML
    for broken in (tmp_path / "missing.json", tmp_path / "broken.json"):
        (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
        assert snapshot.load_snapshot(broken) == {}
        monkeypatch.setattr(catalogue, "load_snapshot", lambda broken=broken: snapshot.load_snapshot(broken))
        assert catalogue.load_catalogue() == real


def test_same_values_tells_types_apart() -> None:
    from lianfang.rules.snapshot import same_values

    assert same_values({"a": [1, "x", None, True]}, {"a": [1, "x", None, True]})
    assert not same_values({"a": 1}, {"a": True})
    assert not same_values({"a": 1}, {"a": 1.0})
    assert not same_values({"a": 1, "b": 2}, {"b": 2, "a": 1})  # the order of keys is kept too
    assert not same_values(["2026-01-01"], [__import__("datetime").date(2026, 1, 1)])
