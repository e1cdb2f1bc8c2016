"""Large record files are read as columns (models/sources/csv_columns.py, models/bulk.py): the
check's result and every bad-input message are exactly those of the row-by-row reader."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import tests.test_bad_input as bad_input
from lianfang.checker.cli import main
from lianfang.models import workspace
from lianfang.models.sources import csv_columns
from lianfang.models.sources.base import RecordSource, source_for

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dongying"
HEADER = "id,kind,date,subject,period,by,result,ref,note\n"


def check(
    root: Path, bulk: bool, monkeypatch: pytest.MonkeyPatch, *extra: str, block: int = 1 << 22, shares: bool = False
) -> Result:
    """``lianfang check``, with every CSV file read as columns (bulk), parsed in blocks of
    ``block`` bytes, or none (rows); with ``shares``, checked in shares of the subjects
    (checker/shares.py: each share sorts out its subjects' entries from the columns)."""
    monkeypatch.setattr(workspace, "BULK_MIN_BYTES", 0 if bulk else 1 << 62)
    monkeypatch.setattr(csv_columns, "BLOCK_BYTES", block)
    monkeypatch.setenv("LIANFANG_SHARES_MIN", "0" if shares else str(10**9))
    monkeypatch.setenv("LIANFANG_ENGINE_PROCESSES", "2")  # (two shares on a machine of one CPU too)
    return CliRunner().invoke(main, ["check", str(root), "--as-of", "2026-12-31", "--lang", "en", *extra])


def same_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> Result:
    """Read by rows, as columns in one block, as columns in blocks of 200 bytes (a few rows
    each, as a city's 4 MB blocks: parsed by several threads, joined), and as columns checked
    in shares: the same output."""
    rows = check(root, False, monkeypatch, *extra)
    for block, shares in ((1 << 22, False), (200, False), (1 << 22, True)):
        columns = check(root, True, monkeypatch, *extra, block=block, shares=shares)
        assert (columns.exit_code, columns.stdout, columns.stderr) == (rows.exit_code, rows.stdout, rows.stderr)
    return columns


def test_the_example_gives_the_same_json_read_as_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ex"
    shutil.copytree(EXAMPLE, root)
    result = same_both_ways(root, monkeypatch, "--all", "--format", "json")
    assert result.exit_code == 1 and '"rule": "R201"' in result.stdout
    # the sarif output points at the diary rows read as columns too
    sarif = same_both_ways(root, monkeypatch, "--all", "--format", "sarif")
    assert "diary-2026.csv" in sarif.stdout


def diary(rows: list[str]) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


GOOD = [f"D{i},diary_entry,2026-10-{i + 1:02d},staff-a,2026-10,,complete,," for i in range(6)]


@pytest.mark.parametrize(
    ("body", "exit_code"),
    [
        pytest.param(diary(GOOD), 1, id="clean"),
        pytest.param(diary([*GOOD[:3], "D9,diary_entry,2026-10-09,staff-a,,,incomplete,,"]), 1, id="incomplete"),
        pytest.param(diary([*GOOD, "Q1,diary_entry,2026-10-20,staff-a,2026-Q4,,complete,,"]), 1, id="quarter"),
        pytest.param(diary([*GOOD, "L1,diary_entry,2026-11-02,staff-a,2026-10,,complete,,"]), 1, id="late"),
        pytest.param(diary([*GOOD, "M1,dept_monthly_report,2026-10-31,dept-a,,,,,"]), 1, id="other-kinds"),
        pytest.param(diary([*GOOD, "M2,部室月报告,2026/10/31,dept-a,,,,,"]), 1, id="labels-and-date-forms"),
        pytest.param(diary([*GOOD, 'M3,dept_monthly_report,2026-10-31,dept-a,,,,,"a, b\nc"']), 1, id="quoted-newline"),
        pytest.param(diary([*GOOD, " M4,dept_monthly_report,2026-10-31,dept-a,,,,,"]), 1, id="spaces"),
        pytest.param(diary([*GOOD[:2], "", *GOOD[2:]]), 1, id="blank-line"),
        pytest.param(diary([*GOOD[:2], ",,,,,,,,", *GOOD[2:]]), 1, id="empty-row"),
        pytest.param(diary([*GOOD, "D1,diary_entry,2026-10-09,staff-a,,,,,"]), 2, id="duplicate-id"),
        pytest.param(diary([*GOOD, "X1,diary_entry,2026-10-09,staff-ax,,,,,"]), 2, id="unknown-subject"),
        pytest.param(diary([*GOOD, "X2,diary_entry,2026-10-32,staff-a,,,,,"]), 2, id="bad-date"),
        pytest.param(diary([*GOOD, "X3,diary_entry,2026-10-09,staff-a,2026-13,,,,"]), 2, id="bad-period"),
        pytest.param(diary([*GOOD, "X4,diary_entrie,2026-10-09,staff-a,,,,,"]), 2, id="unknown-kind"),
        pytest.param(diary([*GOOD, "X5,diary_entry,2026-10-09,staff-a,,,,,,extra"]), 2, id="too-many-fields"),
        pytest.param(diary([*GOOD, "X6,diary_entry,2026-10-09"]), 2, id="too-few-fields"),
        pytest.param(diary([*GOOD, "X7,annual_assessment,2026-11-20,u1,,,120,,"]), 2, id="bad-score"),
        pytest.param(diary([*GOOD, "X8,diary_entry,,staff-a,,,,,"]), 2, id="empty-date"),
        pytest.param(diary([*GOOD, "N1,diary_entry,2026-10-09,甲部科员,,,,,"]), 1, id="subject-by-name"),
        pytest.param(diary([*GOOD, "N2,diary_entry,2026-10-09,staff-a,,甲部主任,,,"]), 1, id="by-name"),
        pytest.param(diary([*GOOD, "N3,diary_entry,2026-10-09,staff-a,,,,,备注\u3000"]), 1, id="ideographic-space"),
        # characters the row path refuses (models.sources.values), looked for in the file's bytes
        pytest.param(diary([*GOOD, "C1,diary_entry,2026-10-09,staff-a,,,,,a\x01b"]), 2, id="control"),
        pytest.param(diary([*GOOD, "C2,diary_entry,2026-10-09,staff\t-a,,,,,"]), 2, id="tab-in-one-line-column"),
        pytest.param(diary([*GOOD, "C3,diary_entry,2026-10-09,staff-a,,,,,a\tb"]), 1, id="tab-in-note"),
        pytest.param(diary([*GOOD, "C4,diary_entry,2026-10-09,staff-a,,,,,a\x85b"]), 2, id="c1-control"),
        pytest.param(diary([*GOOD, "C5,diary_entry,2026-10-09,staff-a,,,,,a\u2028b"]), 1, id="line-separator-in-note"),
        pytest.param(diary([*GOOD, "C9,diary_entry,2026-10-09,staff\u2028-a,,,,,"]), 2, id="line-separator"),
        pytest.param(diary([*GOOD, "C6,diary_entry,2026-10-09,staff-a,,,,,a\x7fb"]), 2, id="delete"),
        pytest.param(diary([*GOOD, "C7,diary_entry,2026-10-09,staff-a,,,,,a\rb"]), 2, id="bare-carriage-return"),
        pytest.param(diary([*GOOD, "C8,diary_entry,2026-10-09,staff-a,,,,,备注\u00a0"]), 1, id="no-break-space"),
        pytest.param("id,kind,日期,subject,period\n" + "A1,diary_entry,2026-10-01,staff-a,\n", 1, id="chinese-header"),
        pytest.param("id,kind,date,subject,amount\nA1,diary_entry,2026-10-01,staff-a,3\n", 2, id="bad-header"),
    ],
)
def test_rows_and_columns_read_alike(body: str, exit_code: int, ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws / "records" / "big.csv").write_text(body, encoding="utf-8")
    # an id also used in a file read row by row (JSONL)
    (ws / "records" / "small.jsonl").write_text(
        '{"id": "J1", "kind": "diary_entry", "date": "2026-10-20", "subject": "staff-a"}\n', encoding="utf-8"
    )
    result = same_both_ways(ws, monkeypatch, "--all", "--format", "json")
    assert result.exit_code == exit_code, result.stderr


@pytest.mark.parametrize("as_of", ["2026-10-09", "2026-11-03", "2026-12-31"])
def test_entries_grouped_ordered_and_cut_at_the_as_of_date_alike(
    as_of: str, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Groups of several subjects and months, read out of order, with entries on the same day
    (ordered by id: "D10" before "D9"), late and early ones, a month given by the date only,
    and entries of the same group in a file read row by row: the same findings, evidence and
    counted ids both ways, whatever the as-of date cuts off."""
    rows = []
    for subject in ("staff-b", "head-a", "staff-a", "ldr-main"):
        for month in ("11", "09", "10"):
            for place, (number, day) in enumerate(
                zip((5, 9, 10, 3, 4, 6, 7, 12, 11, 2), (20, 3, 3, 9, 15, 27, 2, 9, 9, 1), strict=True)
            ):
                period = f"2026-{month}" if place % 4 else ""
                rows.append(f"D{number}{subject}{month},diary_entry,2026-{month}-{day:02d},{subject},{period},,,,")
            rows.append(f"L{subject}{month},diary_entry,2026-12-01,{subject},2026-{month},,complete,,")
            rows.append(f"X{subject}{month},diary_entry,2026-{month}-05,{subject},2026-{month},,incomplete,,")
    (ws / "records" / "big.csv").write_text(diary(rows), encoding="utf-8")
    (ws / "records" / "small.jsonl").write_text(
        '{"id": "J1", "kind": "diary_entry", "date": "2026-10-08", "subject": "staff-a"}\n'
        '{"id": "J2", "kind": "diary_entry", "date": "2026-08-30", "subject": "head-a", "period": "2026-09"}\n',
        encoding="utf-8",
    )
    result = same_both_ways(ws, monkeypatch, "--all", "--format", "json", "--as-of", as_of)
    assert result.exit_code == 1 and '"D10staff-a10"' in result.stdout


def test_a_duplicate_id_across_a_column_file_and_a_row_file(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws / "records" / "big.csv").write_text(diary(GOOD), encoding="utf-8")
    (ws / "records" / "small.jsonl").write_text(
        '{"id": "D3", "kind": "diary_entry", "date": "2026-10-20", "subject": "staff-a"}\n', encoding="utf-8"
    )
    result = same_both_ways(ws, monkeypatch)
    assert result.exit_code == 2 and 'duplicate record id "D3"' in result.stderr


def test_gb18030_and_bom_files(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws / "records" / "gb.csv").write_bytes(
        diary([*GOOD[:3], "N1,diary_entry,2026-10-09,staff-a,,,,,备注"]).encode("gb18030")
    )
    (ws / "records" / "bom.csv").write_bytes(b"\xef\xbb\xbf" + diary(GOOD[3:]).encode("utf-8"))
    result = same_both_ways(ws, monkeypatch, "--all", "--format", "json")
    assert result.exit_code in (0, 1)


CASES: list[Callable[[Path], None]] = [
    getattr(bad_input, name)
    for name in dir(bad_input)
    if name.startswith("test_") and "ws" in getattr(bad_input, name).__code__.co_varnames[:1]
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_every_bad_input_case_through_the_columnar_reader(
    case: Callable[[Path], None], ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace, "BULK_MIN_BYTES", 0)
    case(ws)


def test_large_files_are_read_ahead_once_while_the_yaml_loads(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each large file is parsed once, in the loader's background thread (models.sources.prefetch),
    and the check is the row reader's."""
    import dataclasses
    import threading

    from lianfang.models.sources import base, csv_source

    (ws / "records" / "a.csv").write_text(diary(GOOD[:3]), encoding="utf-8")
    (ws / "records" / "b.csv").write_text(diary(GOOD[3:]), encoding="utf-8")
    calls: list[tuple[str, str]] = []
    real = csv_source.CSV_SOURCE.columns
    assert real is not None

    def counted(path: Path, display: str) -> object:
        calls.append((display, threading.current_thread().name))
        return real(path, display)

    monkeypatch.setitem(base._REGISTRY, ".csv", dataclasses.replace(csv_source.CSV_SOURCE, columns=counted))
    rows = check(ws, False, monkeypatch, "--all", "--format", "json")
    result = check(ws, True, monkeypatch, "--all", "--format", "json")
    assert (result.exit_code, result.stdout) == (rows.exit_code, rows.stdout)
    assert result.exit_code == 1
    read = sorted(display for display, _ in calls)
    assert read == sorted({display for display, _ in calls}), "a file was parsed twice"
    assert {"records/a.csv", "records/b.csv"} <= set(read)
    assert all(thread.startswith("lianfang-prefetch") for _, thread in calls)


def test_nothing_but_regular_files_in_the_workspace_is_read_ahead(tmp_path: Path) -> None:
    """A named pipe (reading it would wait forever), a link out of the workspace, a folder and a
    file of no columnar source are left to read_records, which reports them."""
    import os

    from lianfang.models.sources.prefetch import Prefetch

    root = tmp_path / "ws"
    (root / "records" / "folder.csv").mkdir(parents=True)
    os.mkfifo(root / "records" / "pipe.csv")
    (tmp_path / "outside.csv").write_text(diary(GOOD), encoding="utf-8")
    (root / "records" / "link.csv").symlink_to(tmp_path / "outside.csv")
    (root / "records" / "book.xlsx").write_bytes(b"PK")
    (root / "records" / "good.csv").write_text(diary(GOOD), encoding="utf-8")
    names = ["folder.csv", "pipe.csv", "link.csv", "book.xlsx", "good.csv"]
    paths = [(root / "records" / name, f"records/{name}") for name in names]
    with Prefetch(paths, root, min_bytes=0) as ahead:
        assert ahead.reading == [root / "records" / "good.csv"]
    with Prefetch(paths, root) as ahead:  # the real threshold: nothing this small
        assert ahead.reading == []


def test_an_error_reading_ahead_is_raised_where_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lianfang.models.sources import prefetch
    from lianfang.models.sources.base import RecordSource
    from lianfang.models.sources.prefetch import Prefetch

    path = tmp_path / "records" / "a.csv"
    path.parent.mkdir()
    path.write_text(diary(GOOD), encoding="utf-8")

    def refuse(path: Path, display: str) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    source = RecordSource("csv", (".csv",), lambda *a: iter(()), refuse)
    monkeypatch.setattr(prefetch, "source_for", lambda _path: source)
    with Prefetch([(path, "records/a.csv")], tmp_path, min_bytes=0) as ahead:
        assert ahead.reading == [path]
        with pytest.raises(PermissionError, match="Permission denied"):
            ahead.columns(source, path, "records/a.csv")


def test_what_is_read_ahead_is_bounded_and_each_file_read_once(tmp_path: Path) -> None:
    """Past the byte budget the next file is read only once one is taken (a province's ledgers
    are not all held at once); a file asked for before its turn is read then, and not again."""
    from lianfang.models.sources.prefetch import Prefetch

    (tmp_path / "records").mkdir()
    paths = []
    for name in "abcd":
        path = tmp_path / "records" / f"{name}.csv"
        path.write_text(diary(GOOD), encoding="utf-8")
        paths.append((path, f"records/{name}.csv"))
    size = paths[0][0].stat().st_size
    source = source_for_csv()
    with Prefetch(paths, tmp_path, min_bytes=0, max_ahead_bytes=2 * size) as ahead:
        assert ahead.reading == [paths[0][0], paths[1][0]]
        first = ahead.columns(source, *paths[0])
        assert first is not None and first.rows == len(GOOD)
        assert ahead.reading == [paths[1][0], paths[2][0]]
        # d before its turn: read now, and then not read ahead
        assert ahead.columns(source, *paths[3]) is not None
        assert paths[3][0] not in ahead.reading
        assert ahead.columns(source, *paths[1]) is not None
        assert ahead.columns(source, *paths[2]) is not None
        assert ahead.reading == []
    with Prefetch(paths, tmp_path, min_bytes=0, max_ahead_bytes=1) as ahead:
        assert ahead.reading == [paths[0][0]]  # always one


def source_for_csv() -> RecordSource:
    source = source_for(Path("x.csv"))
    assert source is not None and source.columns is not None
    return source
