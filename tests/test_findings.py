"""The finding value and the words of obligation findings, as the faster paths make them
(issue 13): the same fields, the same messages as the templates filled in by name."""

from __future__ import annotations

import dataclasses
import gc
import inspect
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.messages import SHORT, TEMPLATES, ObligationWords, positional
from lianfang.models.collector import collector_paused


def _finding(**changes: object) -> Finding:
    fields: dict[str, object] = {
        "rule": "R201",
        "status": Status.MISSED,
        "severity": Severity.ERROR,
        "subject": "p-wang",
        "subject_name": "王五",
        "department": "d-office",
        "period": "2026-10",
        "due": date(2026, 10, 31),
        "evidence": ("R1", "R2"),
        "accountable": ("p-head",),
        "source": "附件2",
        "message": "王五：……",
        "title": "廉政日记",
        "trigger": "R9",
        "detail": "未见记录",
        "waiver": {"reason": "x"},
    }
    fields.update(changes)
    return Finding(**fields)  # type: ignore[arg-type]


def test_finding_init_sets_every_field_and_nothing_else() -> None:
    # Finding's own __init__ lists the fields again: the two lists must stay in step
    names = [f.name for f in dataclasses.fields(Finding)]
    assert list(inspect.signature(Finding.__init__).parameters)[1:] == names
    finding = _finding()
    assert vars(finding) == {name: getattr(finding, name) for name in names}
    assert finding.period == "2026-10" and finding.waiver == {"reason": "x"}
    defaults = Finding(**{n: getattr(finding, n) for n in names[:13]})  # type: ignore[arg-type]
    assert (defaults.trigger, defaults.detail, defaults.waiver) == (None, "", None)


@pytest.mark.parametrize(
    "changes",
    [{}, {"trigger": None, "waiver": None, "due": None, "period": None, "department": None}, {"evidence": ()}],
)
def test_json_fields_are_written_as_the_plain_json(changes: dict[str, object]) -> None:
    """``--format json`` gives orjson the values as they are: the bytes equal the plain dict's."""
    import json

    import orjson

    finding = _finding(**changes)
    plain = finding.to_json()
    assert orjson.dumps(finding.json_fields()) == orjson.dumps(plain)
    assert json.loads(orjson.dumps(finding.json_fields())) == plain
    assert list(plain) == list(finding.json_fields())
    assert plain["status"] == "missed" and type(plain["status"]) is str and plain["evidence"] == list(finding.evidence)


def test_finding_stays_an_immutable_comparable_value() -> None:
    finding = _finding()
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "changed"  # type: ignore[misc]
    # detail and waiver are not part of a finding's identity
    assert finding == _finding(detail="other", waiver=None)
    assert hash(finding) == hash(_finding(detail="other"))
    assert finding != _finding(message="other")
    changed = dataclasses.replace(finding, message="升级")
    assert changed.message == "升级" and changed.detail == finding.detail and changed.rule == "R201"


#: text a JSON item must keep as text: the bytes that separate items, quotes, escapes, newlines,
#: line separators and bidi overrides (escaped by every JSON output), ideographs
AWKWARD = st.lists(
    st.sampled_from(
        ["\n    },\n    {\n", "}", "{", "\n", '"', "\\", "\u2028", "\u202e", "\x7f", "\x00", "王", "a", " ", ","]
    ),
    max_size=6,
).map("".join)


@given(
    evidence=st.lists(AWKWARD, max_size=4),
    message=AWKWARD,
    name=AWKWARD,
    waiver=st.one_of(st.none(), st.dictionaries(AWKWARD, AWKWARD, max_size=2)),
    more=st.integers(min_value=0, max_value=3),
)
def test_a_finding_received_with_its_json_item_is_the_same_finding(
    evidence: list[str], message: str, name: str, waiver: dict[str, str] | None, more: int
) -> None:
    """A share of a large check sends each finding's JSON item instead of its evidence
    (checker/shares.py): the finding made again from it has every field, its evidence read from
    the item, and the JSON written of it is the same bytes."""
    import pickle

    from lianfang.checker.report.json_report import json_items

    sent = [
        _finding(evidence=tuple(evidence), message=message, subject_name=name, waiver=waiver),
        *(_finding(evidence=(f"R{i}",), period=None, trigger=None, waiver=None, due=None) for i in range(more)),
    ]
    items = json_items(sent)
    assert len(items) == len(sent)
    received = [Finding.received(f.without_evidence(), item) for f, item in zip(sent, items, strict=True)]
    assert [vars(f).get("evidence") for f in received] == [None] * len(sent)  # not read yet
    for original, copy in zip(sent, received, strict=True):
        assert copy == original and hash(copy) == hash(original)  # (reads the evidence)
        assert copy.evidence == original.evidence and type(copy.evidence) is tuple
        assert {n: getattr(copy, n) for n in vars(original)} == vars(original)
        assert copy.detail == original.detail and copy.waiver == original.waiver  # not compared by ==
        assert copy.to_json() == original.to_json()
    assert json_items(received) == items
    # a copy made of it (a waiver applied, a unit's result sent by Dask) is a finding like any other
    waived = dataclasses.replace(received[0], status=Status.WAIVED)
    assert waived.json_item is None and waived.evidence == sent[0].evidence
    fresh = Finding.received(sent[0].without_evidence(), items[0])
    assert pickle.loads(pickle.dumps(fresh)) == sent[0]


def test_a_finding_without_a_json_item_has_no_other_attribute() -> None:
    finding = _finding()
    assert finding.json_item is None
    with pytest.raises(AttributeError, match="no attribute 'evidencce'"):
        finding.evidencce  # type: ignore[attr-defined] # noqa: B018
    bare = Finding.__new__(Finding)  # (as pickle makes one before filling it)
    with pytest.raises(AttributeError, match="'evidence'"):
        bare.evidence  # noqa: B018


def _named(
    lang: str,
    status: str,
    who: str,
    period: str | None,
    trigger: str | None,
    opens: date,
    due: date,
    as_of: date,
    evidence_date: date | None,
    detail: str,
    escalation: bool,
    counted: bool,
) -> tuple[str, str]:
    """The messages as the templates read, filled in by name (the words before issue 13)."""
    t = TEMPLATES[lang]
    what = t["period"].format(period=period) if period else ""
    short_detail = detail
    if trigger:
        detail = t["escalated_from" if escalation else "trigger"].format(trigger=trigger) + detail
    days = 0
    if status == "late" and evidence_date:
        days = (evidence_date - due).days
    elif status == "due_soon":
        days = (due - as_of).days
    key = "due_today" if status == "due_soon" and days == 0 else status
    if counted and key == "missed":
        key = "missed_counted"
    message = t[key].format(
        who=who, what=what, due=due, opens=opens, as_of=as_of, evidence_date=evidence_date, days=days, detail=detail
    )
    short_days = (evidence_date - due).days if status == "late" and evidence_date else (due - as_of).days
    short = SHORT[lang][key].format(evidence_date=evidence_date, opens=opens, days=short_days) + short_detail
    return message, short


STATUSES = ["satisfied", "late", "early", "missed", "due_soon", "pending"]
DAYS = st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 2, 1))


@given(
    lang=st.sampled_from(["zh", "en"]),
    status=st.sampled_from(STATUSES),
    who=st.text(max_size=8),
    period=st.one_of(st.none(), st.sampled_from(["2026-10", "2026-Q3", "2026-H2", "2026"])),
    trigger=st.one_of(st.none(), st.text(min_size=1, max_size=12)),
    opens=DAYS,
    due=DAYS,
    as_of=DAYS,
    evidence_date=st.one_of(st.none(), DAYS),
    detail=st.text(max_size=12),
    escalation=st.booleans(),
    counted=st.booleans(),
)
def test_obligation_words_are_the_templates_filled_in_by_name(
    lang: str,
    status: str,
    who: str,
    period: str | None,
    trigger: str | None,
    opens: date,
    due: date,
    as_of: date,
    evidence_date: date | None,
    detail: str,
    escalation: bool,
    counted: bool,
) -> None:
    if status in ("satisfied", "late", "early") and evidence_date is None:
        evidence_date = due  # these statuses always have their evidence's date
    if status == "due_soon":  # due today or within the horizon
        due = max(due, as_of)
    words = ObligationWords(lang, as_of)
    args = (status, who, period, trigger, opens, due, evidence_date, detail)
    expected = _named(lang, status, who, period, trigger, opens, due, as_of, evidence_date, detail, escalation, counted)
    assert words.messages(*args, escalation=escalation, counted=counted) == expected
    # asked again (its dates and periods now remembered): the same words
    assert words.messages(*args, escalation=escalation, counted=counted) == expected


def test_due_today_and_counted_misses_have_their_own_words() -> None:
    words = ObligationWords("zh", date(2026, 10, 31))
    message, short = words.messages("due_soon", "王五", "2026-10", None, date(2026, 10, 1), date(2026, 10, 31), None)
    assert (message, short) == ("王五：2026-10 今天（2026-10-31）到期", "今天到期")
    message, short = words.messages(
        "missed",
        "王五",
        "2026-09",
        None,
        date(2026, 9, 1),
        date(2026, 9, 30),
        None,
        "（计入 0 篇，应至少 4 篇）",
        counted=True,
    )
    assert message == "王五：2026-09 应于 2026-09-30 前完成，截至 2026-10-31 记录篇数不足（计入 0 篇，应至少 4 篇）"
    assert short == "篇数不足（计入 0 篇，应至少 4 篇）"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("ids", [(), ("R1",), ("R1", "R2", "R3")])
def test_counted_entries_are_the_templates_filled_in_by_name(lang: str, ids: tuple[str, ...]) -> None:
    t = TEMPLATES[lang]
    separator = "、" if lang == "zh" else ", "
    if ids:
        expected = t["counted_ids"].format(count=len(ids), ids=separator.join(ids), minimum=4)
    else:
        expected = t["counted"].format(count=0, minimum=4)
    assert ObligationWords(lang, date(2026, 10, 31)).counted(ids, 4) == expected
    if lang == "zh":
        assert (
            ObligationWords(lang, date(2026, 10, 31)).counted(("R1", "R2"), 4) == "（计入 2 篇：R1、R2；应至少 4 篇）"
        )


def test_positional_keeps_literal_braces_and_specs() -> None:
    assert positional("{who}：{{x}} {days:>3} {due!r}") == "{0}：{{x}} {6:>3} {2!r}"
    assert positional("{who}：{{x}} {days:>3}").format("王五", "", "", "", "", "", 7, "") == "王五：{x}   7"


def test_collector_paused_restores_the_collector_and_freezes_only_on_success() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    kept = [[i] for i in range(100)]
    with collector_paused(freeze=True):
        kept += [[i] for i in range(100)]
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + 100
    gc.unfreeze()
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError), collector_paused(freeze=True):
        raise ValueError("boom")
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_collector_paused_decorates_a_function_alike() -> None:
    @collector_paused(freeze=True)
    def make() -> list[list[int]]:
        assert not gc.isenabled()
        return [[i] for i in range(100)]

    frozen = gc.get_freeze_count()
    kept = make()
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
    gc.unfreeze()
    kept = make()  # a second call pauses and freezes again
    assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    gc.unfreeze()
