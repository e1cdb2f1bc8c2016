"""The risk information archive: the same suite on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lianfang.models.archive.db import resolve_url
from lianfang.models.archive.history import recent_runs
from tests.cli_helpers import run
from tests.postgres_server import new_database, running_server, server_bin

HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    bindir = server_bin()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binary (initdb) on this machine: apt-get install postgresql (scripts/setup.sh)"
        )
    with running_server(bindir) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs once per engine: SQLite in the workspace (the default, no --db), then a
    fresh database on the throwaway PostgreSQL server through LIANFANG_DB."""
    monkeypatch.delenv("LIANFANG_DB", raising=False)
    monkeypatch.setenv("LIANFANG_USER", "tester")
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        monkeypatch.setenv("LIANFANG_DB", new_database(server))
    return str(request.param)


def sql(ws: Path, *statements: str) -> None:
    """Plain SQL on the archive, as someone with write access to the database could run it."""
    engine = create_engine(resolve_url(ws))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def add(ws: Path, *args: str, code: int = 0) -> str:
    return run(["record", "add", "-w", ws, *args], code).output


def listed(ws: Path, *args: str) -> list[dict[str, str]]:
    return json.loads(run(["record", "list", "-w", ws, "--format", "json", *args], 0).stdout)  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------- records


def test_add_list_filters_and_no_archive_until_written(ws: Path, engine_name: str) -> None:
    assert listed(ws) == []
    if engine_name == "sqlite":
        assert not (ws / ".lianfang").exists(), "reading must not create an archive"
    out = add(ws, "--id", "d1", "--kind", "diary_entry", "--subject", "staff-a", "--date", "2026-11-02")
    assert "已录入记录 d1" in out
    add(ws, "--id", "d2", "--kind", "diary_entry", "--subject", "staff-b", "--date", "2026-10-30")
    add(
        ws,
        "--id",
        "m1",
        "--kind",
        "dept_monthly_report",
        "--subject",
        "dept-a",
        "--date",
        "2026-12-02",
        "--period",
        "2026-11",
    )
    add(ws, "--kind", "plan_adopted", "--subject", "u1", "--date", "2026-04-10")  # an id is made up
    assert len(listed(ws)) == 4
    assert [r["id"] for r in listed(ws, "--kind", "diary_entry")] == ["d1", "d2"]
    assert [r["id"] for r in listed(ws, "--subject", "staff-b")] == ["d2"]
    # a record's own period counts over its date (m1 is for November, entered in December)
    assert [r["id"] for r in listed(ws, "--period", "2026-11")] == ["d1", "m1"]
    assert [r["id"] for r in listed(ws, "--period", "2026-Q4", "--kind", "diary_entry")] == ["d1", "d2"]
    # Chinese kind labels and names, as in a ledger: the archive keeps the ids
    add(ws, "--id", "n1", "--kind", "廉政日记", "--subject", "甲部科员", "--by", "甲部科员", "--date", "2026/11/5")
    assert {k: listed(ws, "--subject", "staff-a")[-1][k] for k in ("id", "kind", "subject", "by", "date")} == {
        "id": "n1",
        "kind": "diary_entry",
        "subject": "staff-a",
        "by": "staff-a",
        "date": "2026-11-05",
    }
    generated = listed(ws, "--kind", "plan_adopted")[0]
    assert generated["id"].startswith("A-") and generated["subject"] == "u1"
    table = run(["record", "list", "-w", ws, "--kind", "diary_entry"], 0).stdout
    assert "d1" in table and "staff-a" in table and "m1" not in table


def test_record_add_validates_exactly_as_a_file_row(ws: Path, engine_name: str) -> None:
    # the same bad row, once in a records file and once on the command line: the same message
    bad = {"kind": "diary_entr", "date": "2026-11-31", "subject": "nobody"}
    for column, value in bad.items():
        row = {"kind": "diary_entry", "date": "2026-11-02", "subject": "staff-a", column: value}
        (ws / "records" / "r.csv").write_text(HEADER + f"x1,{row['kind']},{row['date']},{row['subject']},,,,,\n")
        from_file = run(["check", ws, "--as-of", "2026-11-30", "--lang", "en"], 2).stderr.strip()
        (ws / "records" / "r.csv").unlink()
        entered = add(
            ws,
            "--id",
            "x1",
            "--kind",
            row["kind"],
            "--date",
            row["date"],
            "--subject",
            row["subject"],
            "--lang",
            "en",
            code=2,
        )
        assert from_file.startswith("lianfang: error: records/r.csv: row 2: ")
        assert entered.strip() == from_file.replace("records/r.csv: row 2: ", "record add: "), column
    assert listed(ws) == []


def test_ids_are_unique_across_files_and_archive(ws: Path, engine_name: str) -> None:
    (ws / "records" / "r.csv").write_text(HEADER + "f1,diary_entry,2026-11-02,staff-a,,,,,\n")
    # Chinese by default: the problem the command line re-words (no row) keeps its Chinese
    err = add(ws, "--id", "f1", "--kind", "diary_entry", "--subject", "staff-a", "--date", "2026-11-03", code=2)
    assert "lianfang: 错误：record add: 记录编号“f1”已在 records/r.csv（第 2 行）中使用" in err
    err = add(
        ws,
        "--id",
        "f1",
        "--kind",
        "diary_entry",
        "--subject",
        "staff-a",
        "--date",
        "2026-11-03",
        "--lang",
        "en",
        code=2,
    )
    assert 'record add: record id "f1" is already used in records/r.csv (row 2)' in err
    add(ws, "--id", "a1", "--kind", "diary_entry", "--subject", "staff-a", "--date", "2026-11-03")
    err = add(ws, "--id", "a1", "--kind", "diary_entry", "--subject", "staff-b", "--date", "2026-11-03", code=2)
    assert (
        "记录编号“a1”已在信息库中" in err
        and "且内容不同；请换一个编号，或用 `lianfang record supersede a1` 更正该记录" in err
    )
    assert "already in the archive" not in err
    err = add(
        ws,
        "--id",
        "a1",
        "--kind",
        "diary_entry",
        "--subject",
        "staff-b",
        "--date",
        "2026-11-03",
        "--lang",
        "en",
        code=2,
    )
    assert 'record id "a1" is already in the archive' in err and "lianfang record supersede a1" in err


def test_void_and_supersede_keep_history_and_the_check_uses_the_current_version(ws: Path, engine_name: str) -> None:
    add(ws, "--id", "p1", "--kind", "plan_adopted", "--subject", "u1", "--date", "2026-05-10")
    add(ws, "--id", "p2", "--kind", "mobilization_meeting", "--subject", "u1", "--date", "2026-04-20")

    def status(rule: str) -> str:
        report = json.loads(run(["check", ws, "--as-of", "2026-11-30", "--format", "json", "--all"], 1).stdout)
        return next(f["status"] for f in report["findings"] if f["rule"] == rule)  # type: ignore[no-any-return]

    assert status("S101") == "late"  # plan adopted after 04-16
    out = run(["record", "supersede", "p1", "-w", ws, "--date", "2026-04-15", "--reason", "会议纪要日期为4月15日"], 0)
    assert "已更正记录 p1" in out.stdout
    assert status("S101") == "satisfied"
    run(["record", "void", "p2", "-w", ws, "--reason", "重复录入", "--who", "张玉刚"], 0)
    assert status("S104") == "missed"
    assert [r["id"] for r in listed(ws)] == ["p1"]
    assert listed(ws)[0]["date"] == "2026-04-15"
    history = listed(ws, "--history")
    assert [(h["id"], h["type"]) for h in history] == [
        ("p1", "record"),
        ("p2", "record"),
        ("p1", "supersede"),
        ("p2", "void"),
    ]
    assert history[0]["record"]["date"] == "2026-05-10" and history[2]["record"]["date"] == "2026-04-15"
    assert history[3]["who"] == "张玉刚" and history[3]["reason"] == "重复录入"
    assert history[2]["who"] == "tester" and history[2]["reason"] == "会议纪要日期为4月15日"
    # a voided record cannot be corrected again, a record only in the files not at all
    err = run(["record", "void", "p2", "-w", ws, "--reason", "again"], 2).stderr
    assert '记录 "p2": 无法更正：它已在条目 4 作废（' in err and "张玉刚：重复录入）" in err
    err = run(["record", "void", "p2", "-w", ws, "--reason", "again", "--lang", "en"], 2).stderr
    assert 'record "p2": cannot be corrected: it was voided at entry 4' in err
    err = run(["record", "supersede", "nope", "-w", ws, "--date", "2026-04-15", "--reason", "x"], 2).stderr
    assert "无法更正：信息库中没有此编号的记录（工作区文件中的记录请在其所在文件中更正）" in err
    err = run(["record", "supersede", "nope", "-w", ws, "--date", "2026-04-15", "--reason", "x", "--lang", "en"], 2)
    assert "the archive holds no record with this id" in err.stderr
    # a correction is validated like the record itself, and its problem keeps its Chinese
    err = run(["record", "supersede", "p1", "-w", ws, "--date", "2026-04-31", "--reason", "x"], 2).stderr
    assert "日期“2026-04-31”不是真实的日期" in err
    err = run(["record", "supersede", "p1", "-w", ws, "--date", "2026-04-31", "--reason", "x", "--lang", "en"], 2)
    assert 'date "2026-04-31" is not a real date' in err.stderr
    # the same content again is no correction
    err = run(["record", "supersede", "p1", "-w", ws, "--date", "2026-04-15", "--reason", "x"], 2).stderr
    assert '记录 "p1": 新版本与当前版本相同' in err
    err = run(["record", "supersede", "p1", "-w", ws, "--date", "2026-04-15", "--reason", "x", "--lang", "en"], 2)
    assert 'record "p1": the new version equals the current one' in err.stderr
    run(["archive", "verify", "-w", ws], 0)


# ------------------------------------------------------------------------------ import


def test_import_is_atomic_names_file_and_row_and_adds_nothing_twice(ws: Path, engine_name: str, tmp_path: Path) -> None:
    good = tmp_path / "diary.csv"
    good.write_text(HEADER + "".join(f"d{i},diary_entry,2026-11-{i:02d},staff-a,,staff-a,,,\n" for i in range(1, 6)))
    bad = tmp_path / "bad.jsonl"
    rows = [{"id": "b1", "kind": "diary_entry", "date": "2026-11-03", "subject": "staff-b"}] * 1
    rows.append({"id": "b2", "kind": "diary_entry", "date": "2026-11-31", "subject": "staff-b"})
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows))
    err = run(["record", "import", "-w", ws, good, bad, "--lang", "en"], 2).stderr
    assert f'{bad}: line 2: date "2026-11-31" is not a real date' in err
    assert listed(ws) == [], "one bad row: nothing added"

    out = run(["record", "import", "-w", ws, good], 0).stdout
    assert "已导入 5 条记录；0 条已在信息库中" in out
    out = run(["record", "import", "-w", ws, good, "--lang", "en"], 0).stdout
    assert "imported 0 records; 5 were already in the archive" in out
    assert len(listed(ws)) == 5

    # the same id with other content: refused, naming file and row, and the rest not added
    changed = tmp_path / "changed.csv"
    changed.write_text(HEADER + "n1,diary_entry,2026-11-20,staff-a,,,,,\nd3,diary_entry,2026-11-21,staff-a,,,,,\n")
    err = run(["record", "import", "-w", ws, changed, "--lang", "en"], 2).stderr
    assert f'{changed}: row 3: record id "d3" is already in the archive' in err
    assert len(listed(ws)) == 5


def test_export_round_trip_gives_the_same_check(ws: Path, engine_name: str, tmp_path: Path) -> None:
    add(
        ws, "--id", "p1", "--kind", "plan_adopted", "--subject", "u1", "--date", "2026-04-10", "--note", "=HYPERLINK(1)"
    )
    add(
        ws, "--id", "d1", "--kind", "diary_entry", "--subject", "staff-a", "--date", "2026-11-02", "--period", "2026-11"
    )
    run(["archive", "export", "-w", ws, "-o", tmp_path / "out.jsonl"], 0)
    run(["archive", "export", "-w", ws, "-o", tmp_path / "out.csv"], 0)
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert lines[0] == {
        "id": "p1",
        "kind": "plan_adopted",
        "date": "2026-04-10",
        "subject": "u1",
        "period": "",
        "by": "",
        "result": "",
        "ref": "",
        "note": "=HYPERLINK(1)",
    }
    import csv

    cells = list(csv.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert cells[0]["note"] == "'=HYPERLINK(1)" and cells[1]["period"] == "2026-11"
    run(["archive", "export", "-w", ws, "-o", tmp_path / "out.txt"], 2)


# ------------------------------------------------------------------------------ verify


def _three_entries(ws: Path) -> None:
    for i in (1, 2, 3, 4):
        add(ws, "--id", f"d{i}", "--kind", "diary_entry", "--subject", "staff-a", "--date", f"2026-11-0{i}")
    out = run(["archive", "verify", "-w", ws], 0).stdout
    assert out.startswith("完整 — 共 4 个条目，链头哈希 ")


def test_verify_catches_an_entry_edited_in_place(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    sql(ws, "UPDATE entries SET date = '2026-11-30' WHERE seq = 2")
    out = run(["archive", "verify", "-w", ws], 1).stdout
    assert "条目 2 已被改动" in out


def test_verify_catches_an_entry_deleted(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    sql(ws, "DELETE FROM entries WHERE seq = 3")
    out = run(["archive", "verify", "-w", ws, "--lang", "en"], 1).stdout
    assert "entry 3 was removed" in out
    sql(ws, "DELETE FROM entries WHERE seq = 4")  # and the last: the end is short of the recorded head
    assert "entries 3–4 were removed" in run(["archive", "verify", "-w", ws, "--lang", "en"], 1).stdout


def test_verify_catches_an_entry_deleted_at_the_end(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    sql(ws, "DELETE FROM entries WHERE seq = 4")
    assert "条目 4 已被删除" in run(["archive", "verify", "-w", ws], 1).stdout


def test_verify_catches_an_entry_inserted(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    # a copy of entry 2 slipped in after it, the later entries renumbered
    sql(
        ws,
        "UPDATE entries SET seq = seq + 100 WHERE seq > 2",
        "UPDATE entries SET seq = seq - 99 WHERE seq > 100",
        "INSERT INTO entries (seq, type, at, who, source, record_id, kind, date, subject, period, by, result, ref, note,"
        " prev_hash, hash) SELECT 3, type, at, who, source, 'forged', kind, '2026-11-05', subject, period, by, result,"
        " ref, note, hash, hash FROM entries WHERE seq = 2",
    )
    assert "entry 3 was inserted" in run(["archive", "verify", "-w", ws, "--lang", "en"], 1).stdout


def test_verify_catches_an_entry_appended_outside_lianfang(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    sql(
        ws,
        "INSERT INTO entries (seq, type, at, who, source, record_id, kind, date, subject, period, by, result, ref, note,"
        " prev_hash, hash) SELECT 5, type, at, who, source, 'forged', kind, date, subject, period, by, result, ref,"
        " note, hash, hash FROM entries WHERE seq = 4",
    )
    assert "条目 5 是插入的" in run(["archive", "verify", "-w", ws], 1).stdout


def test_verify_head_noted_in_the_minutes(ws: Path, engine_name: str) -> None:
    _three_entries(ws)
    head = run(["archive", "verify", "-w", ws], 0).stdout.split()[-1]
    add(ws, "--id", "d9", "--kind", "diary_entry", "--subject", "staff-a", "--date", "2026-11-09")
    run(["archive", "verify", "-w", ws, "--head", head], 0)
    run(["archive", "verify", "-w", ws, "--head", "ab" * 32], 1)


def test_verify_without_an_archive_is_bad_input(ws: Path, engine_name: str) -> None:
    assert "此处尚无信息库" in run(["archive", "verify", "-w", ws], 2).stderr
    err = run(["archive", "verify", "-w", ws, "--lang", "en"], 2).stderr
    assert "no archive here yet" in err


# ------------------------------------------------------------------------- concurrency

WORKER = textwrap.dedent(
    """
    import sys
    from datetime import date, timedelta
    from pathlib import Path
    from lianfang.models.archive.db import open_archive
    from lianfang.models.archive.store import Pending, add_records
    from lianfang.models.records import Record

    ws, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    archive = open_archive(ws)
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for i in range(count):
        record = Record(id=f"{name}-{i}", kind="diary_entry", date=date(2026, 11, 1) + timedelta(i % 30), subject="staff-a")
        add_records(archive, [Pending(record, "", name)], name)  # one transaction per entry
    archive.dispose()
    """
)


def test_two_processes_appending_at_once_lose_nothing(ws: Path, engine_name: str) -> None:
    run(["record", "add", "-w", ws, "--id", "first", "--kind", "diary_entry", "--subject", "staff-a"], 0)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(ws), name, "1000"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("a", "b")
    ]
    for w in workers:
        assert w.stdout is not None and w.stdout.readline().strip() == "ready"
    for w in workers:
        assert w.stdin is not None
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in workers:
        assert w.wait(timeout=120) == 0
        assert w.stdin is not None and w.stdout is not None
        w.stdin.close()
        w.stdout.close()
    records = listed(ws)
    assert len(records) == 2001
    assert {r["id"] for r in records} == {"first"} | {f"{n}-{i}" for n in "ab" for i in range(1000)}
    # interleaved, not one after the other (else the test proves nothing about the lock)
    order = [r["id"][0] for r in records[1:]]
    assert sum(1 for x, y in itertools.pairwise(order) if x != y) > 1
    assert "共 2001 个条目" in run(["archive", "verify", "-w", ws], 0).stdout


# ------------------------------------------------------------------- check and history


def test_save_then_diff_shows_added_records_as_resolved(ws: Path, engine_name: str) -> None:
    assert recent_runs(ws) == []
    run(["check", ws, "--as-of", "2026-11-30", "--save"], 1)
    add(ws, "--kind", "plan_adopted", "--subject", "u1", "--date", "2026-04-10")
    add(ws, "--kind", "mobilization_meeting", "--subject", "u1", "--date", "2026-04-28")
    result = run(["check", ws, "--as-of", "2026-11-30", "--save", "--format", "json"], 1)
    json.loads(result.stdout)  # the confirmation is not in the report
    assert "已保存本次检查为第 2 次记录" in result.stderr

    diff = json.loads(run(["diff", "-w", ws, "--format", "json"], 0).stdout)
    assert diff["before"]["run"] == 1 and diff["after"]["run"] == 2
    assert sorted(
        (a["rule"], a["status"], b["status"]) for a, b in ((r["before"], r["after"]) for r in diff["resolved"])
    ) == [
        ("S101", "missed", "satisfied"),
        ("S104", "missed", "satisfied"),
    ]
    assert diff["new"] == [] and diff["changed"] == []
    table = run(["diff", "-w", ws, "1", "2"], 0).stdout
    assert "已解决的问题 (2)" in table and "S101" in table and "未完成 → 已完成" in table
    assert "新出现的问题 (0)" in table

    runs = recent_runs(ws)
    assert [r.run_id for r in runs] == [1, 2]
    assert runs[0].as_of.isoformat() == "2026-11-30" and runs[0].input_digest != runs[1].input_digest
    assert runs[0].pack_version.startswith("lianfang ") and "pack shipped sha256:" in runs[0].pack_version
    s101 = [f for f in runs[0].findings if f["rule"] == "S101"]
    assert s101 and s101[0]["status"] == "missed" and set(s101[0]) >= {"rule", "status", "severity", "subject", "due"}
    assert [r.run_id for r in recent_runs(ws, limit=1)] == [2]
    history = run(["history", "-w", ws], 0).stdout
    assert "2026-11-30" in history and "pack shipped" in history
    run(["diff", "-w", ws, "1", "7"], 2)
    run(["diff", "-w", ws, "1"], 2)
    run(["archive", "verify", "-w", ws], 0)


def test_recent_runs_never_creates_an_archive(ws: Path) -> None:
    assert recent_runs(ws) == []
    assert not (ws / ".lianfang").exists()
    assert "尚无保存的检查记录" in run(["history", "-w", ws], 0).stdout
    run(["diff", "-w", ws], 2)


# ------------------------------------------------------------------------------ errors


def test_bad_database_urls_are_bad_input(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = run(["record", "list", "-w", ws, "--db", "mysql://x@y/z"], 2).stderr
    assert "lianfang: 错误：--db / LIANFANG_DB: “mysql://x@y/z”：不支持的数据库“mysql”；" in err
    assert "请使用 postgresql://USER:PASSWORD@HOST:PORT/DATABASE、sqlite:///PATH" in err
    err = run(["record", "list", "-w", ws, "--db", "mysql://x@y/z", "--lang", "en"], 2).stderr
    assert 'unsupported database "mysql"' in err and "postgresql://USER:PASSWORD@HOST:PORT/DATABASE" in err
    err = run(["record", "list", "-w", ws, "--db", "archive.db"], 2).stderr
    assert "“archive.db”：不是数据库地址（URL）；请使用" in err
    monkeypatch.setenv("LIANFANG_DB", "postgresql://someone:secret@127.0.0.1:1/nowhere")
    err = run(["record", "list", "-w", ws], 2).stderr
    assert "无法使用信息库的数据库：" in err and "请检查 --db / LIANFANG_DB、数据库服务器是否在运行" in err
    assert "secret" not in err and "Traceback" not in err
    err = run(["record", "list", "-w", ws, "--lang", "en"], 2).stderr
    assert "cannot use the archive database" in err and "secret" not in err
    assert "Traceback" not in err


def test_an_archive_that_cannot_be_created_is_bad_input_in_chinese(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder of the SQLite archive cannot be made (a file stands in its way): exit 2, in Chinese by default."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("LIANFANG_DB", f"sqlite:///{blocker}/sub/archive.db")
    args = ["record", "add", "-w", ws, "--kind", "plan_adopted", "--subject", "u1", "--date", "2026-04-10"]
    err = run(args, 2).stderr
    assert f"lianfang: 错误：{blocker}/sub/archive.db: 无法创建信息库：" in err, err
    assert "cannot create" not in err and "Traceback" not in err
    err = run([*args, "--lang", "en"], 2).stderr
    assert f"{blocker}/sub/archive.db: cannot create the archive: " in err, err


def test_a_check_over_the_archive_equals_the_check_over_the_files(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    example = Path(__file__).resolve().parent.parent / "examples" / "dongying"
    files, archived = tmp_path / "files", tmp_path / "archived"
    shutil.copytree(example, files)
    shutil.copytree(example, archived)
    ledgers = sorted((archived / "records").iterdir())
    assert len(ledgers) >= 2
    err = run(["record", "import", "-w", archived, *ledgers, "--lang", "en"], 2).stderr
    assert "move it out of records/ and import it from there" in err
    moved = tmp_path / "moved"
    shutil.move(archived / "records", moved)
    (archived / "records").mkdir()
    run(["record", "import", "-w", archived, *sorted(moved.iterdir())], 0)
    in_archive = json.loads(run(["check", archived, "--as-of", "2026-11-30", "--format", "json", "--all"], 1).stdout)
    db = os.environ.pop("LIANFANG_DB", None)  # the files' twin has no archive
    in_files = json.loads(run(["check", files, "--as-of", "2026-11-30", "--format", "json", "--all"], 1).stdout)
    if db:
        monkeypatch.setenv("LIANFANG_DB", db)
    assert in_archive["findings"] == in_files["findings"]
    assert in_archive["summary"] == in_files["summary"]
    assert any(f["evidence"] for f in in_archive["findings"])

    # one id both in a file and in the archive: bad input naming both places
    shutil.copy(example / "records" / ledgers[0].name, archived / "records" / ledgers[0].name)
    err = run(["check", archived, "--as-of", "2026-11-30", "--lang", "en"], 2).stderr
    first = err.splitlines()[0]
    assert "duplicate record id" in first and f"records/{ledgers[0].name}" in first and "entry " in first
