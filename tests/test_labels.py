"""One catalogue of labels: the words a reader sees are the same in every output, and a narrow
terminal does not break a name in two."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rich.cells import cell_len

from lianfang.checker.cli import main
from lianfang.checker.labels import (
    LEVEL_LABELS,
    SCORE_LABELS,
    STATUS_LABELS,
    category_label,
    count_label,
    level_label,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"


def _people() -> list[tuple[str, str]]:
    org = yaml.safe_load((EXAMPLE / "org.yaml").read_text(encoding="utf-8"))
    return [(p["id"], p["name"]) for p in org["people"]]


def _broken(lines: list[str], word: str) -> list[str]:
    """Lines where ``word`` was cut: its first part ends a cell and the rest starts the same
    column on the next line (how Rich folds a word that does not fit)."""
    cut = []
    for i in range(1, len(word)):
        head, tail = word[:i], word[i:]
        for n, line in enumerate(lines[:-1]):
            for m in re.finditer(re.escape(head) + r"(?= |$)", line):
                # the column where the head starts, in terminal cells
                column = cell_len(line[: m.start()])
                below = lines[n + 1]
                # the text at the same column of the next line
                cells, k = 0, 0
                while k < len(below) and cells < column:
                    cells += cell_len(below[k])
                    k += 1
                if cells == column and below[k:].startswith(tail):
                    cut.append(f"{line.rstrip()} / {below.rstrip()}")
    return cut


def _table(extra: list[str], columns: int) -> str:
    result = CliRunner().invoke(
        main,
        ["check", str(EXAMPLE), "--as-of", "2026-11-30", "--format", "table", *extra],
        env={"COLUMNS": str(columns)},
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    return result.stdout


@pytest.mark.parametrize("extra", [[], ["--by-owner"], ["--lang", "en"], ["--by-owner", "--lang", "en"]])
def test_an_80_column_table_breaks_no_name_and_no_id(extra: list[str]) -> None:
    narrow = _table(extra, 80)
    lines = narrow.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    words = [name for _, name in _people()]
    if "en" not in extra:
        # in English the message column is too narrow at 80 columns for whole ids and dates in
        # its prose (they stay whole in the subject, due and accountable columns)
        words += [f"({pid})" for pid, _ in _people()] + ["(post-jc-caigou)", "(rp-caigou-03)"]
        words += ["2026-11-30", "2026-10-31"]
    for word in words:
        assert _broken(lines, word) == [], word

    # folded, not cut off: the narrow table holds every character the wide one does
    def letters(text: str) -> Counter[str]:
        return Counter(c for c in text if not c.isspace() and c not in "─━")

    assert letters(narrow) == letters(_table(extra, 200))


def test_the_level_names_have_one_source() -> None:
    from lianfang.checker.forms.layout import LEVEL_WORDS, LEVELS
    from lianfang.models.risks import LEVEL_NAMES

    assert LEVEL_LABELS is LEVEL_NAMES and LEVEL_NAMES["zh"] == LEVELS
    assert LEVEL_WORDS["一级"] == LEVEL_WORDS["1"] == LEVEL_WORDS["1级"] == 1
    assert level_label(1, "zh", stars=True) == "一级 ★★★"
    assert level_label(3, "en", stars=True) == "level 3 ★"
    assert level_label(None, "zh", ungraded="未定级") == "未定级"


def test_counts_and_categories_read_as_english() -> None:
    assert count_label("open_finding", 1, "en") == "1 open finding"
    assert count_label("open_finding", 2, "en") == "2 open findings"
    assert count_label("open_finding", 2, "zh") == "检查发现 2 项"
    assert category_label("岗位职责", "en") == "post duties"
    assert category_label("岗位职责", "zh") == "岗位职责"
    # a category of the unit's own is shown as written, not dropped
    assert category_label("自定类别", "en") == "自定类别"


def test_score_and_report_share_the_assessment_s_words(tmp_path: Path) -> None:
    from lianfang.checker.monthly.labels import LABELS
    from lianfang.checker.score_output import WORDS

    for lang in ("zh", "en"):
        for key, word in SCORE_LABELS[lang].items():
            assert WORDS[lang][key] == LABELS[lang][key] == word
    result = CliRunner().invoke(main, ["score", str(EXAMPLE), "--as-of", "2026-11-30"], catch_exceptions=False)
    assert result.exit_code == 0
    for key in ("item", "points", "deducted", "score", "source"):
        assert SCORE_LABELS["zh"][key] in result.stdout


def test_status_words_are_the_same_in_the_table_the_ledger_and_the_diagram(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--as-of", "2026-11-30"]
    table = runner.invoke(main, ["check", str(EXAMPLE), *args, "--format", "table"], catch_exceptions=False).stdout
    ledger_file, dot_file = tmp_path / "ledger.md", tmp_path / "g.dot"
    for out in (ledger_file, dot_file):
        assert runner.invoke(main, ["graph", str(EXAMPLE), "-o", str(out), *args]).exit_code == 0
    ledger, dot = ledger_file.read_text(encoding="utf-8"), dot_file.read_text(encoding="utf-8")
    for status in ("missed", "failed", "due_soon"):
        word = STATUS_LABELS["zh"][status]
        assert word in table and word in ledger and word in dot, status
    # "early" is spelt one way: no output keeps its own shorter word
    assert "顺序不符" not in ledger.replace(STATUS_LABELS["zh"]["early"], "")


def test_every_category_of_the_catalogue_has_an_english_name() -> None:
    """The categories the rule catalogue allows and the power items' categories all translate,
    so an English diagram or ledger shows no Chinese category."""
    from lianfang.models.risks import POWER_CATEGORIES
    from lianfang.rules.vocabulary import VOCABULARY

    categories = {c for names in VOCABULARY.categories.values() for c in names} | set(POWER_CATEGORIES)
    untranslated = {c for c in categories if category_label(c, "en") == c}
    assert untranslated == set()


def test_the_forms_and_the_ledger_name_a_risk_point_s_fields_alike(tmp_path: Path) -> None:
    from lianfang.checker.forms.layout import TABLE_COLUMNS
    from lianfang.checker.labels import RISK_FIELD_LABELS

    ledger = tmp_path / "ledger.csv"
    assert CliRunner().invoke(main, ["graph", str(EXAMPLE), "-o", str(ledger)]).exit_code == 0
    header = ledger.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    forms = dict(TABLE_COLUMNS)
    for field in ("category", "description", "form", "level", "measure"):
        assert RISK_FIELD_LABELS["zh"][field] in header and forms[field] == RISK_FIELD_LABELS["zh"][field]
    english = tmp_path / "ledger-en.csv"
    assert CliRunner().invoke(main, ["graph", str(EXAMPLE), "-o", str(english), "--lang", "en"]).exit_code == 0
    header = english.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Main forms" in header and "(s)" not in header


def test_archive_counts_read_as_english_and_chinese(tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    runner = CliRunner()
    add = ["record", "add", "-w", str(ws), "--kind", "diary_entry", "--subject", "han-bing", "--date", "2026-11-27"]
    assert runner.invoke(main, add).exit_code == 0
    english = runner.invoke(main, ["archive", "verify", "-w", str(ws), "--lang", "en"]).stdout
    assert english.startswith("intact — 1 entry, head hash ")
    chinese = runner.invoke(main, ["archive", "verify", "-w", str(ws)]).stdout
    assert chinese.startswith("完整 — 共 1 个条目，链头哈希 ")
