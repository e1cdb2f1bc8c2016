"""The shipped example gets exactly the findings its README plants (examples/dongying/README.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lianfang.checker.run import check_workspace

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"

EXPECTED_OPEN = {
    # the source's own gaps: 尹方奎 and 就业服务中心 have no level; 计财部 has no head
    ("S111", "yin-fangkui", "2026", "missed"),
    ("G303", "yin-fangkui", None, "failed"),
    ("S111", "jiuye", "2026", "missed"),
    ("G303", "jiuye", None, "failed"),
    ("T501", "jicai", None, "failed"),
    # the register defects planted in risks.yaml
    ("G301", "rp-zichan-01", None, "failed"),  # a measure without an owner
    ("G302", "post-yx-houqin", None, "failed"),  # review before the collective evaluation
    ("G302", "post-jy-peixun", None, "failed"),  # no review ...
    ("G303", "post-jy-peixun", None, "failed"),  # ... so no grade in force
    ("G306", "bangongshi", None, "failed"),  # 二级 department owning a 一级 risk point
    # records: missed, late and due soon
    ("S105", "post-yx-houqin", "2026", "late"),
    ("S111", "post-yx-houqin", "2026", "late"),
    ("S122", "dongying-cdpf", "2026", "due_soon"),  # the assessment is due today
    ("R201", "han-bing", "2026-09", "missed"),  # 3 diary entries
    ("R201", "song-guodong", "2026-10", "missed"),  # 4 entries, one incomplete
    ("R201", "tang-zhiqiang", "2026-11", "due_soon"),
    ("R204", "tang-zhiqiang", "M-0103", "due_soon"),  # a diary problem without action yet
    ("R205", "yuxun", "2026-10", "missed"),
    ("R205", "kangfu", "2026-09", "late"),
    ("K401", "post-jc-caigou", "2026-Q3", "missed"),
    ("G305", "rp-caigou-03", "2026-10", "missed"),
    # both misses concern level-1 subjects, so they escalate (T502)
    ("T502", "post-jc-caigou", "K401:post-jc-caigou:2026-Q3", "missed"),
    ("T502", "rp-caigou-03", "G305:rp-caigou-03:2026-10", "due_soon"),
}


def test_example_open_findings_are_exactly_the_planted_ones() -> None:
    result = check_workspace(EXAMPLE, date(2026, 11, 30))
    found = {(f.rule, f.subject, f.period or f.trigger, f.status.value) for f in result.open_findings()}
    assert found == EXPECTED_OPEN


def test_example_in_english_names_the_same_findings() -> None:
    zh = check_workspace(EXAMPLE, date(2026, 11, 30))
    en = check_workspace(EXAMPLE, date(2026, 11, 30), lang="en")
    assert [f.key for f in zh.findings] == [f.key for f in en.findings]
    for finding in en.open_findings():
        # names are the user's data; the words around them are English
        assert not any(word in finding.message for word in ("应于", "未见记录", "逾期", "还剩")), finding.message
    t502 = next(f for f in en.findings if f.rule == "T502" and f.subject == "post-jc-caigou")
    assert "escalated from the missed K401:post-jc-caigou:2026-Q3" in t502.message


def test_every_open_finding_of_the_example_names_someone_accountable() -> None:
    result = check_workspace(EXAMPLE, date(2026, 11, 30))
    assert all(f.accountable for f in result.open_findings())


def test_example_diary_findings_list_the_entries_they_counted() -> None:
    """SPEC §3.1 point 2: a counted obligation names the entries it counted, whatever its status."""
    result = check_workspace(EXAMPLE, date(2026, 11, 30))
    song = next(
        f for f in result.findings if f.rule == "R201" and f.subject == "song-guodong" and f.period == "2026-10"
    )
    assert song.evidence == ("D-0187", "D-0249", "D-0313")
    assert "篇数不足（计入 3 篇：D-0187、D-0249、D-0313；应至少 4 篇）" in song.message
    assert result.period_mismatches == []
