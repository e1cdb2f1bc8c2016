"""Hostile input and safe output, one behaviour per test (the corpus, test_corpus.py, runs them all at scale)."""

from __future__ import annotations

import csv
import io
import json
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lianfang.checker import escape
from lianfang.models import yaml_safe
from tests.cli_helpers import run

AS_OF = "2026-11-30"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


# ----------------------------------------------------------------------------- bounded YAML


def test_an_alias_bomb_is_refused_fast() -> None:
    start = time.monotonic()
    with pytest.raises(yaml_safe.YamlRefused, match="expand it to"):
        yaml_safe.load(BOMB)
    assert time.monotonic() - start < 2


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(yaml_safe.YamlRefused, match="recursive alias"):
        yaml_safe.load("x: &x [1, *x]\n")


def test_shared_aliases_below_the_limit_are_fine() -> None:
    data = yaml_safe.load("m: &m {description: 双人审核, owner: a}\nr: [{measures: [*m]}, {measures: [*m]}]\n")
    assert data["r"][1]["measures"][0]["owner"] == "a"


def test_the_walker_visits_an_aliased_node_once() -> None:
    root = yaml_safe.compose_or_none(BOMB.replace("a: &a", "a: &a", 1))
    assert root is None  # over the limit: walkers get nothing to walk
    small = yaml_safe.compose("a: &a [1, 2]\nb: [*a, *a, *a]\n")
    visited = [path for path, node in yaml_safe.walk(small) if isinstance(node, yaml.SequenceNode)]
    assert visited.count("a") == 1 and "b[1]" not in visited


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2026-06-23 25:00:00", "25:00"), ("2026-06-23T10:00:00+99:00", "+99:00"), ("2026-02-30", "2026-02-30")],
)
def test_an_impossible_date_or_time_names_line_and_key(value: str, shown: str) -> None:
    with pytest.raises(yaml_safe.YamlRefused) as caught:
        yaml_safe.load(f"year: 2026\ngradings:\n  - {{subject: a, review: {value}}}\n")
    problem = caught.value.problems[0]
    assert (problem.line, problem.key) == (3, "gradings[0].review") and shown in problem.value


def test_an_unhashable_key_is_a_yaml_error_with_a_line() -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        yaml_safe.load("a: 1\n? [x, y]\n: 2\n")
    assert "plain value" in str(caught.value) and "line 2" in str(caught.value)


def test_alias_bomb_in_waivers_is_bad_input_naming_the_file(ws: Path) -> None:
    (ws / "waivers.yaml").write_text("waivers: []\n" + BOMB, encoding="utf-8")
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "waivers.yaml: line 1: its aliases (*name) expand it to" in result.stderr


def test_a_huge_expansion_of_risks_is_refused_with_the_limit(ws: Path) -> None:
    text = (ws / "risks.yaml").read_text(encoding="utf-8")
    pool = "pool: &m [" + ", ".join(["{description: x, owner: head-a}"] * 1000) + "]\n"
    points = "".join(f"  - {{id: x{i}, owner: dept-a, measures: *m}}\n" for i in range(2000))
    (ws / "risks.yaml").write_text(pool + text.replace("risk_points:\n", "risk_points:\n" + points), encoding="utf-8")
    start = time.monotonic()
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert time.monotonic() - start < 10
    assert "risks.yaml" in result.stderr and "at most 100,000 more are allowed" in result.stderr


# ----------------------------------------------------------------------------- strict types and ranges


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("key_post_count: 2", "key_post_count: yes", "params.key_post_count"),
        ("key_post_count: 2", "key_post_count: 2\n  accountability_days: 100000000000", "params.accountability_days"),
        ("year: 2026", "year: true", "year"),
    ],
)
def test_booleans_are_not_numbers_and_days_are_bounded(ws: Path, old: str, new: str, key: str) -> None:
    path = ws / "lianfang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert f"lianfang.yaml: key {key}:" in result.stderr


def test_level_true_is_refused(ws: Path) -> None:
    path = ws / "risks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: 2, evaluations", "level: true, evaluations", 1))
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "risks.yaml: key gradings[0].level: must be a whole number" in result.stderr


def test_remind_and_due_within_are_range_checked(ws: Path) -> None:
    result = run(["calendar", ws, "--as-of", AS_OF, "--remind", "99999999999"], exit_code=2)
    assert "--remind" in result.stderr
    run(["check", ws, "--as-of", AS_OF, "--due-within", "99999999999"], exit_code=2)


def test_validation_errors_are_in_chinese_by_default_and_never_pydantic_text(ws: Path) -> None:
    path = ws / "lianfang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("key_post_count: 2", "key_post_count: yes"))
    zh = run(["check", ws, "--as-of", AS_OF], exit_code=2).stderr
    assert zh.startswith("lianfang: 错误：lianfang.yaml: 键 params.key_post_count: 应为整数")
    en = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2).stderr
    assert "must be a whole number" in en
    for text in (zh, en):
        assert "Input should be" not in text and "pydantic" not in text


# ----------------------------------------------------------------------------- paths


def test_a_fifo_is_named_as_a_pipe_not_read(ws: Path) -> None:
    (ws / "org.yaml").unlink()
    os.mkfifo(ws / "org.yaml")
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "org.yaml: is a named pipe (FIFO), not a file" in result.stderr


def test_a_folder_where_a_file_should_be(ws: Path) -> None:
    (ws / "risks.yaml").unlink()
    (ws / "risks.yaml").mkdir()
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "risks.yaml: is a folder, not a file" in result.stderr


def test_a_link_out_of_the_workspace_is_refused_unread(ws: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("SECRET-CONTENT: 1\n", encoding="utf-8")
    (ws / "org.yaml").rename(ws / "org-real.yaml")
    (ws / "org.yaml").symlink_to(secret)
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "org.yaml: is a symbolic link to a file outside the workspace" in result.stderr
    assert "SECRET" not in result.stderr + result.stdout


def test_a_link_loop(ws: Path) -> None:
    (ws / "org.yaml").unlink()
    (ws / "org.yaml").symlink_to("org.yaml")
    result = run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2)
    assert "org.yaml: is a symbolic link that loops" in result.stderr


# ----------------------------------------------------------------------------- -o


@pytest.mark.parametrize("target", ["org.yaml", "risks.yaml", "lianfang.yaml", "waivers.yaml", "records/r.csv"])
@pytest.mark.parametrize("command", ["check", "calendar", "graph"])
def test_output_never_onto_an_input(ws: Path, target: str, command: str) -> None:
    (ws / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (ws / "records" / "r.csv").write_text("id,kind,date,subject\n", encoding="utf-8")
    before = (ws / target).read_bytes()
    args = [command, ws, "-o", ws / target] + (["--format", "json"] if command == "graph" else [])
    result = run([*args, "--lang", "en"], exit_code=2)
    assert "cannot write" in result.stderr and (ws / target).read_bytes() == before


@pytest.mark.parametrize(
    ("command", "name"), [("check", "report.json"), ("calendar", "cal.ics"), ("graph", "net.graphml")]
)
def test_output_into_a_missing_folder_creates_it(ws: Path, tmp_path: Path, command: str, name: str) -> None:
    target = tmp_path / "new" / "deeper" / name
    args = [command, ws, "--as-of", AS_OF, "-o", target] + (["--format", "json"] if command == "check" else [])
    run(args, exit_code=1 if command == "check" else 0)
    assert target.stat().st_size > 0
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "a temporary file was left"


def test_a_failed_write_leaves_the_old_file_whole(ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lianfang.checker.report import WRITERS, writer_for

    target = tmp_path / "report.json"
    target.write_text("previous report\n", encoding="utf-8")
    writer_for("json")

    def half_then_fail(result: object, stream: io.TextIOBase, options: object) -> None:
        stream.write('{"findings": [')
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(WRITERS, "json", half_then_fail)
    result = run(["check", ws, "--as-of", AS_OF, "--format", "json", "-o", target, "--lang", "en"], exit_code=2)
    assert "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["report.json"]


# ----------------------------------------------------------------------------- escaping, per format


def test_terminal_text_has_no_control_characters() -> None:
    assert escape.terminal_safe("a\x1b[31mb\x07\u202e") == "a\\x1b[31mb\\x07"


def test_rich_text_is_not_markup() -> None:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=80).print(escape.rich_text("[link=http://x]a[/link] [/] [bold]b"))
    assert out.getvalue().strip() == "[link=http://x]a[/link] [/] [bold]b"


def test_xml_text_parses() -> None:
    element = ET.Element("x", {"a": escape.xml_text("a\x00\x0b\ufffe")})
    element.text = escape.xml_text("\x1b[0m ]]> <b>")
    assert ET.fromstring(ET.tostring(element)).text == "\ufffd[0m ]]> <b>"


def test_markdown_text_is_one_inert_line() -> None:
    text = escape.markdown_text("<script>alert(1)</script>\n| [x](javascript:y) *b*")
    assert "<script" not in text and "\n" not in text and "|" not in text.replace("\\|", "")
    assert text.startswith("&lt;script&gt;") and "<br>" in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_formula_starts_are_neutralised(start: str) -> None:
    cell = escape.csv_cell(f"{start}HYPERLINK(1)")
    assert cell.startswith("'")
    row = next(csv.reader(io.StringIO(_csv_line([cell]))))
    assert row[0] == cell


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


def test_dot_strings_cannot_end_the_quote() -> None:
    assert escape.dot_string("a\\") == "a\\\\"
    assert escape.dot_string('x" ]; evil [') == 'x\\" ]; evil ['


def test_github_annotations_stay_one_command() -> None:
    assert escape.github_data("x\n::error::y%\x1b") == "x%0A::error::y%25\\x1b"


def test_ics_text_has_no_control_characters() -> None:
    assert escape.ics_text("a\x00b\r\nc") == "a\\x00b\nc"


# ----------------------------------------------------------------------------- records

HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


def check_en(ws: Path) -> str:
    return run(["check", ws, "--as-of", AS_OF, "--lang", "en"], exit_code=2).stderr


def test_an_unterminated_quote_is_reported_not_swallowed(ws: Path) -> None:
    body = 'X-1,plan_adopted,2026-04-10,u1,,,,,"never closed\nX-2,study_session,2026-04-20,u1,,,,,\n'
    (ws / "records" / "r.csv").write_text(HEADER + body, encoding="utf-8")
    assert "records/r.csv: row 2: a quoted field opened on line 2 is never closed" in check_en(ws)


def test_nul_bytes_and_control_characters_in_records(ws: Path) -> None:
    (ws / "records" / "a.csv").write_text(HEADER + "X-1,plan_adopted,2026-04-10,u1,,,,,a\x00b\n", encoding="utf-8")
    (ws / "records" / "b.csv").write_text(HEADER + "X\x1b[2J,plan_adopted,2026-04-10,u1,,,,,\n", encoding="utf-8")
    err = check_en(ws)
    assert "records/a.csv: line 2: contains a NUL character" in err
    assert 'records/b.csv: row 2: column "id" contains the control character \\x1b' in err
    assert "\x1b" not in err


def test_a_huge_csv_field_names_the_row(ws: Path) -> None:
    (ws / "records" / "r.csv").write_text(HEADER + 'X-1,plan_adopted,2026-04-10,u1,,,,,"' + "x" * 200_000 + '"\n')
    assert "records/r.csv: row 2: a field is longer than" in check_en(ws)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '{"id": "J", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "subject": "u2"}',
            'field "subject" appears twice',
        ),
        (
            '{"id": "J", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "note": '
            + "[" * 50_000
            + "]" * 50_000
            + "}",
            "nested too deeply",
        ),
        (
            '{"id": "J", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "result": NaN}',
            "NaN is not a value",
        ),
        ('{"id": 7, "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1"}', 'field "id" must be text'),
        (
            '{"id": "J", "kind": "plan_adopted", "date": "2026-W15-5", "subject": "u1"}',
            'date "2026-W15-5" is not a real date',
        ),
    ],
)
def test_strict_jsonl(ws: Path, line: str, expected: str) -> None:
    (ws / "records" / "r.jsonl").write_text(line + "\n", encoding="utf-8")
    err = check_en(ws)
    assert "records/r.jsonl: line 1" in err and expected in err, err


def test_a_ref_must_name_a_record_or_a_finding(ws: Path) -> None:
    body = (
        "P-1,diary_problem,2026-10-08,staff-a,,,,,\n"
        "A-1,accountability_action,2026-10-20,staff-a,,,,P-1,\n"
        "A-2,accountability_action,2026-10-21,staff-a,,,,R205:dept-b:2026-10,\n"
        "A-3,accountability_action,2026-10-22,staff-a,,,,P-9,\n"
    )
    (ws / "records" / "r.csv").write_text(HEADER + body, encoding="utf-8")
    err = check_en(ws)
    assert 'records/r.csv: row 5: ref "P-9" names no record (did you mean "P-1"?)' in err
    assert len(err.strip().splitlines()) == 1, err


def test_records_as_a_file_or_a_loop_is_bad_input(ws: Path) -> None:
    (ws / "records").rmdir()
    (ws / "records").write_text("x", encoding="utf-8")
    assert "records: is a file, not a folder" in check_en(ws)
    (ws / "records").unlink()
    (ws / "records").symlink_to("records")
    assert "records: is a symbolic link that loops" in check_en(ws)


def test_a_pipe_among_the_records_is_named_not_read(ws: Path) -> None:
    os.mkfifo(ws / "records" / "pipe.csv")
    assert "records/pipe.csv: is a named pipe (FIFO), not a file" in check_en(ws)


def test_a_link_to_nothing_among_the_records_names_its_target_in_chinese_and_english(ws: Path) -> None:
    (ws / "records" / "gone.csv").symlink_to("moved-away.csv")
    assert 'records/gone.csv: is a symbolic link to "moved-away.csv", which does not exist' in check_en(ws)
    result = run(["check", ws, "--as-of", AS_OF], exit_code=2)
    assert "records/gone.csv: 是指向“moved-away.csv”的符号链接，但链接目标不存在" in result.stderr


def _unreadable(kind: str, path: Path) -> Path:
    """Make ``path`` a thing of ``kind`` that cannot be read as an input file (for "unreadable",
    the path below it that is)."""
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/null")
    elif kind == "socket":
        import socket

        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
    elif kind == "too large":
        with path.open("wb") as f:
            f.truncate(300 * 1024 * 1024)  # sparse: nothing is written
    elif kind == "dangling":
        path.symlink_to("moved-away.csv")
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "unreadable":
        path.write_text("x", encoding="utf-8")
        return path / "r.csv"  # a file's name used as a folder's
    return path


@pytest.mark.parametrize(
    ("kind", "en", "zh"),
    [
        ("folder", "is a folder, not a file", "是文件夹，不是文件"),
        (
            "pipe",
            "is a named pipe (FIFO), not a file; reading it would wait forever",
            "是命名管道（FIFO），不是文件；读取它会一直等待",
        ),
        ("device", "is a device, not a file", "是设备，不是文件"),
        ("socket", "is a socket, not a file", "是套接字，不是文件"),
        ("too large", "is 300 MB; the limit is 256 MB per file", "文件过大（300 MB），超过每个文件 256 MB 的上限"),
        (
            "dangling",
            'is a symbolic link to "moved-away.csv", which does not exist',
            "是指向“moved-away.csv”的符号链接，但链接目标不存在",
        ),
        (
            "loop",
            "is a symbolic link that loops (it points, in the end, to itself)",
            "是循环的符号链接（最终指向自身）",
        ),
        ("unreadable", "cannot be read: Not a directory", "无法读取：Not a directory"),
    ],
)
def test_every_unreadable_path_is_said_in_chinese_and_in_english(kind: str, en: str, zh: str, tmp_path: Path) -> None:
    from lianfang.models.limits import MAX_FILE_BYTES
    from lianfang.models.sources import text

    assert MAX_FILE_BYTES == 256 * 1024 * 1024
    path = _unreadable(kind, tmp_path / "r.csv")
    problem = text.path_problem(path, "records/r.csv")
    assert problem is not None
    assert problem.render("zh") == f"records/r.csv: {zh}"
    assert problem.render("en") == f"records/r.csv: {en}"


@pytest.mark.parametrize("kind", ["pipe", "device", "socket", "dangling", "loop"])
def test_an_output_that_is_not_a_file_is_refused_in_chinese_and_in_english(kind: str, ws: Path) -> None:
    out = ws.parent / "out.json"
    _unreadable(kind, out)
    zh = run(["check", ws, "--as-of", AS_OF, "-o", out], exit_code=2).stderr
    en = run(["check", ws, "--as-of", AS_OF, "-o", out, "--lang", "en"], exit_code=2).stderr
    from lianfang.models.files import what_it_is

    said = what_it_is(out)
    assert said is not None
    assert zh.strip() == f"lianfang: 错误：无法写入“{out}”：它{said.zh}"
    assert en.strip().endswith(f'cannot write "{out}": it {said.en}')


def test_an_output_over_the_size_limit_is_replaced(ws: Path) -> None:
    out = _unreadable("too large", ws.parent / "out.json")
    run(["check", ws, "--as-of", AS_OF, "--format", "json", "-o", out], exit_code=1)
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_records_that_are_not_a_folder_are_said_in_chinese(ws: Path) -> None:
    (ws / "records").rmdir()
    (ws / "records").write_text("x", encoding="utf-8")
    result = run(["check", ws, "--as-of", AS_OF], exit_code=2)
    assert "records: 是文件，不是文件夹；records/ 应是存放台账文件的文件夹" in result.stderr


def test_a_folder_named_waivers_yaml_is_reported(ws: Path) -> None:
    (ws / "waivers.yaml").mkdir()
    assert "waivers.yaml: is a folder, not a file" in check_en(ws)


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["score", "{ws}", "--format", "json", "--as-of", AS_OF], "risks.yaml"),
        (["sample", "{ws}", "--month", "2026-11"], "org.yaml"),
        (["report", "{ws}", "--as-of", AS_OF], "lianfang.yaml"),
        (["forms", "export", "{ws}"], "records"),
    ],
)
def test_the_office_commands_never_write_onto_an_input(ws: Path, args: list[str], target: str) -> None:
    path = ws / target / "new.xlsx" if target == "records" else ws / target
    before = path.read_bytes() if path.exists() else None
    result = run([str(ws) if a == "{ws}" else a for a in args] + ["-o", path], exit_code=2)
    assert "无法写入" in result.stderr
    assert (path.read_bytes() if path.exists() else None) == before


def test_score_into_a_missing_folder(ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "score.json"
    run(["score", ws, "--as-of", AS_OF, "-o", target], exit_code=0)
    assert target.read_text(encoding="utf-8").startswith("{")


def test_as_of_takes_no_iso_week(ws: Path) -> None:
    result = run(["check", ws, "--as-of", "2026-W48-1", "--lang", "en"], exit_code=2)
    assert '"2026-W48-1" is not a real date' in result.stderr


def test_lint_blames_the_override_and_keeps_the_source_note_at_the_pack(ws: Path) -> None:
    (ws / "lianfang.yaml").write_text("year: 2026\nrules:\n  S114: {due: '13-45'}\n", encoding="utf-8")
    out = run(["lint", ws, "--lang", "en"], exit_code=1).stdout
    assert 'lianfang.yaml:3: L101 [error] S114: due "13-45" is not a real date' in out
    note = next(line for line in out.splitlines() if "the source: S114" in line)
    assert "rules/pack/S.yaml:" in note and note.endswith("the pack uses 06-30")


@given(
    st.text(
        alphabet=st.sampled_from(
            [chr(c) for c in [*range(0x00, 0x30), *range(0x7E, 0xA5), 0x2028, 0x2029, 0x202E, 0x3000, 0x4E00, 0xFEFF]]
            + ["\ud800", "\udfff", "a", " "]
        ),
        max_size=8,
    ),
    st.sampled_from(["id", "subject", "note", "result"]),
)
def test_a_record_value_s_quick_check_refuses_what_the_three_checks_refuse(value: str, column: str) -> None:
    """``value_problem`` looks at most values with one search: it finds a problem exactly where
    its three checks (controls, surrogates, line breaks in a one-line column) find one."""
    from lianfang.models.sources import values

    refused = bool(
        values._CONTROL.search(value)
        or values._SURROGATE.search(value)
        or (column not in values.MULTILINE_COLUMNS and values._LINE_BREAK.search(value))
    )
    assert (values.value_problem(column, value) is not None) == refused
