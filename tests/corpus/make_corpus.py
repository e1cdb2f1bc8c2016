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


def symlink(name: str, target: str | Callable[[Path], str]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        os.symlink(target(root) if callable(target) else target, path)

    return build


def fifo(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / name
        if path.exists():
            path.unlink()
        os.mkfifo(path)

    return build


def folder(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / name
        if path.exists():
            path.unlink()
        path.mkdir()
        (path / "inside.txt").write_text("x", encoding="utf-8")

    return build


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
    out: list[Case] = []
    add = out.append

    # -- bounded YAML, in every YAML file lianfang reads
    yaml_files = {
        "lianfang.yaml": "all",
        "org.yaml": "all",
        "risks.yaml": "all",
        "waivers.yaml": "waivers",
    }
    for name, reads in yaml_files.items():
        stem = name.split(".")[0]
        add(Case(f"alias_bomb_{stem}", "yaml-alias", append(name, alias_bomb()), 2, (name, "alias"), reads))
        add(Case(f"alias_bomb_small_{stem}", "yaml-alias", append(name, alias_bomb(7)), 2, (name, "alias"), reads))
        add(
            Case(
                f"recursive_alias_{stem}",
                "yaml-alias",
                append(name, "loop: &loop [1, *loop]\n"),
                2,
                (name, "recursive alias"),
                reads,
            )
        )
        add(
            Case(
                f"recursive_mapping_alias_{stem}",
                "yaml-alias",
                append(name, "loop: &m {a: *m}\n"),
                2,
                (name, "recursive alias"),
                reads,
            )
        )
        add(Case(f"unhashable_key_{stem}", "yaml-key", append(name, "? [a, b]\n: 1\n"), 2, (name, "line"), reads))
        add(Case(f"unhashable_map_key_{stem}", "yaml-key", append(name, "{a: 1}: 2\n"), 2, (name, "line"), reads))
        add(
            Case(
                f"deep_nesting_{stem}",
                "yaml-depth",
                append(name, "deep: " + "[" * 900 + "]" * 900 + "\n"),
                2,
                (name,),
                reads,
            )
        )
        add(
            Case(
                f"deep_block_nesting_{stem}",
                "yaml-depth",
                append(name, "deep:\n" + "- " * 300 + "x\n"),
                2,
                (name, "deep"),
                reads,
            )
        )
        add(
            Case(
                f"python_tag_{stem}",
                "yaml-tag",
                append(name, "x: !!python/object/apply:os.system [echo]\n"),
                2,
                (name, "line"),
                reads,
            )
        )
        add(Case(f"huge_int_{stem}", "yaml-number", append(name, "big: " + "9" * 5000 + "\n"), 2, (name, "big"), reads))
        add(Case(f"binary_{stem}", "encoding", write(name, b"\xff\xfe\x00\x00garbage\x81"), 2, (name,), reads))
        add(Case(f"top_level_list_{stem}", "yaml-shape", write(name, "- a\n- b\n"), 2, (name, "mapping"), reads))
        add(Case(f"nul_byte_{stem}", "yaml-shape", append(name, "x: a\x00b\n"), 2, (name,), reads))

    # the rule pack: a custom pack with the same hostile YAML
    add(
        Case(
            "alias_bomb_rule_pack",
            "yaml-alias",
            custom_pack(append("pack/s_schedule.yaml", alias_bomb())),
            2,
            ("s_schedule.yaml", "alias"),
        )
    )
    add(
        Case(
            "recursive_alias_rule_pack",
            "yaml-alias",
            custom_pack(append("pack/s_schedule.yaml", "loop: &loop [*loop]\n")),
            2,
            ("s_schedule.yaml", "recursive alias"),
        )
    )
    add(
        Case(
            "unhashable_key_rule_pack",
            "yaml-key",
            custom_pack(append("pack/s_schedule.yaml", "? [a]\n: 1\n")),
            2,
            ("s_schedule.yaml", "line"),
        )
    )

    # -- dates and times YAML cannot build
    add(
        Case(
            "hour_25_review",
            "yaml-datetime",
            replace("risks.yaml", "review: 2026-06-23", "review: 2026-06-23 25:00:00"),
            2,
            ("risks.yaml", "gradings[0].review", "25:00"),
        )
    )
    add(
        Case(
            "offset_99_review",
            "yaml-datetime",
            replace("risks.yaml", "review: 2026-06-23", "review: 2026-06-23T10:00:00+99:00"),
            2,
            ("risks.yaml", "gradings[0].review", "+99:00"),
        )
    )
    add(
        Case(
            "datetime_review",
            "yaml-datetime",
            replace("risks.yaml", "review: 2026-06-23", "review: 2026-06-23T10:00:00"),
            None,  # a time of day after the date is ignored, as exports add it (models/dates.py)
        )
    )
    add(
        Case(
            "impossible_date_review",
            "yaml-datetime",
            replace("risks.yaml", "review: 2026-06-23", "review: 2026-06-31"),
            2,
            ("risks.yaml", "gradings[0].review", "2026-06-31"),
        )
    )
    add(
        Case(
            "hour_25_waiver",
            "yaml-datetime",
            replace("waivers.yaml", "2026-12-31", "2026-12-31 25:00:00"),
            2,
            ("waivers.yaml", "waivers[0].expires"),
            "waivers",
        )
    )
    add(
        Case(
            "offset_99_waiver",
            "yaml-datetime",
            replace("waivers.yaml", "2026-12-31", "2026-12-31T00:00:00+99:00"),
            2,
            ("waivers.yaml", "waivers[0].expires"),
            "waivers",
        )
    )
    add(
        Case(
            "impossible_date_waiver",
            "yaml-datetime",
            replace("waivers.yaml", "2026-12-31", "2026-02-30"),
            2,
            ("waivers.yaml", "waivers[0].expires"),
            "waivers",
        )
    )
    add(
        Case(
            "hour_25_since",
            "yaml-datetime",
            replace(
                "org.yaml", "{id: head-a, name: 甲部主任}", "{id: head-a, name: 甲部主任, since: 2026-01-01 25:61:00}"
            ),
            2,
            ("org.yaml", "people[2].since"),
        )
    )
    add(
        Case(
            "iso_week_recurring_from",
            "yaml-datetime",
            write("lianfang.yaml", "year: 2026\nparams:\n  key_post_count: 2\n  recurring_from: 2026-W36-1\n"),
            2,
            ("lianfang.yaml", "params.recurring_from"),
        )
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

    add(Case("huge_alias_expansion_risks", "yaml-size", huge, 2, ("risks.yaml", "alias")))

    # -- strict types
    add(
        Case(
            "key_post_count_yes",
            "types",
            replace("lianfang.yaml", "key_post_count: 2", "key_post_count: yes"),
            2,
            ("lianfang.yaml", "params.key_post_count"),
        )
    )
    add(
        Case(
            "key_post_count_float",
            "types",
            replace("lianfang.yaml", "key_post_count: 2", "key_post_count: 2.0"),
            2,
            ("lianfang.yaml", "params.key_post_count"),
        )
    )
    add(
        Case(
            "key_post_count_string",
            "types",
            replace("lianfang.yaml", "key_post_count: 2", 'key_post_count: "2"'),
            2,
            ("lianfang.yaml", "params.key_post_count"),
        )
    )
    add(
        Case(
            "level_true",
            "types",
            replace("risks.yaml", "level: 2, evaluations", "level: true, evaluations"),
            2,
            ("risks.yaml", "gradings[0].level"),
        )
    )
    add(
        Case(
            "risk_level_true",
            "types",
            replace("risks.yaml", "    level: 2\n", "    level: true\n"),
            2,
            ("risks.yaml", "risk_points[0].level"),
        )
    )
    add(
        Case(
            "key_flag_number",
            "types",
            replace("org.yaml", "key: true}", "key: 1}"),
            2,
            ("org.yaml", "departments[0].key"),
        )
    )
    add(Case("year_true", "types", replace("lianfang.yaml", "year: 2026", "year: true"), 2, ("lianfang.yaml", "year")))
    add(
        Case(
            "name_number",
            "types",
            replace("org.yaml", "name: 甲部科员", "name: 12345"),
            2,
            ("org.yaml", "people[3].name"),
        )
    )
    for param in (
        "accountability_days",
        "key_matter_filing_days",
        "public_commitment_days",
        "topic_supervision_days",
        "year_end_assessment_days",
        "due_soon_days",
    ):
        add(
            Case(
                f"param_overflow_{param}",
                "params",
                replace("lianfang.yaml", "key_post_count: 2", f"key_post_count: 2\n  {param}: 100000000000"),
                2,
                ("lianfang.yaml", f"params.{param}"),
            )
        )
    add(
        Case(
            "param_float_1e11",
            "params",
            replace("lianfang.yaml", "key_post_count: 2", "key_post_count: 2\n  accountability_days: 1.0e+11"),
            2,
            ("lianfang.yaml", "params.accountability_days"),
        )
    )
    add(
        Case(
            "param_string_1e11",
            "params",
            replace("lianfang.yaml", "key_post_count: 2", "key_post_count: 2\n  accountability_days: 1e11"),
            2,
            ("lianfang.yaml", "params.accountability_days"),
        )
    )
    add(
        Case(
            "param_diary_min_huge",
            "params",
            replace(
                "lianfang.yaml", "key_post_count: 2", "key_post_count: 2\n  diary_min_entries_per_month: 10000000000"
            ),
            2,
            ("lianfang.yaml", "params.diary_min_entries_per_month"),
        )
    )
    add(
        Case(
            "override_due_bad",
            "params",
            replace("lianfang.yaml", "year: 2026", "year: 2026\nrules:\n  S114: {due: '13-45'}"),
            2,
            ("lianfang.yaml", "S114"),
        )
    )

    # -- CSV records
    add(
        Case(
            "csv_huge_field",
            "csv-limits",
            records('X-1,plan_adopted,2026-04-10,u1,,,,,"' + "长" * 300_000 + '"\n'),
            2,
            ("records/bad.csv", "row 2"),
        )
    )
    add(
        Case(
            "csv_unterminated_quote",
            "csv-strict",
            records('X-1,plan_adopted,2026-04-10,u1,,,,,"unterminated\nX-2,study_session,2026-04-20,u1,,,,,\n'),
            2,
            ("records/bad.csv", "row 2", "quote"),
        )
    )
    add(
        Case(
            "csv_duplicate_column",
            "csv-strict",
            write("records/bad.csv", "id,kind,date,subject,note,note\nX-1,plan_adopted,2026-04-10,u1,a,b\n"),
            2,
            ("records/bad.csv", "row 1", "note"),
        )
    )
    add(
        Case(
            "csv_nul_byte",
            "csv-strict",
            records("X-1,plan_adopted,2026-04-10,u1,,,,,a\x00b\n"),
            2,
            ("records/bad.csv", "line 2", "NUL"),
        )
    )
    add(
        Case(
            "csv_iso_week_date",
            "csv-strict",
            records("X-1,plan_adopted,2026-W15-5,u1,,,,,\n"),
            2,
            ("records/bad.csv", "row 2", "2026-W15-5"),
        )
    )
    add(
        Case(
            "csv_compact_date",
            "csv-strict",
            records("X-1,plan_adopted,20260410,u1,,,,,\n"),
            2,
            ("records/bad.csv", "row 2", "20260410"),
        )
    )
    add(
        Case(
            "csv_fullwidth_date",
            "csv-strict",
            records("X-1,plan_adopted,２０２６-０４-１０,u1,,,,,\n"),
            None,  # read as 2026-04-10, as an office writes it (models/dates.py)
        )
    )
    add(
        Case(
            "csv_ref_missing",
            "refs",
            records("X-1,accountability_action,2026-10-20,staff-a,,,,NOPE-9,\n"),
            2,
            ("records/bad.csv", "row 2", "NOPE-9"),
        )
    )
    add(Case("csv_empty_header", "csv-strict", write("records/bad.csv", "\n\n"), 2, ("records/bad.csv", "row 1")))
    add(
        Case(
            "csv_control_in_id",
            "csv-strict",
            records("X\x1b[31m-1,plan_adopted,2026-04-10,u1,,,,,\n"),
            2,
            ("records/bad.csv", "row 2"),
        )
    )
    add(
        Case(
            "csv_newline_in_id",
            "csv-strict",
            records('"X\n-1",plan_adopted,2026-04-10,u1,,,,,\n'),
            2,
            ("records/bad.csv", "row 2"),
        )
    )
    add(
        Case(
            "csv_too_many_fields",
            "csv-strict",
            records("X-1,plan_adopted,2026-04-10,u1,,,,,,,extra\n"),
            2,
            ("records/bad.csv", "row 2"),
        )
    )
    add(Case("csv_date_overflow", "csv-strict", records("X-1,plan_adopted,9999-12-31,u1,,,,,\n"), None))
    add(
        Case(
            "csv_period_huge_year",
            "csv-strict",
            records("X-1,dept_monthly_report,2026-10-30,dept-a,99999999999-10,,,,\n"),
            2,
            ("records/bad.csv", "row 2"),
        )
    )

    # -- JSONL records
    add(
        Case(
            "jsonl_deep_nesting",
            "jsonl-limits",
            jsonl(
                '{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "note": '
                + "[" * 100_000
                + "]" * 100_000
                + "}\n"
            ),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )
    add(
        Case(
            "jsonl_huge_field",
            "jsonl-limits",
            jsonl(
                '{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "note": "'
                + "x" * 1_200_000
                + '"}\n'
            ),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )
    add(
        Case(
            "jsonl_duplicate_key",
            "jsonl-strict",
            jsonl('{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "subject": "u2"}\n'),
            2,
            ("records/bad.jsonl", "line 1", "subject"),
        )
    )
    add(
        Case(
            "jsonl_nested_value",
            "jsonl-strict",
            jsonl('{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": {"a": 1}}\n'),
            2,
            ("records/bad.jsonl", "line 1", "subject"),
        )
    )
    add(
        Case(
            "jsonl_number_id",
            "jsonl-strict",
            jsonl('{"id": 9, "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "result": true}\n'),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )
    add(
        Case(
            "jsonl_nul_escape",
            "jsonl-strict",
            jsonl(
                '{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "note": "a\\u0000b"}\n'
            ),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )
    add(
        Case(
            "jsonl_nan",
            "jsonl-strict",
            jsonl('{"id": "J-9", "kind": "annual_assessment", "date": "2026-11-20", "subject": "u1", "result": NaN}\n'),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )
    add(
        Case(
            "jsonl_iso_week",
            "jsonl-strict",
            jsonl('{"id": "J-9", "kind": "plan_adopted", "date": "2026-W15-5", "subject": "u1"}\n'),
            2,
            ("records/bad.jsonl", "line 1", "2026-W15-5"),
        )
    )
    add(
        Case(
            "jsonl_ref_missing",
            "refs",
            jsonl('{"id": "J-9", "kind": "topic_supervision", "date": "2026-10-20", "subject": "u1", "ref": "GONE"}\n'),
            2,
            ("records/bad.jsonl", "line 1", "GONE"),
        )
    )
    add(
        Case(
            "jsonl_lone_surrogate",
            "jsonl-strict",
            jsonl('{"id": "J-9", "kind": "plan_adopted", "date": "2026-04-10", "subject": "u1", "note": "\\ud800"}\n'),
            2,
            ("records/bad.jsonl", "line 1"),
        )
    )

    # -- paths: what a file or folder really is
    add(
        Case(
            "records_is_a_file",
            "paths",
            both(lambda r: shutil.rmtree(r / "records"), write("records", "x")),
            2,
            ("records", "file"),
        )
    )
    add(
        Case(
            "records_symlink_loop",
            "paths",
            both(lambda r: shutil.rmtree(r / "records"), symlink("records", "records")),
            2,
            ("records", "loop"),
        )
    )
    add(
        Case(
            "records_symlink_outside",
            "paths",
            both(lambda r: shutil.rmtree(r / "records"), symlink("records", lambda r: str(r.parent / "outside-dir"))),
            2,
            ("records", "outside"),
        )
    )
    add(
        Case(
            "record_symlink_outside",
            "paths",
            symlink("records/leak.csv", lambda r: str(r.parent / "secret.csv")),
            2,
            ("records/leak.csv", "outside"),
        )
    )
    add(Case("record_symlink_dev_zero", "paths", symlink("records/zero.csv", "/dev/zero"), 2, ("records/zero.csv",)))
    add(Case("record_fifo", "paths", fifo("records/pipe.csv"), 2, ("records/pipe.csv", "pipe")))
    add(Case("record_folder_named_csv", "paths", folder("records/folder.csv"), 2, ("records/folder.csv", "folder")))
    add(Case("org_is_folder", "paths", folder("org.yaml"), 2, ("org.yaml", "folder")))
    add(Case("org_fifo", "paths", fifo("org.yaml"), 2, ("org.yaml", "pipe")))
    add(
        Case(
            "org_symlink_outside",
            "paths",
            symlink("org.yaml", lambda r: str(r.parent / "secret.csv")),
            2,
            ("org.yaml", "outside"),
        )
    )
    add(Case("org_symlink_loop", "paths", symlink("org.yaml", "org.yaml"), 2, ("org.yaml", "loop")))
    add(Case("org_dangling_symlink", "paths", symlink("org.yaml", "nowhere.yaml"), 2, ("org.yaml", "nowhere.yaml")))
    add(Case("risks_dev_null", "paths", symlink("risks.yaml", "/dev/null"), 2, ("risks.yaml",)))
    add(Case("config_fifo", "paths", fifo("lianfang.yaml"), 2, ("lianfang.yaml", "pipe")))
    add(Case("waivers_folder", "paths", folder("waivers.yaml"), 2, ("waivers.yaml", "folder"), "waivers"))
    add(Case("waivers_fifo", "paths", fifo("waivers.yaml"), 2, ("waivers.yaml", "pipe"), "waivers"))
    add(
        Case(
            "waivers_symlink_outside",
            "paths",
            symlink("waivers.yaml", lambda r: str(r.parent / "secret.csv")),
            2,
            ("waivers.yaml", "outside"),
            "waivers",
        )
    )

    # -- hostile names: valid input, every output must stay well formed and inert
    assert {key for keys in HOSTILE_SETS for key in keys} == set(HOSTILE), "every hostile text is used"
    for i, keys in enumerate(HOSTILE_SETS):
        texts = [HOSTILE[k] for k in keys]
        add(Case("hostile_" + "+".join(keys), "hostile-names", hostile_names(*texts), None, render=i in RENDERED))
    add(
        Case(
            "hostile_record_ids",
            "hostile-names",
            write("records/base.csv", RECORDS.replace("A-1", "=1+1").replace("A-2", "<b>[/]x</b>")),
            None,
            render=True,
        )
    )
    add(
        Case(
            "hostile_waiver_justification",
            "hostile-names",
            replace("waivers.yaml", "装修停办", '"<script>\\e[31m[link=http://x]=1+1\\n::error::x"'),
            None,
            render=True,
        )
    )
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
