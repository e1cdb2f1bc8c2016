"""The shipped rule pack (rules/pack/*.yaml): complete, documented, consistent, loud when broken."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from lianfang.models.calendar import month_day
from lianfang.models.errors import InputError
from lianfang.rules.catalogue import SHIPPED_PACK, load_catalogue
from lianfang.rules.schema import Rule

#: SPEC §2: every code of the catalogue, and no other
EXPECTED_CODES = (
    [f"S{n}" for n in range(101, 125)]
    + [f"R{n}" for n in range(201, 212)]
    + [f"G{n}" for n in range(301, 308)]
    + [f"K{n}" for n in range(401, 405)]
    + ["T501", "T502"]
)
NAME_PREFIX = {
    "S": "schedule.",
    "R": "recurring.",
    "G": "grading.",
    "K": "keypost.",
    "T": "tiered.",
}

#: SPEC §1: the synonym-corrupted forms of the source text, which the product never writes
CORRUPTED_TERMS = [
    "旳",
    "实行方案",
    "告知",
    "贯彻贯彻",
    "文献精神",
    "指引思想",
    "权力运营",
    "环绕",
    "核心环节",
    "目旳规定",
    "总体规定",
    "全面实行",
    "稳步推动",
    "获得明显成效",
    "重要内容",
    "辨认",
    "实行动态",
    "拟定",
    "防备",
    "避免",
    "重要领导",
    "状况",
    "充足",
    "结识",
    "范畴",
]

CATALOGUE = load_catalogue()
RULES = {rule.code: rule for rule in CATALOGUE.rules}


def zh_texts(rule: Rule) -> list[str]:
    """Every Chinese text a user reads for this rule: title, docs, message, transcription note."""
    texts = [rule.title.zh] + [getattr(rule.doc, s).zh for s in ("checks", "why", "fail_example", "pass_example")]
    if rule.check:
        texts.append(rule.check.message.zh)
    if rule.transcribed:
        texts.append(rule.transcribed.note.zh)
    return texts


# --- the shipped pack ------------------------------------------------------------------------


def test_shipped_pack_has_exactly_the_catalogue_codes():
    assert CATALOGUE.codes == EXPECTED_CODES
    assert len(CATALOGUE.rules) == 48


def test_one_file_per_family_holding_only_its_codes():
    assert sorted(p.name for p in SHIPPED_PACK.glob("*.yaml")) == [
        "G.yaml",
        "K.yaml",
        "R.yaml",
        "S.yaml",
        "T.yaml",
    ]
    for family, rule_file in CATALOGUE.families.items():
        assert rule_file.title.zh.strip() and rule_file.title.en.strip()
        assert {r.code[0] for r in rule_file.rules} == {family}


def test_dotted_names_are_unique_and_name_the_family():
    names = [rule.name for rule in CATALOGUE.rules]
    assert len(set(names)) == len(names)
    for rule in CATALOGUE.rules:
        assert rule.name.startswith(NAME_PREFIX[rule.code[0]]), rule.code


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_every_rule_is_titled_sourced_and_documented(code):
    rule = RULES[code]
    assert rule.title.zh.strip() and rule.title.en.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title.zh), "the Chinese title is not Chinese"
    assert rule.source.strip()
    for section in ("checks", "why", "fail_example", "pass_example"):
        text = getattr(rule.doc, section)
        assert text.zh.strip(), f"{code} doc.{section}.zh is empty"
        assert text.en.strip(), f"{code} doc.{section}.en is empty"
    assert rule.doc.fail_example.zh != rule.doc.pass_example.zh


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_chinese_texts_use_the_standard_terms(code):
    for text in zh_texts(RULES[code]):
        assert not [t for t in CORRUPTED_TERMS if t in text], text


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_pass_example_shows_the_evidence_a_user_records(code):
    rule = RULES[code]
    kinds = [v.evidence for v in rule.variants] or ([rule.evidence] if rule.evidence else [])
    if rule.evidence == "grading":
        kinds = ["gradings:"]  # S111: the evidence is the grading in risks.yaml, not a record
    for kind in kinds:
        assert kind in rule.doc.pass_example.zh and kind in rule.doc.pass_example.en, (code, kind)


def test_register_checks_and_severities():
    checks = {r.code for r in CATALOGUE.rules if r.type == "check"}
    assert checks == {"G301", "G302", "G303", "G304", "G306", "G307", "T501"}
    assert {r.code for r in CATALOGUE.rules if r.severity == "warning"} == {"G307"}
    assert RULES["T502"].type == "escalation"


def test_the_facts_the_checker_asserts_are_the_documented_vocabulary(ws):
    """Each register fact carries exactly the fields rules/vocabulary.py documents."""
    from lianfang.checker.run import open_workspace
    from lianfang.checker.stages.register_facts import register_facts
    from lianfang.rules.vocabulary import FACT_FIELDS

    workspace, _ = open_workspace(ws)
    seen: dict[str, set[str]] = {}
    for _key, fact in register_facts(workspace):
        fields = {("id" if k == "id_" else k) for k in fact if k not in ("id", "t")} | (
            {"id"} if "id_" in fact else set()
        )
        seen.setdefault(str(fact["t"]), set()).update(fields)
    assert seen == {fact: set(fields) for fact, fields in FACT_FIELDS.items()}


@pytest.mark.parametrize("code", ["G301", "G302", "G303", "G304", "G306", "G307", "T501"])
def test_check_patterns_use_only_documented_fields_and_declared_aliases(code):
    from lianfang.rules.vocabulary import check_rule

    assert check_rule(RULES[code], RULES) == []


# --- the annual schedule ---------------------------------------------------------------------


def test_schedule_windows_and_prerequisites_are_in_order():
    for rule in CATALOGUE.rules:
        if rule.opens:
            assert month_day(2026, rule.opens) <= month_day(2026, rule.due), rule.code
        for prerequisite in rule.after:
            before = RULES[prerequisite]
            if rule.due and before.due:
                assert month_day(2026, before.due) <= month_day(2026, rule.due), (
                    prerequisite,
                    rule.code,
                )
    schedule = [r for r in CATALOGUE.rules if r.code[0] == "S"]
    assert all(r.after for r in schedule if r.code != "S101"), "every step after the plan has a prerequisite"


def test_prerequisites_are_acyclic():
    state: dict[str, str] = {}

    def visit(code: str) -> None:
        assert state.get(code) != "visiting", f"cycle through {code}"
        if state.get(code) == "done":
            return
        state[code] = "visiting"
        for prerequisite in RULES[code].after:
            visit(prerequisite)
        state[code] = "done"

    for code in RULES:
        visit(code)


def test_corrected_dates_keep_the_source_transcription():
    transcribed = {r.code: r for r in CATALOGUE.rules if r.transcribed}
    assert set(transcribed) == {"S105", "S110", "S114"}
    s105, s110, s114 = RULES["S105"], RULES["S110"], RULES["S114"]
    assert (s105.due, s105.transcribed.due) == ("05-10", "04-10")
    assert (s110.opens, s110.due) == ("05-26", "05-29")
    assert (s110.transcribed.opens, s110.transcribed.due) == ("04-26", "04-29")
    assert (s114.due, s114.transcribed.due) == ("06-30", "06-31")
    for rule in transcribed.values():
        assert rule.transcribed.note.zh.strip() and rule.transcribed.note.en.strip()


# --- a malformed rule file stops the run, naming the file and the rule -------------------------

VALID_RULE = {
    "code": "S101",
    "name": "schedule.plan-adopted",
    "title": {
        "zh": "召开党组会议传达学习，研究制定实施方案",
        "en": "Party group adopts the implementation plan",
    },
    "source": "附件2 安排表 学习动员阶段；五(一)1",
    "type": "obligation",
    "subjects": "unit",
    "period": "year",
    "due": "04-16",
    "evidence": "plan_adopted",
    "doc": {section: {"zh": "内容", "en": "text"} for section in ("checks", "why", "fail_example", "pass_example")},
}


def write_pack(tmp_path: Path, rule: dict) -> Path:
    """A one-file rule pack in ``tmp_path`` holding ``rule``; returns the file's path."""
    path = tmp_path / "S.yaml"
    document = {
        "family": "S",
        "title": {"zh": "年度工作安排", "en": "The annual schedule"},
        "rules": [rule],
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def broken(change) -> dict:
    rule = copy.deepcopy(VALID_RULE)
    change(rule)
    return rule


#: the broken rule, what the error must quote, the rule code it must name
MALFORMED = {
    "unknown key": (broken(lambda r: r.update(deadline="04-16")), "deadline", "S101"),
    "bad code": (broken(lambda r: r.update(code="X101")), '"X101"', "X101"),
    "missing evidence": (broken(lambda r: r.pop("evidence")), "evidence", "S101"),
    "unknown param": (
        broken(lambda r: r.update(params=["diary_min_entries"])),
        '"diary_min_entries"',
        "S101",
    ),
    "bad month-day": (broken(lambda r: r.update(due="06-31")), '"06-31"', "S101"),
}


def load_error(tmp_path: Path, rule: dict) -> tuple[Path, str]:
    path = write_pack(tmp_path, rule)
    with pytest.raises(InputError) as caught:
        load_catalogue(path.parent)
    return path, str(caught.value)


def test_the_valid_rule_of_the_malformed_cases_loads(tmp_path):
    catalogue = load_catalogue(write_pack(tmp_path, VALID_RULE).parent)
    assert catalogue.codes == ["S101"]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_rule_raises_input_error_naming_file_and_problem(tmp_path, case):
    rule, quoted, _ = MALFORMED[case]
    path, message = load_error(tmp_path, rule)
    assert str(path) in message
    assert quoted in message


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            marks=[],
        )
        for case in MALFORMED
    ],
)
def test_malformed_rule_error_names_the_file_and_rule_code(tmp_path, case):
    rule, _, code = MALFORMED[case]
    path, message = load_error(tmp_path, rule)
    assert str(path) in message
    assert code in message
