"""Commands of the risk information archive (廉政风险信息库): ``record``, ``archive``,
``history`` and ``diff``, and the ``--save`` step of ``check``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lianfang.checker.escape import plain
from lianfang.checker.labels import COLUMN_LABELS, count_label
from lianfang.checker.options import (
    EXIT_FINDINGS,
    archive_options,
    cannot_write,
    fail,
    fail_input,
    format_option,
    output_option,
)
from lianfang.models.errors import InputError, InputProblem, place_zh
from lianfang.models.records import Record

if TYPE_CHECKING:
    from lianfang.models.archive.db import Archive
    from lianfang.models.archive.store import Pending
    from lianfang.models.sources.base import SourceRow

#: each message as (Chinese, English); WORDS[lang] picks one
_WORDS: dict[str, tuple[Any, Any]] = {
    "added": ("已录入记录 {id}（条目 {seq}），信息库：{label}", "entered record {id} (entry {seq}) in {label}"),
    "imported": (
        "已导入 {added}；{skipped}，未重复录入。信息库：{label}",
        "imported {added}; {skipped} and were not added again ({label})",
    ),
    "voided": ("已作废记录 {id}（条目 {seq}）：{reason}", "voided record {id} (entry {seq}): {reason}"),
    "superseded": ("已更正记录 {id}（条目 {seq}）：{reason}", "superseded record {id} (entry {seq}): {reason}"),
    "exported": ("已导出 {records}到 {path}", "exported {records} to {path}"),
    "none": ("信息库中没有符合条件的记录。", "no record in the archive matches."),
    "no_archive": ("尚无信息库（{label}）。", "no archive yet ({label})."),
    "intact": ("完整 — 共 {entries}，链头哈希 {hash}", "intact — {entries}, head hash {hash}"),
    "changed": (
        "条目 {seq} 已被改动：其内容与其哈希不符",
        "entry {seq} was changed: its content no longer matches its hash",
    ),
    "inserted": (
        "条目 {seq} 是插入的：它不在链中原有的位置上",
        "entry {seq} was inserted: it is not where the chain had it",
    ),
    "removed": ("条目 {seq}–{other} 已被删除", "entries {seq}–{other} were removed"),
    "removed_one": ("条目 {seq} 已被删除", "entry {seq} was removed"),
    "relinked": (
        "条目 {other} 与条目 {seq} 的链接断开：条目 {seq} 被重写（连同哈希），或其后有条目被删除并重新编号",
        "the link from entry {seq} to entry {other} is broken: entry {seq} was rewritten with a new hash, or an entry after it was removed and the rest renumbered",
    ),
    "unknown_head": (
        "此前记下的链头哈希不在链中：信息库在那之后被改写",
        "the head hash noted earlier is not in the chain: the archive was rewritten since",
    ),
    "saved": ("已保存本次检查为第 {run} 次记录（信息库 {label}）", "saved this check as run {run} ({label})"),
    "no_runs": (
        "尚无保存的检查记录；运行 lianfang check --save 保存一次。",
        "no saved check yet; run lianfang check --save to save one.",
    ),
    "run_headers": (
        ["次", "保存时间", "检查日", "规则包版本", "输入摘要", "问题数"],
        ["run", "saved at", "as of", "rule pack", "input digest", "open findings"],
    ),
    "entry_headers": (
        ["条目", "类型", "编号", "类型/日期/对象/期间", "录入人", "时间", "说明"],
        ["entry", "type", "id", "kind/date/subject/period", "who", "at", "reason/source"],
    ),
    "record_headers": (
        ["编号", "类型", "日期", "对象", "期间", "填报人", "结果", "关联", "备注", "条目"],
        ["id", "kind", "date", "subject", "period", "by", "result", "ref", "note", "entry"],
    ),
    "diff_title": ("第 {a} 次（{a_day}）→ 第 {b} 次（{b_day}）", "run {a} ({a_day}) → run {b} ({b_day})"),
    "new": ("新出现的问题", "new findings"),
    "resolved": ("已解决的问题", "resolved findings"),
    "changed_f": ("有变化的问题", "changed findings"),
    "no_change": (
        "两次检查之间没有新出现、已解决或有变化的问题。",
        "nothing new, resolved or changed between the two runs.",
    ),
    "types": (
        {"record": "录入", "supersede": "更正", "void": "作废"},
        {"record": "entered", "supersede": "superseded", "void": "voided"},
    ),
    "now": ("现为", "now"),
}
WORDS: dict[str, dict[str, Any]] = {
    lang: {k: pair[i] for k, pair in _WORDS.items()} for i, lang in enumerate(("zh", "en"))
}


def _plain(value: Any) -> str:
    """A value for the terminal (``checker.escape.plain``): control characters shown as escapes."""
    return plain("" if value is None else str(value))


def _who(who: str | None) -> str:
    from lianfang.models.archive.chain import default_who

    return who.strip() if who and who.strip() else default_who()


def _open(workspace: Path, db: str | None, create: bool) -> Archive | None:
    from lianfang.models.archive.db import open_archive

    try:
        return open_archive(workspace, db, create=create)
    except InputError as error:
        fail_input(error)


def _print_table(headers: list[str], rows: list[list[Any]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    interactive = sys.stdout.isatty()
    console = Console(width=None if interactive else 200, highlight=False, soft_wrap=False)
    table = Table(*headers, box=box.SIMPLE_HEAD, pad_edge=False)
    for row in rows:
        table.add_row(*(Text(_plain(v)) for v in row))
    console.print(table)


# ------------------------------------------------------------------------- validation


def _validate(workspace: Path, archive_label: str, rows: list[SourceRow], command_line: bool = False) -> list[Pending]:
    """Validate ledger rows exactly as rows of a workspace file (the same function), and against
    the workspace: subjects it knows, ids unique among themselves and with its files' records.
    ``command_line``: the values come from options, so messages name no row."""
    from lianfang.checker.run import open_workspace
    from lianfang.checker.stages.workspace import score_problems
    from lianfang.models.archive.store import Pending
    from lianfang.models.workspace import _record_from_row, check_records, read_yaml, resolve_names

    ws, catalogue = open_workspace(workspace)
    kinds = catalogue.evidence_kinds()
    raw: list[InputProblem] = []  # the workspace was just read without a problem
    names = resolve_names(
        read_yaml(workspace / "org.yaml", "org.yaml", raw), read_yaml(workspace / "risks.yaml", "risks.yaml", raw), raw
    )
    problems: list[InputProblem] = []
    in_files = {r.id: r for r in ws.records if r.file != archive_label}
    # a ref may name a record of the workspace, of the archive or of the rows imported with it
    known_ids = {r.id for r in ws.records} | {row.values.get("id", "") for row in rows}
    seen: dict[str, str] = {}
    pending: list[Pending] = []
    for row in rows:
        display, where = row.place.file, "" if command_line else row.place.at()
        found: list[InputProblem] = []
        record = _record_from_row(row, kinds, seen, found)
        if record is not None:
            if record.id in in_files:
                other = in_files[record.id]
                at = other.place.at() if other.place else f"row {other.line}"
                found.append(
                    InputProblem(
                        display,
                        where,
                        f'record id "{record.id}" is already used in {other.file} ({at}); '
                        "the same id in the workspace files and the archive is ambiguous: choose another id",
                        f"记录编号“{record.id}”已在 {other.file}（{place_zh(at)}）中使用；工作区文件和信息库中的同一编号"
                        "含义不明：请换一个编号",
                    )
                )
            else:
                # names become ids as in a file (韩冰 → han-bing): the archive keeps the id
                record = check_records([record], ws.subject_ids(), found, names, known_ids)[0]
                found += score_problems([record], catalogue)  # what the rules ask of a result
        if command_line:
            found = [InputProblem(p.file, "", p.message, zh=p.zh) for p in found]
        problems.extend(found)
        if record is not None and not found:
            pending.append(Pending(record, where, f"{display} {where}".strip()))
    if problems:
        raise InputError(problems)
    return pending


def _option_row(command: str, values: dict[str, str]) -> SourceRow:
    from lianfang.models.records import Place
    from lianfang.models.sources.base import SourceRow

    return SourceRow(Place(command, 0, "options"), values)


RECORD_FIELDS = ("kind", "date", "subject", "period", "by", "result", "ref", "note")


def record_field_options(required: bool) -> Callable[[Any], Any]:
    """--kind, --subject, --date, --period, --by, --result, --ref, --note."""

    def decorate(f: Any) -> Any:
        helps = {
            "kind": "Record kind or its Chinese label (diary_entry or 廉政日记; see `lianfang rules`).",
            "subject": "Whom it concerns: a person, post, department, risk point or the unit (id or name).",
            "date": "The day it happened, YYYY-MM-DD" + (" (default: today)." if required else "."),
            "period": "The period it is for: 2026-11, 2026-Q4, 2026-H2 or 2026 (default: by its date).",
            "by": "Who did it or reported it (id or name).",
            "result": "Its result (e.g. a score, incomplete).",
            "ref": "The record or finding it answers (e.g. a diary_problem's id).",
            "note": "A note.",
        }
        for name in reversed(RECORD_FIELDS):
            f = click.option(
                f"--{name}",
                f"{name}_",
                metavar="DATE" if name == "date" else "TEXT",
                required=required and name in ("kind", "subject"),
                help=helps[name],
            )(f)
        return f

    return decorate


# ------------------------------------------------------------------------------ record


@click.group("record")
def record_group() -> None:
    """Enter records in the risk information archive (廉政风险信息库) as they happen.

    Example: lianfang record add -w examples/dongying --kind diary_entry --subject han-bing --date 2026-11-27
    """


@record_group.command("add")
@archive_options(who=True)
@click.option("--id", "record_id", metavar="ID", help="The record's id (default: a new one, A-…).")
@record_field_options(required=True)
def record_add(
    workspace: Path, db: str | None, record_id: str | None, who: str | None, lang: str, **fields: Any
) -> None:
    """Append one record to the archive, validated exactly as a row of a records file.

    Example: lianfang record add -w examples/dongying --kind diary_entry --subject han-bing --date 2026-11-27 --period 2026-11
    """
    import uuid

    from lianfang.models.archive.store import add_records

    values = {k.rstrip("_"): (v or "").strip() for k, v in fields.items()}
    if not values["date"]:
        values["date"] = date.today().isoformat()
    values["id"] = (record_id or "").strip() or f"A-{uuid.uuid4().hex[:8]}"
    archive = _open(workspace, db, create=True)
    assert archive is not None
    try:
        pending = _validate(workspace, archive.label, [_option_row("record add", values)], command_line=True)
        add_records(archive, pending, _who(who))
        with archive.reading() as conn:
            from lianfang.models.archive.chain import head

            seq, _ = head(conn)
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    click.echo(WORDS[lang]["added"].format(id=_plain(values["id"]), seq=seq, label=archive.label))


@record_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@archive_options(who=True)
def record_import(files: tuple[Path, ...], workspace: Path, db: str | None, who: str | None, lang: str) -> None:
    """Append ledgers (CSV or JSONL, the records columns) in one transaction: all or nothing.

    A row already in the archive with the same content is not added again, so importing the
    same file twice adds nothing; a bad row stops the import, naming the file and row.

    Example: lianfang record import -w examples/dongying 2026-11-diary.csv
    """
    from lianfang.checker.options import echo_notices
    from lianfang.models.archive.store import add_records
    from lianfang.models.errors import Notice
    from lianfang.models.sources import registered_suffixes, source_for

    problems: list[InputProblem] = []
    notices: list[Notice] = []
    rows: list[SourceRow] = []
    for path in files:
        display = str(path)
        source = source_for(path)
        if path.resolve().is_relative_to((workspace / "records").resolve()):
            problems.append(
                InputProblem(
                    display,
                    "",
                    "this ledger is in the workspace's records/ folder, which every check reads already; "
                    "to keep it in the archive instead, move it out of records/ and import it from there",
                    "此台账位于工作区的 records/ 文件夹中，每次检查都会读取它；若要改存入信息库，"
                    "请把它移出 records/ 后再从那里导入",
                )
            )
            continue
        if source is None:
            problems.append(
                InputProblem(
                    display,
                    "",
                    f"not a ledger lianfang reads; save it as one of {', '.join(registered_suffixes())}",
                    f"不是 lianfang 能读取的台账；请另存为以下格式之一：{'、'.join(registered_suffixes())}",
                )
            )
            continue
        rows.extend(source.rows(path, display, problems, notices))
    echo_notices(notices, lang)
    if problems:
        fail_input(InputError(problems))
    archive = _open(workspace, db, create=True)
    assert archive is not None
    try:
        pending = _validate(workspace, archive.label, rows)
        added, skipped = add_records(archive, pending, _who(who), skip_known=True)
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    added_text, skipped_text = count_label("record", added, lang), count_label("already_in", skipped, lang)
    click.echo(WORDS[lang]["imported"].format(added=added_text, skipped=skipped_text, label=archive.label))


@record_group.command("list")
@archive_options()
@click.option("--kind", metavar="KIND", help="Only records of this kind.")
@click.option("--subject", metavar="ID", help="Only records about this subject.")
@click.option("--period", metavar="PERIOD", help="Only records of this period (2026-11, 2026-Q4, 2026-H2, 2026).")
@click.option(
    "--history", "show_history", is_flag=True, help="Every entry: versions, corrections and voids, with who and why."
)
@format_option("table", "json")
def record_list(
    workspace: Path,
    db: str | None,
    kind: str | None,
    subject: str | None,
    period: str | None,
    show_history: bool,
    fmt: str,
    lang: str,
) -> None:
    """List the archive's current records (or, with --history, every entry about them).

    Example: lianfang record list -w examples/dongying --kind diary_entry --period 2026-11
    """
    from lianfang.models.archive.store import current_records, matches, record_entries
    from lianfang.models.calendar import PERIOD_FORMS, Period

    words = WORDS[lang]
    wanted = None
    if period:
        try:
            wanted = Period.parse(period)
        except ValueError:
            fail(
                f'--period "{_plain(period)}" is not valid; expected {PERIOD_FORMS}',
                f"--period“{_plain(period)}”无效；应为 {PERIOD_FORMS}",
            )
    archive = _open(workspace, db, create=False)
    if archive is None:
        if fmt == "json":
            click.echo("[]")
        else:
            click.echo(words["no_archive"].format(label=_plain(_no_archive(workspace, None).problems[0].file)))
        return
    try:
        with archive.reading() as conn:
            if show_history:
                found = [
                    e
                    for e in record_entries(conn, archive.label)
                    if e.record is None or matches(e.record, kind, subject, wanted)
                ]
            else:
                records = [r for r in current_records(conn, archive.label) if matches(r, kind, subject, wanted)]
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    if show_history:
        _print_history(found, fmt, words)
        return
    if fmt == "json":
        click.echo(json.dumps([_record_json(r) for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo(words["none"])
        return
    _print_table(
        words["record_headers"],
        [
            [r.id, r.kind, r.date, r.subject, r.period.label if r.period else "", r.by, r.result, r.ref, r.note, r.line]
            for r in records
        ],
    )


def _record_json(record: Record) -> dict[str, Any]:
    from lianfang.models.archive.store import record_values

    values = record_values(record)
    return {"id": values.pop("record_id"), **values, "entry": record.line}


def _print_history(found: list[Any], fmt: str, words: dict[str, Any]) -> None:
    if fmt == "json":
        out = [
            {
                "entry": e.seq,
                "type": e.type,
                "id": e.record_id,
                "at": e.at,
                "who": e.who,
                "reason": e.reason,
                "source": e.source,
                "record": _record_json(e.record) if e.record else None,
            }
            for e in found
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(words["none"])
        return
    rows = []
    for e in found:
        r = e.record
        what = "" if r is None else f"{r.kind} {r.date} {r.subject} {r.period.label if r.period else ''}".strip()
        rows.append([e.seq, words["types"][e.type], e.record_id, what, e.who, e.at[:19], e.reason or e.source])
    _print_table(words["entry_headers"], rows)


@record_group.command("void")
@click.argument("record_id", metavar="ID")
@click.option("--reason", required=True, help="Why the record is void.")
@archive_options(who=True)
def record_void(record_id: str, reason: str, workspace: Path, db: str | None, who: str | None, lang: str) -> None:
    """Void a record entered by mistake: a new entry names it, says why and who; the check no
    longer counts it, the history keeps it.

    Example: lianfang record void -w examples/dongying A-1f2e3d4c --reason "entered twice"
    """
    from lianfang.models.archive.store import void_record

    if not reason.strip():
        fail("--reason is empty; say why the record is void", "--reason 为空；请说明作废的原因")
    archive = _open(workspace, db, create=False)
    if archive is None:
        fail_input(_no_archive(workspace, db))
    try:
        entry = void_record(archive, record_id, reason.strip(), _who(who))
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    click.echo(WORDS[lang]["voided"].format(id=_plain(record_id), seq=entry["seq"], reason=_plain(reason.strip())))


@record_group.command("supersede")
@click.argument("record_id", metavar="ID")
@click.option("--reason", required=True, help="Why the record is corrected.")
@record_field_options(required=False)
@archive_options(who=True)
def record_supersede(
    record_id: str, reason: str, workspace: Path, db: str | None, who: str | None, lang: str, **fields: Any
) -> None:
    """Correct a record: a new version, naming it, with the reason and who; the check uses the
    new version, the history keeps both. Options not given keep their current value.

    Example: lianfang record supersede -w examples/dongying A-1f2e3d4c --date 2026-11-26 --reason "wrong day"
    """
    from lianfang.models.archive.store import current_for_correction, record_values, supersede_record

    if not reason.strip():
        fail("--reason is empty; say why the record is corrected", "--reason 为空；请说明更正的原因")
    changes = {k.rstrip("_"): v.strip() for k, v in fields.items() if v is not None}
    archive = _open(workspace, db, create=False)
    if archive is None:
        fail_input(_no_archive(workspace, db))

    try:
        current = current_for_correction(archive, record_id)
        assert current.record is not None
        values = {k: str(v) for k, v in record_values(current.record).items()}
        values["id"] = values.pop("record_id")
        values.update(changes)
        pending = _validate(workspace, archive.label, [_option_row("record supersede", values)], command_line=True)
        entry = supersede_record(archive, current, pending[0].record, reason.strip(), _who(who))
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    click.echo(WORDS[lang]["superseded"].format(id=_plain(record_id), seq=entry["seq"], reason=_plain(reason.strip())))


def _no_archive(workspace: Path, db: str | None) -> InputError:
    from lianfang.models.archive.db import label_for, resolve_url

    label = label_for(resolve_url(workspace, db), workspace)
    return InputError(
        [
            InputProblem(
                label,
                "",
                "no archive here yet; enter a record first (lianfang record add)",
                "此处尚无信息库；请先录入一条记录（lianfang record add）",
            )
        ]
    )


# ----------------------------------------------------------------------------- archive


@click.group("archive")
def archive_group() -> None:
    """The risk information archive as a whole: export it, verify its hash chain.

    Example: lianfang archive verify -w examples/dongying
    """


@archive_group.command("export")
@archive_options()
@output_option("FILE.csv or FILE.jsonl.", required=True)
def archive_export(workspace: Path, db: str | None, output: Path, lang: str) -> None:
    """Write the archive's current records as a workspace ledger (CSV or JSONL).

    JSONL is exact; in CSV a value that a spreadsheet would run as a formula (=, +, -, @)
    is kept as text with a leading apostrophe.

    Example: lianfang archive export -w examples/dongying -o archive-records.jsonl
    """
    from lianfang.checker.output import atomic_path, refuse_output
    from lianfang.models.archive.store import current_records, export_text

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "jsonl"):
        fail(
            f'-o "{_plain(output)}": the file must end in .csv or .jsonl',
            f"-o“{_plain(output)}”：文件名须以 .csv 或 .jsonl 结尾",
        )
    refuse_output(output, workspace)  # never over the workspace's own files (records/ included)
    archive = _open(workspace, db, create=False)
    records: list[Record] = []
    if archive is not None:
        try:
            with archive.reading() as conn:
                records = current_records(conn, archive.label)
        except InputError as error:
            fail_input(error)
        finally:
            archive.dispose()
    text = export_text(records, fmt)
    try:
        with atomic_path(output) as temp:
            temp.write_text(("\ufeff" if fmt == "csv" else "") + text, encoding="utf-8", newline="")
    except OSError as error:
        cannot_write(Path(_plain(output)), error)
    click.echo(
        WORDS[lang]["exported"].format(records=count_label("current_record", len(records), lang), path=_plain(output))
    )


@archive_group.command("verify")
@archive_options()
@click.option(
    "--head",
    "expected_head",
    metavar="HASH",
    help="A head hash noted earlier (e.g. in the monthly minutes) that must still be in the chain.",
)
def archive_verify(workspace: Path, db: str | None, expected_head: str | None, lang: str) -> None:
    """Recompute the hash chain. Exit 0 and "intact" with the head hash, or exit 1 naming the
    first entry that was changed, inserted or removed.

    Example: lianfang archive verify -w examples/dongying
    """
    from lianfang.models.archive.verify import verify

    archive = _open(workspace, db, create=False)
    if archive is None:
        fail_input(_no_archive(workspace, db))
    try:
        with archive.reading() as conn:
            verdict = verify(conn, expected_head.strip() if expected_head else None)
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    words = WORDS[lang]
    if verdict.intact:
        click.echo(words["intact"].format(entries=count_label("entry", verdict.entries, lang), hash=verdict.head_hash))
        return
    assert verdict.problem is not None
    problem = "removed_one" if verdict.problem == "removed" and verdict.seq == verdict.other else verdict.problem
    click.echo(f"{archive.label}: " + words[problem].format(seq=verdict.seq, other=verdict.other))
    sys.exit(EXIT_FINDINGS)


# ----------------------------------------------------------------------------- history


@click.command("history")
@archive_options()
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many runs, latest last.")
@format_option("table", "json")
def history_command(workspace: Path, db: str | None, limit: int, fmt: str, lang: str) -> None:
    """List the saved check runs (lianfang check --save).

    Example: lianfang history -w examples/dongying
    """
    from lianfang.models.archive.history import OPEN, runs

    archive = _open(workspace, db, create=False)
    saved = []
    if archive is not None:
        try:
            saved = runs(archive, limit)
        except InputError as error:
            fail_input(error)
        finally:
            archive.dispose()
    if fmt == "json":
        out = [
            {
                "run": r.run_id,
                "saved_at": r.saved_at.isoformat(),
                "as_of": r.as_of.isoformat(),
                "pack_version": r.pack_version,
                "input_digest": r.input_digest,
                "open_findings": sum(f["status"] in OPEN for f in r.findings),
            }
            for r in saved
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not saved:
        click.echo(WORDS[lang]["no_runs"])
        return
    _print_table(
        WORDS[lang]["run_headers"],
        [
            [
                r.run_id,
                r.saved_at.isoformat(timespec="seconds"),
                r.as_of,
                r.pack_version,
                r.input_digest[:12],
                sum(f["status"] in OPEN for f in r.findings),
            ]
            for r in saved
        ],
    )


@click.command("diff")
@click.argument("run_a", type=click.IntRange(min=1), required=False)
@click.argument("run_b", type=click.IntRange(min=1), required=False)
@archive_options()
@format_option("table", "json")
def diff_command(run_a: int | None, run_b: int | None, workspace: Path, db: str | None, fmt: str, lang: str) -> None:
    """Compare two saved runs (default: the last two): findings new, resolved and changed.

    Example: lianfang diff -w examples/dongying 1 2
    """
    from lianfang.models.archive.history import diff_runs, runs

    if (run_a is None) != (run_b is None):
        fail(
            "give two runs (RUN_A RUN_B) or none for the last two; see `lianfang history`",
            "请给出两次检查的编号（RUN_A RUN_B），或都不给（比较最近两次）；见 lianfang history",
        )
    archive = _open(workspace, db, create=False)
    if archive is None:
        fail(WORDS["en"]["no_runs"], WORDS["zh"]["no_runs"])
    try:
        if run_a is None or run_b is None:
            pair = runs(archive, 2)
        else:
            found = {r.run_id: r for r in runs(archive, run_ids=[run_a, run_b])}
            missing = [n for n in (run_a, run_b) if n not in found]
            if missing:
                fail(
                    f"no saved run {missing[0]}; see `lianfang history`",
                    f"没有第 {missing[0]} 次保存的检查；见 lianfang history",
                )
            pair = [found[run_a], found[run_b]]
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    if len(pair) < 2:
        fail(
            "diff needs two saved runs; save another with lianfang check --save",
            "比较需要两次保存的检查；请再用 lianfang check --save 保存一次",
        )
    result = diff_runs(pair[0], pair[1])
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "before": {"run": result.before.run_id, "as_of": result.before.as_of.isoformat()},
                    "after": {"run": result.after.run_id, "as_of": result.after.as_of.isoformat()},
                    "new": result.new,
                    "resolved": [{"before": a, "after": b} for a, b in result.resolved],
                    "changed": [{"before": a, "after": b} for a, b in result.changed],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    _print_diff(result, lang)


def _line(f: dict[str, Any]) -> list[Any]:
    return [
        f["rule"],
        f.get("subject_name") or f["subject"],
        f.get("trigger") or f.get("period") or "",
        f.get("due") or "",
    ]


def _print_diff(result: Any, lang: str) -> None:
    from lianfang.checker.labels import STATUS_LABELS

    words = WORDS[lang]
    labels = STATUS_LABELS[lang]
    click.echo(
        words["diff_title"].format(
            a=result.before.run_id, a_day=result.before.as_of, b=result.after.run_id, b_day=result.after.as_of
        )
    )
    if not (result.new or result.resolved or result.changed):
        click.echo(words["no_change"])
        return
    headers = [COLUMN_LABELS[lang][c] for c in ("rule", "subject", "period", "due", "status")]
    for title, rows in (
        (words["new"], [[*_line(f), labels.get(f["status"], f["status"])] for f in result.new]),
        (
            words["resolved"],
            [
                [
                    *_line(a),
                    labels.get(a["status"], a["status"]) + (f" → {labels.get(b['status'], b['status'])}" if b else ""),
                ]
                for a, b in result.resolved
            ],
        ),
        (
            words["changed_f"],
            [
                [*_line(b), f"{labels.get(a['status'], a['status'])} → {labels.get(b['status'], b['status'])}"]
                for a, b in result.changed
            ],
        ),
    ):
        click.echo(f"\n{title} ({len(rows)})")
        if rows:
            _print_table(headers, rows)


# ------------------------------------------------------------------------ check --save


def save_check(workspace: Path, result: Any, lang: str) -> None:
    """``check --save``: store the run (as-of, rule pack version, input digest, every finding);
    the confirmation goes to stderr so that stdout stays the report."""
    from lianfang.models.archive.chain import default_who
    from lianfang.models.archive.history import input_digest, pack_version, save_run

    archive = _open(workspace, None, create=True)
    assert archive is not None
    try:
        run = save_run(
            archive,
            result.as_of,
            pack_version(result.workspace),
            input_digest(result.workspace),
            [f.to_json() for f in result.findings],
            default_who(),
        )
    except InputError as error:
        fail_input(error)
    finally:
        archive.dispose()
    click.echo(WORDS[lang]["saved"].format(run=run.run_id, label=archive.label), err=True)
