"""The check's terminal table, laid out by ``checker.report.terminal``: widths in terminal
cells, folding that loses nothing, styles only for a terminal, and a width from COLUMNS that
cannot crash the check."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from lianfang.checker.cli import main
from lianfang.checker.report import ReportOptions, writer_for
from lianfang.checker.report.table import STYLES
from lianfang.checker.report.terminal import Painter, Table, cell_width, fold, output_width
from lianfang.checker.run import check_with_waivers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dongying"
#: what a user's text may hold once escaped for a terminal: Chinese, ASCII, full-width
#: punctuation, combining marks, the ideographic space, line feeds and tabs
TEXT = st.text(alphabet=st.sampled_from(list("ab cd-12（）：，。许建仁采购岗风险点\n\t\u3000\u0301ＡＢ")), max_size=120)


def test_cell_widths_are_rich_s() -> None:
    for text in ("S111", "许建仁", "（T502）", "Ａ", "e\u0301", "2026-11-30 前追究责任", "\u3000"):
        assert cell_width(text) == cell_len(text), text


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_folding_keeps_every_character_and_the_width(text: str, width: int) -> None:
    lines = fold(text, width)
    assert all(cell_width(line) <= width for line in lines), lines
    # nothing is cut off: only the spaces where a line was broken are gone
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)


def test_a_word_that_fits_is_never_broken() -> None:
    assert fold("责任人 许建仁 谢恩明 张玉刚", 8) == ["责任人", "许建仁", "谢恩明", "张玉刚"]
    assert fold("rp-caigou-03 2026-11-30", 12) == ["rp-caigou-03", "2026-11-30"]
    # a sentence without spaces (Chinese) folds at the width
    assert fold("收受供应商回扣，量身定制采购条件", 10) == ["收受供应商", "回扣，量身", "定制采购条", "件"]


def test_a_table_lines_up_its_columns_in_cells() -> None:
    table = Table("计财部", ["规则", "对象"], [6, 8])
    table.add_row(["S111", "尹方奎\n(yin-fangkui)"])
    lines = table.lines(80, Painter(styled=False))
    assert lines == [
        "计财部",
        "",
        " 规则     对象",
        " " + "─" * 17,
        " S111     尹方奎",
        "          (yin-fan",
        "          gkui)",
        "",
    ]
    assert all("\x1b" not in line for line in lines)


def test_styles_reach_a_terminal_only_and_no_color_keeps_bold() -> None:
    assert Painter(styled=False)("未完成", "bold red") == "未完成"
    assert Painter(styled=True)("未完成", "bold red") == "\x1b[1;31m未完成\x1b[0m"
    assert Painter(styled=True, colours=False)("未完成", "bold red") == "\x1b[1m未完成\x1b[0m"
    assert Painter(styled=True, colours=False)("已通过", "green") == "已通过"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_colours_and_a_name_s_escape_sequence_stays_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    org = ws / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("name: 尹方奎,", 'name: "尹\\e[2J方奎",'), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    result = check_with_waivers(ws, date(2026, 11, 30), "zh", None, None)
    screen = Terminal()
    writer_for("table")(result, screen, ReportOptions(show_all=False, by_owner=False, fail_on="error"))
    text = screen.getvalue()
    assert "\x1b[1;31m未完成（8）\x1b[0m" in text
    assert "尹\\x1b[2J方奎" in text
    # every escape sequence is one of the table's own styles
    paint = Painter(styled=True)
    own = {paint("x", style)[:-5] for style in [*STYLES.values(), "bold", "italic"]} | {"\x1b[0m"}
    assert set(re.findall(r"\x1b\[[0-9;]*m", text)) <= own
    assert max(cell_width(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in text.splitlines()) <= 120


@pytest.mark.parametrize("columns", ["abc", "0", "-5", " 90 "])
def test_a_columns_variable_that_is_not_a_width_is_ignored(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert output_width(io.StringIO()) == (90 if columns.strip() == "90" else 180)
    for command in (["check", str(EXAMPLE)], ["score", str(EXAMPLE)]):
        result = CliRunner().invoke(main, [*command, "--as-of", "2026-11-30"], env={"COLUMNS": columns})
        assert result.exit_code in (0, 1), result.output
        assert "内部错误" not in result.output


def test_the_roll_up_of_many_units_takes_its_width_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    from lianfang.checker.units import write_rollup_table

    monkeypatch.setenv("COLUMNS", "abc")
    summary = {
        "units": 1,
        "exit": 1,
        "by_status": {"missed": 2},
        "by_unit": [
            {"workspace": "units/a", "unit": "东营市残联", "exit": 1, "checked": 9, "by_status": {"missed": 2}}
        ],
    }
    out = io.StringIO()
    write_rollup_table(summary, date(2026, 11, 30), "zh", out)
    assert "units/a" in out.getvalue() and "东营市残联" in out.getvalue()


@pytest.mark.parametrize("extra", [[], ["--all"], ["--by-owner"], ["--lang", "en"]])
def test_each_table_is_rich_s_simple_head_line_for_line(extra: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The look the check's table had when Rich drew it: each table laid out here is drawn by
    Rich too (``box.SIMPLE_HEAD``, ``pad_edge=False``, the same column widths) and compared, at
    the width of a file. (Narrower, a folded message may differ: where a line ends exactly at a
    space, Rich begins the next line with that space.)"""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    from lianfang.checker.report.terminal import Screen

    compared: list[str] = []

    def table(screen: Screen, drawn: Table) -> None:
        out = io.StringIO()
        rich = RichTable(title=Text(drawn.title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for header, width in zip(drawn.headers, drawn.widths, strict=True):
            rich.add_column(header, overflow="fold", width=width)
        for cells, _ in drawn.rows:
            rich.add_row(*(Text(cell) for cell in cells))
        Console(file=out, width=screen.width, highlight=False, soft_wrap=False).print(rich)
        ours = drawn.lines(screen.width, Painter(styled=False))
        assert ours == [line.rstrip() for line in out.getvalue().splitlines()]
        compared.append(drawn.title)

    monkeypatch.setattr(Screen, "table", table)
    result = CliRunner().invoke(main, ["check", str(EXAMPLE), "--as-of", "2026-11-30", *extra], env={"COLUMNS": ""})
    assert result.exit_code == 1, result.output
    assert len(compared) >= 5
