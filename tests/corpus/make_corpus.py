"""Generate the hostile-input corpus: bad and hostile workspaces, each with what it must produce.

Run it alone to look at the cases (``python tests/corpus/make_corpus.py DEST``); the test
``tests/test_corpus.py`` generates it into a temporary folder and runs every case through
every command. Each case is a copy of ``tests/fixtures/base`` (plus a few records and a
waiver) changed in one way, and a manifest entry (``DEST/manifest.json``):

- ``expect``: the exit code every command that reads the broken file must give (2), or
  ``null`` when the input is valid but hostile (names with markup, control characters,
  formulas …): then every command must behave as on the untouched base, and every output
  must parse and be inert;
- ``fragments``: texts the error must contain (the file, the row, line or key), with
  ``--lang en``;
- ``reads``: which commands read the broken file (``all``, or ``waivers``: check, calendar
  and graph --as-of, not lint or rules).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "base"
SHIPPED_PACK = Path(__file__).resolve().parents[2] / "rules" / "pack"
HEADER = "id,kind,date,subject,period,by,result,ref,note\n"
RECORDS = (
    HEADER
    + "A-1,plan_adopted,2026-04-10,u1,,,,,党组会议\n"
    + "A-2,diary_problem,2026-10-08,staff-a,,,,,记录不实\n"
    + "A-3,accountability_action,2026-10-20,staff-a,,,,A-2,约谈\n"
)
JSONL = '{"id": "J-1", "kind": "dept_monthly_report", "date": "2026-10-30", "subject": "dept-a", "period": "2026-10"}\n'
WAIVERS = (
    "waivers:\n"
    "  - rule: R205\n    subject: dept-b\n    period: 2026-10\n"
    "    justification: 装修停办\n    approved_by: ldr-main\n    expires: 2026-12-31\n"
)


@dataclass
class Case:
    name: str
    klass: str
    build: Callable[[Path], None]
    expect: int | None = 2
    fragments: tuple[str, ...] = ()
    reads: str = "all"
    #: skip the expensive renders (svg) for most cases; hostile names get them
    render: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- helpers


def base_workspace(root: Path) -> None:
    shutil.copytree(BASE, root)
    (root / "records").mkdir(exist_ok=True)
    (root / "records" / "base.csv").write_text(RECORDS, encoding="utf-8")
    (root / "records" / "monthly.jsonl").write_text(JSONL, encoding="utf-8")
    (root / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")


def load(root: Path, name: str) -> Any:
    return yaml.safe_load((root / name).read_text(encoding="utf-8"))


def dump(root: Path, name: str, data: Any) -> None:
    (root / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def append(name: str, text: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as fh:
            fh.write(text)

    return build


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return build


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return build


def records(body: str, name: str = "bad.csv") -> Callable[[Path], None]:
    return write(f"records/{name}", HEADER + body)


def jsonl(body: str, name: str = "bad.jsonl") -> Callable[[Path], None]:
    return write(f"records/{name}", body)


def custom_pack(change: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        shutil.copytree(SHIPPED_PACK, root / "pack")
        config = load(root, "lianfang.yaml")
        config["rule_pack"] = "pack"
        dump(root, "lianfang.yaml", config)
        change(root)

    return build


def alias_bomb(levels: int = 9) -> str:
    lines = ['bomb0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"bomb{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def in_place_of(name: str, make: Callable[[Path, Path], None]) -> Callable[[Path], None]:
    """A build that removes whatever is at ``name`` (a file, a link, a folder) and makes
    something else there: ``make(root, path)``."""

    def build(root: Path) -> None:
        path = root / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        make(root, path)

    return build


def symlink(name: str, target: str | Callable[[Path], str]) -> Callable[[Path], None]:
    return in_place_of(name, lambda root, path: os.symlink(target(root) if callable(target) else target, path))


def fifo(name: str) -> Callable[[Path], None]:
    return in_place_of(name, lambda root, path: os.mkfifo(path))


def folder(name: str) -> Callable[[Path], None]:
    def make(root: Path, path: Path) -> None:
        path.mkdir()
        (path / "inside.txt").write_text("x", encoding="utf-8")

    return in_place_of(name, make)


def both(*builds: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for b in builds:
            b(root)

    return build


# ----------------------------------------------------------------------------- hostile names

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "html_img": '<img src=x onerror="alert(1)">',
    "graphviz_html": "<<b>加粗</b>>",
    "trailing_backslash": "名称\\",
    "dot_quote": 'a"b\\l\\N',
    "dot_brace": "}; x [label=evil]; {",
    "newline": "第一行\n## 第二行",
    "crlf": "甲\r\n乙",
    "pipe": "a | b | c",
    "formula_eq": '=HYPERLINK("http://evil","x")',
    "formula_plus": "+1+cmd|' /C calc'!A0",
    "formula_minus": "-2+3",
    "formula_at": "@SUM(1+1)",
    "formula_tab": "\t=1+1",
    "formula_cr": "\r=1+1",
    "rich_close": "[/]",
    "rich_link": "[link=http://evil.example]点这里[/link]",
    "rich_style": "[bold red on white]红[/bold red on white]",
    "ansi_escape": "\x1b[31m红色\x1b[0m\x1b]8;;http://evil\x07链接\x1b]8;;\x07",
    "bell_and_backspace": "a\x07b\x08c",
    "nul_char": "a\x00b",
    "xml_forbidden": "a\x0bb\x0cc\x1fd",
    "c1_control": "a\x85b\x9bc",
    "bidi_override": "abc\u202edef\u2066x",
    "xml_cdata": "]]><x/>&amp;<!-- -->",
    "ics_injection": "x\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:evil",
    "ics_specials": "a;b,c\\d:e",
    "github_command": "x\n::error::injected%0A",
    "markdown_link": "[点击](javascript:alert(1)) **粗** `code` ![img](http://x/y.png)",
    "format_braces": "{who} {0} %s %(x)s",
    "long_name": "长" * 5000,
    "emoji_and_cjk_ext": "𠀀𪚥😀",
    "nbsp_zero_width": "a\u00a0b\u200bc\ufeffd",
    "lone_surrogate_escape": "\\ud800",
    "unicode_line_separator": "a\u2028b\u2029c",
}


#: three hostile texts per workspace: the first in the people's and the unit's names and the
#: risk points' descriptions, forms and measures (HTML labels, ledger cells, messages); the
#: second in the departments' and power items' names (plain diagram labels, table titles);
#: the third in the posts' and steps' names. Texts that attack DOT appear in every role.
HOSTILE_SETS = (
    ("formula_eq", "graphviz_html", "trailing_backslash"),
    ("formula_plus", "dot_brace", "dot_quote"),
    ("trailing_backslash", "formula_minus", "graphviz_html"),
    ("dot_quote", "trailing_backslash", "dot_brace"),
    ("formula_at", "rich_link", "crlf"),
    ("formula_tab", "rich_style", "pipe"),
    ("formula_cr", "ansi_escape", "script"),
    ("rich_close", "newline", "html_img"),
    ("bell_and_backspace", "nul_char", "xml_forbidden"),
    ("c1_control", "bidi_override", "xml_cdata"),
    ("ics_injection", "ics_specials", "github_command"),
    ("markdown_link", "format_braces", "long_name"),
    ("emoji_and_cjk_ext", "nbsp_zero_width", "lone_surrogate_escape"),
    ("unicode_line_separator", "script", "ansi_escape"),
)
#: the sets also drawn as SVG by graphviz (the DOT of every set goes through ``dot -Tsvg``)
RENDERED = (0, 2, 3, 6, 8)


def hostile_names(first: str, second: str, third: str) -> Callable[[Path], None]:
    """Put the three texts into every name and description a report or diagram shows (see HOSTILE_SETS)."""

    def build(root: Path) -> None:
        org = load(root, "org.yaml")
        org["unit"]["name"] = first + "单位"
        for i, p in enumerate(org["people"]):
            p["name"] = f"{first}{i}"
        for i, d in enumerate(org["departments"]):
            d["name"] = f"{second}部{i}"
        for i, p in enumerate(org["posts"]):
            p["name"] = f"{third}岗{i}"
        dump(root, "org.yaml", org)
        risks = load(root, "risks.yaml")
        for i, p in enumerate(risks["powers"]):
            p["name"] = f"{second}事项{i}"
            p["steps"] = [f"{third}{s}" for s in p["steps"]]
        for r in risks["risk_points"]:
            r["description"] = first
            r["form"] = first
            if r.get("step"):
                r["step"] = f"{third}{r['step']}"
            for m in r["measures"]:
                m["description"] = first
        dump(root, "risks.yaml", risks)

    return build


# ----------------------------------------------------------------------------- the cases


def cases() -> list[Case]:
    """Every case, by class; each table row is one case (``bad``: the input must be refused)."""
    out: list[Case] = []
    add = out.append

    def bad(name: str, klass: str, build: Callable[[Path], None], *fragments: str, reads: str = "all") -> None:
        add(Case(name, klass, build, 2, fragments, reads))

    # -- bounded YAML, in every YAML file lianfang reads
    yaml_files = {
        "lianfang.yaml": "all",
        "org.yaml": "all",
        "risks.yaml": "all",
        "waivers.yaml": "waivers",
    }
    for name, reads in yaml_files.items():
        stem = name.split(".")[0]
        hostile_yaml: list[tuple[str, str, Callable[[Path], None], tuple[str, ...]]] = [
            ("alias_bomb", "yaml-alias", append(name, alias_bomb()), ("alias",)),
            ("alias_bomb_small", "yaml-alias", append(name, alias_bomb(7)), ("alias",)),
            ("recursive_alias", "yaml-alias", append(name, "loop: &loop [1, *loop]\n"), ("recursive alias",)),
            ("recursive_mapping_alias", "yaml-alias", append(name, "loop: &m {a: *m}\n"), ("recursive alias",)),
            ("unhashable_key", "yaml-key", append(name, "? [a, b]\n: 1\n"), ("line",)),
            ("unhashable_map_key", "yaml-key", append(name, "{a: 1}: 2\n"), ("line",)),
            ("deep_nesting", "yaml-depth", append(name, "deep: " + "[" * 900 + "]" * 900 + "\n"), ()),
            ("deep_block_nesting", "yaml-depth", append(name, "deep:\n" + "- " * 300 + "x\n"), ("deep",)),
            ("python_tag", "yaml-tag", append(name, "x: !!python/object/apply:os.system [echo]\n"), ("line",)),
            ("huge_int", "yaml-number", append(name, "big: " + "9" * 5000 + "\n"), ("big",)),
            ("binary", "encoding", write(name, b"\xff\xfe\x00\x00garbage\x81"), ()),
            ("top_level_list", "yaml-shape", write(name, "- a\n- b\n"), ("mapping",)),
            ("nul_byte", "yaml-shape", append(name, "x: a\x00b\n"), ()),
        ]
        for case, klass, build, fragments in hostile_yaml:
            bad(f"{case}_{stem}", klass, build, name, *fragments, reads=reads)

    # the rule pack: a custom pack with the same hostile YAML
    for case, klass, text, fragment in (
        ("alias_bomb_rule_pack", "yaml-alias", alias_bomb(), "alias"),
        ("recursive_alias_rule_pack", "yaml-alias", "loop: &loop [*loop]\n", "recursive alias"),
        ("unhashable_key_rule_pack", "yaml-key", "? [a]\n: 1\n", "line"),
    ):
        bad(case, klass, custom_pack(append("pack/s_schedule.yaml", text)), "s_schedule.yaml", fragment)

    # -- dates and times YAML cannot build: a grading's review, a waiver's expiry
    for case, review, fragments in (
        ("hour_25_review", "2026-06-23 25:00:00", ("25:00",)),
        ("offset_99_review", "2026-06-23T10:00:00+99:00", ("+99:00",)),
        ("datetime_review", "2026-06-23T10:00:00", None),  # the time is ignored, as exports add it (models/dates.py)
        ("impossible_date_review", "2026-06-31", ("2026-06-31",)),
    ):
        build = replace("risks.yaml", "review: 2026-06-23", f"review: {review}")
        if fragments is None:
            add(Case(case, "yaml-datetime", build, None))
        else:
            bad(case, "yaml-datetime", build, "risks.yaml", "gradings[0].review", *fragments)
    for case, expires in (
        ("hour_25_waiver", "2026-12-31 25:00:00"),
        ("offset_99_waiver", "2026-12-31T00:00:00+99:00"),
        ("impossible_date_waiver", "2026-02-30"),
    ):
        build = replace("waivers.yaml", "2026-12-31", expires)
        bad(case, "yaml-datetime", build, "waivers.yaml", "waivers[0].expires", reads="waivers")
    head_a = "{id: head-a, name: 甲部主任"
    bad(
        "hour_25_since",
        "yaml-datetime",
        replace("org.yaml", head_a + "}", head_a + ", since: 2026-01-01 25:61:00}"),
        "org.yaml",
        "people[2].since",
    )
    iso_week = "year: 2026\nparams:\n  key_post_count: 2\n  recurring_from: 2026-W36-1\n"
    bad(
        "iso_week_recurring_from",
        "yaml-datetime",
        write("lianfang.yaml", iso_week),
        "lianfang.yaml",
        "params.recurring_from",
    )

    # -- a huge document: 0.6 MB expanding to millions of measures
    def huge(root: Path) -> None:
        risks = (root / "risks.yaml").read_text(encoding="utf-8")
        lines = ["measure_pool: &m ["]
        lines.append(", ".join(["{description: 双人审核, owner: head-a}"] * 1500))
        lines.append("]")
        body = "\n".join(lines) + "\n"
        points = "".join(
            f"  - {{id: rp-x{i}, owner: dept-a, category: 业务流程, description: x, level: 3, measures: *m}}\n"
            for i in range(6000)
        )
        risks = risks.replace("risk_points:\n", "risk_points:\n" + points, 1)
        (root / "risks.yaml").write_text(body + risks, encoding="utf-8")

    bad("huge_alias_expansion_risks", "yaml-size", huge, "risks.yaml", "alias")

    # -- strict types: (case, file, text, what it becomes, the key named)
    for case, name, old, new, key in (
        ("key_post_count_yes", "lianfang.yaml", "key_post_count: 2", "key_post_count: yes", "params.key_post_count"),
        ("key_post_count_float", "lianfang.yaml", "key_post_count: 2", "key_post_count: 2.0", "params.key_post_count"),
        ("key_post_count_string", "lianfang.yaml", "key_post_count: 2", 'key_post_count: "2"', "params.key_post_count"),
        ("level_true", "risks.yaml", "level: 2, evaluations", "level: true, evaluations", "gradings[0].level"),
        ("risk_level_true", "risks.yaml", "    level: 2\n", "    level: true\n", "risk_points[0].level"),
        ("key_flag_number", "org.yaml", "key: true}", "key: 1}", "departments[0].key"),
        ("year_true", "lianfang.yaml", "year: 2026", "year: true", "year"),
        ("name_number", "org.yaml", "name: 甲部科员", "name: 12345", "people[3].name"),
    ):
        bad(case, "types", replace(name, old, new), name, key)

    def param(text: str) -> Callable[[Path], None]:
        """lianfang.yaml with one more parameter after key_post_count."""
        return replace("lianfang.yaml", "key_post_count: 2", f"key_post_count: 2\n  {text}")

    for name in (
        "accountability_days",
        "key_matter_filing_days",
        "public_commitment_days",
        "topic_supervision_days",
        "year_end_assessment_days",
        "due_soon_days",
    ):
        bad(f"param_overflow_{name}", "params", param(f"{name}: 100000000000"), "lianfang.yaml", f"params.{name}")
    for case, text in (
        ("param_float_1e11", "accountability_days: 1.0e+11"),
        ("param_string_1e11", "accountability_days: 1e11"),
        ("param_diary_min_huge", "diary_min_entries_per_month: 10000000000"),
    ):
        bad(case, "params", param(text), "lianfang.yaml", f"params.{text.split(':')[0]}")
    override = replace("lianfang.yaml", "year: 2026", "year: 2026\nrules:\n  S114: {due: '13-45'}")
    bad("override_due_bad", "params", override, "lianfang.yaml", "S114")

    # -- CSV records: (case, class, the rows after the header, what the error names after the file)
    csv_cases: list[tuple[str, str, str, tuple[str, ...] | None]] = [
        ("csv_huge_field", "csv-limits", 'X-1,plan_adopted,2026-04-10,u1,,,,,"' + "长" * 300_000 + '"\n', ("row 2",)),
        (
            "csv_unterminated_quote",
            "csv-strict",
            'X-1,plan_adopted,2026-04-10,u1,,,,,"unterminated\nX-2,study_session,2026-04-20,u1,,,,,\n',
            ("row 2", "quote"),
        ),
    ]
    for case, klass, body, fragments in csv_cases:
        bad(case, klass, records(body), "records/bad.csv", *(fragments or ()))
    duplicate_column = "id,kind,date,subject,note,note\nX-1,plan_adopted,2026-04-10,u1,a,b\n"
    bad(
        "csv_duplicate_column",
        "csv-strict",
        write("records/bad.csv", duplicate_column),
        "records/bad.csv",
        "row 1",
        "note",
    )
    csv_cases = [
        ("csv_nul_byte", "csv-strict", "X-1,plan_adopted,2026-04-10,u1,,,,,a\x00b\n", ("line 2", "NUL")),
        ("csv_iso_week_date", "csv-strict", "X-1,plan_adopted,2026-W15-5,u1,,,,,\n", ("row 2", "2026-W15-5")),
        ("csv_compact_date", "csv-strict", "X-1,plan_adopted,20260410,u1,,,,,\n", ("row 2", "20260410")),
        # read as 2026-04-10, as an office writes it (models/dates.py)
        ("csv_fullwidth_date", "csv-strict", "X-1,plan_adopted,２０２６-０４-１０,u1,,,,,\n", None),
        ("csv_ref_missing", "refs", "X-1,accountability_action,2026-10-20,staff-a,,,,NOPE-9,\n", ("row 2", "NOPE-9")),
    ]
    for case, klass, body, fragments in csv_cases:
        if fragments is None:
            add(Case(case, klass, records(body), None))
        else:
            bad(case, klass, records(body), "records/bad.csv", *fragments)
    bad("csv_empty_header", "csv-strict", write("records/bad.csv", "\n\n"), "records/bad.csv", "row 1")
    csv_cases = [
        ("csv_control_in_id", "csv-strict", "X\x1b[31m-1,plan_adopted,2026-04-10,u1,,,,,\n", ("row 2",)),
        ("csv_newline_in_id", "csv-strict", '"X\n-1",plan_adopted,2026-04-10,u1,,,,,\n', ("row 2",)),
        ("csv_too_many_fields", "csv-strict", "X-1,plan_adopted,2026-04-10,u1,,,,,,,extra\n", ("row 2",)),
        ("csv_date_overflow", "csv-strict", "X-1,plan_adopted,9999-12-31,u1,,,,,\n", None),
        (
            "csv_period_huge_year",
            "csv-strict",
            "X-1,dept_monthly_report,2026-10-30,dept-a,99999999999-10,,,,\n",
            ("row 2",),
        ),
    ]
    for case, klass, body, fragments in csv_cases:
        if fragments is None:
            add(Case(case, klass, records(body), None))
        else:
            bad(case, klass, records(body), "records/bad.csv", *fragments)

    # -- JSONL records: (case, class, the fields after the id, what the error names after the line)
    plan = '"kind": "plan_adopted", "date": "2026-04-10", "subject": "u1"'
    jsonl_cases: list[tuple[str, str, str, tuple[str, ...]]] = [
        ("jsonl_deep_nesting", "jsonl-limits", f'"J-9", {plan}, "note": ' + "[" * 100_000 + "]" * 100_000, ()),
        ("jsonl_huge_field", "jsonl-limits", f'"J-9", {plan}, "note": "' + "x" * 1_200_000 + '"', ()),
        ("jsonl_duplicate_key", "jsonl-strict", f'"J-9", {plan}, "subject": "u2"', ("subject",)),
        (
            "jsonl_nested_value",
            "jsonl-strict",
            '"J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": {"a": 1}',
            ("subject",),
        ),
        ("jsonl_number_id", "jsonl-strict", f'9, {plan}, "result": true', ()),
        ("jsonl_nul_escape", "jsonl-strict", f'"J-9", {plan}, "note": "a\\u0000b"', ()),
        (
            "jsonl_nan",
            "jsonl-strict",
            '"J-9", "kind": "annual_assessment", "date": "2026-11-20", "subject": "u1", "result": NaN',
            (),
        ),
        (
            "jsonl_iso_week",
            "jsonl-strict",
            '"J-9", "kind": "plan_adopted", "date": "2026-W15-5", "subject": "u1"',
            ("2026-W15-5",),
        ),
        (
            "jsonl_ref_missing",
            "refs",
            '"J-9", "kind": "topic_supervision", "date": "2026-10-20", "subject": "u1", "ref": "GONE"',
            ("GONE",),
        ),
        ("jsonl_lone_surrogate", "jsonl-strict", f'"J-9", {plan}, "note": "\\ud800"', ()),
    ]
    for case, klass, fields, fragments in jsonl_cases:
        bad(case, klass, jsonl('{"id": ' + fields + "}\n"), "records/bad.jsonl", "line 1", *fragments)

    # -- paths: what a file or folder really is
    def no_records(r: Path) -> None:
        shutil.rmtree(r / "records")

    def beside(name: str) -> Callable[[Path], str]:
        """A path outside the workspace, in the case's folder."""
        return lambda r: str(r.parent / name)

    for case, build, fragments, reads in (
        ("records_is_a_file", both(no_records, write("records", "x")), ("records", "file"), "all"),
        ("records_symlink_loop", both(no_records, symlink("records", "records")), ("records", "loop"), "all"),
        (
            "records_symlink_outside",
            both(no_records, symlink("records", beside("outside-dir"))),
            ("records", "outside"),
            "all",
        ),
        (
            "record_symlink_outside",
            symlink("records/leak.csv", beside("secret.csv")),
            ("records/leak.csv", "outside"),
            "all",
        ),
        ("record_symlink_dev_zero", symlink("records/zero.csv", "/dev/zero"), ("records/zero.csv",), "all"),
        ("record_fifo", fifo("records/pipe.csv"), ("records/pipe.csv", "pipe"), "all"),
        ("record_folder_named_csv", folder("records/folder.csv"), ("records/folder.csv", "folder"), "all"),
        ("org_is_folder", folder("org.yaml"), ("org.yaml", "folder"), "all"),
        ("org_fifo", fifo("org.yaml"), ("org.yaml", "pipe"), "all"),
        ("org_symlink_outside", symlink("org.yaml", beside("secret.csv")), ("org.yaml", "outside"), "all"),
        ("org_symlink_loop", symlink("org.yaml", "org.yaml"), ("org.yaml", "loop"), "all"),
        ("org_dangling_symlink", symlink("org.yaml", "nowhere.yaml"), ("org.yaml", "nowhere.yaml"), "all"),
        ("risks_dev_null", symlink("risks.yaml", "/dev/null"), ("risks.yaml",), "all"),
        ("config_fifo", fifo("lianfang.yaml"), ("lianfang.yaml", "pipe"), "all"),
        ("waivers_folder", folder("waivers.yaml"), ("waivers.yaml", "folder"), "waivers"),
        ("waivers_fifo", fifo("waivers.yaml"), ("waivers.yaml", "pipe"), "waivers"),
        (
            "waivers_symlink_outside",
            symlink("waivers.yaml", beside("secret.csv")),
            ("waivers.yaml", "outside"),
            "waivers",
        ),
    ):
        bad(case, "paths", build, *fragments, reads=reads)

    # -- hostile names: valid input, every output must stay well formed and inert
    assert {key for keys in HOSTILE_SETS for key in keys} == set(HOSTILE), "every hostile text is used"
    for i, keys in enumerate(HOSTILE_SETS):
        texts = [HOSTILE[k] for k in keys]
        add(Case("hostile_" + "+".join(keys), "hostile-names", hostile_names(*texts), None, render=i in RENDERED))
    hostile_ids = RECORDS.replace("A-1", "=1+1").replace("A-2", "<b>[/]x</b>")
    add(Case("hostile_record_ids", "hostile-names", write("records/base.csv", hostile_ids), None, render=True))
    justification = '"<script>\\e[31m[link=http://x]=1+1\\n::error::x"'
    hostile_waiver = replace("waivers.yaml", "装修停办", justification)
    add(Case("hostile_waiver_justification", "hostile-names", hostile_waiver, None, render=True))
    return out


SECRET = "TOP-SECRET-CONTENT-4711,plan_adopted,2026-04-10,u1,,,,,\n"


def generate(dest: Path) -> list[dict[str, Any]]:
    """Write every case under ``dest`` (one folder each, beside ``outside-dir`` and ``secret.csv``) and the manifest."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest = []
    for case in cases():
        box = dest / case.name
        box.mkdir()
        (box / "secret.csv").write_text("id,kind,date,subject\n" + SECRET, encoding="utf-8")
        (box / "outside-dir").mkdir()
        (box / "outside-dir" / "leak.csv").write_text(HEADER + SECRET, encoding="utf-8")
        root = box / "ws"
        base_workspace(root)
        case.build(root)
        manifest.append(
            {
                "name": case.name,
                "class": case.klass,
                "workspace": str(root),
                "expect": case.expect,
                "fragments": list(case.fragments),
                "reads": case.reads,
                "render": case.render,
            }
        )
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    if target.exists():
        sys.exit(f"{target} exists; give a new folder")
    entries = generate(target)
    print(f"{len(entries)} cases in {target}")
