"""``lianfang forms export|import`` and ``lianfang records template``."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from lianfang.checker.labels import count_label
from lianfang.checker.options import (
    EXIT_OK,
    cannot_write,
    echo_notices,
    fail,
    fail_input,
    lang_option,
    output_option,
    say,
    workspace_argument,
    workspace_option,
)
from lianfang.models.errors import InputError

DEFAULT_BOOK = "廉政风险识别防控一览表.xlsx"


@click.group("forms")
def forms_group() -> None:
    """The plan's three forms (廉政风险识别防控一览表, 附件3–5) as Excel/WPS workbooks, out and back in.

    Example: lianfang forms export examples/dongying -o 一览表.xlsx
    """


@forms_group.command("export")
@workspace_argument
@output_option(
    "The workbook to write (.xlsx), or a folder for one workbook per department.", default=DEFAULT_BOOK, folder=True
)
@click.option(
    "--per-department",
    is_flag=True,
    help="One workbook per department (its form and its posts' forms) and one for the unit and its leaders.",
)
@lang_option()
def export_command(workspace: Path, output: Path, per_department: bool, lang: str) -> None:
    """Write the three forms, pre-filled from org.yaml and risks.yaml: one sheet per post,
    department, leader and the unit, with drop-down lists, frozen headers and A4 landscape print
    set-up. Fill them in Excel or WPS, then bring them back with `lianfang forms import`.

    Example: lianfang forms export examples/dongying -o 一览表.xlsx
    """
    from lianfang.checker.forms.export import save, workbooks
    from lianfang.checker.output import refuse_output
    from lianfang.checker.run import open_workspace

    suffix = output.suffix.lower()
    to_folder = per_department or output.is_dir() or suffix == ""
    if to_folder and suffix == ".xlsx":
        fail(
            f"{output}: --per-department writes several workbooks; give a folder with -o",
            f"{output}：--per-department 会写出多个工作簿；请用 -o 指定一个文件夹",
        )
    if not to_folder and suffix != ".xlsx":
        fail(
            f"{output}: the workbook's name must end in .xlsx (or give a folder for one workbook per department)",
            f"{output}：工作簿的文件名须以 .xlsx 结尾（或指定一个文件夹，每个部室一个工作簿）",
        )
    try:
        ws = open_workspace(workspace)[0]
    except InputError as error:
        fail_input(error)
    where = "" if workspace == Path(".") else f" --workspace {shlex.quote(str(workspace))}"
    if to_folder:
        command = f"lianfang forms import {shlex.quote(str(output))}/*.xlsx{where} --dry-run"
    else:
        command = f"lianfang forms import {shlex.quote(str(output))}{where} --dry-run"
    books = workbooks(ws, to_folder, command)
    written = []
    for name, book in books:
        path = output / name if to_folder else output
        refuse_output(path, workspace)  # never over the workspace's own files
        try:
            save(book, path)
        except OSError as problem:
            cannot_write(path, problem)
        written.append(path)
    sheets = sum(len(book.sheetnames) - 2 for _, book in books)
    for path in written:
        click.echo(str(path))
    click.echo(
        say(
            f"wrote {count_label('workbook', len(written), 'en')} with {count_label('form', sheets, 'en')}; "
            f"fill them in, then import them with:\n  {command}",
            f"已写出 {len(written)} 个工作簿，共 {sheets} 张一览表；填好后用以下命令导入：\n  {command}",
        ),
        err=True,
    )


@forms_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@workspace_option(" whose risks.yaml the forms update (default: the current folder).")
@click.option("--dry-run", is_flag=True, help="Show what would change in risks.yaml; write nothing.")
@lang_option()
def import_command(files: tuple[Path, ...], workspace: Path, dry_run: bool, lang: str) -> None:
    """Read filled forms back (several workbooks at once) and update risks.yaml.

    Every cell is checked first; a bad one is named by workbook, sheet and cell (e.g.
    岗位-采购岗!F7) and nothing is written (exit 2). Otherwise the changes are listed (risk
    points and gradings added, changed, removed) and, unless --dry-run, risks.yaml is rewritten
    in one step, keeping its comments and order, after a backup beside it.

    Example: lianfang forms import 一览表.xlsx 采购岗.xlsx --workspace examples/dongying --dry-run
    """
    from lianfang.checker.forms.importer import describe, plan_import
    from lianfang.checker.forms.yaml_edit import write_atomically
    from lianfang.checker.run import open_workspace

    en = lang == "en"
    try:
        ws = open_workspace(workspace)[0]
        plan = plan_import(ws, list(files), lang)
    except InputError as error:
        fail_input(error)
    echo_notices(plan.notices, lang)
    if not plan.changes or plan.new_text is None:
        click.echo(
            "no changes: risks.yaml already says what the forms say" if en else "没有变化：risks.yaml 与一览表一致"
        )
        sys.exit(EXIT_OK)
    click.echo(
        f"risks.yaml: {count_label('change', len(plan.changes), 'en')}"
        if en
        else f"risks.yaml 的变化（共 {len(plan.changes)} 处）："
    )
    for line in describe(plan.changes, lang):
        click.echo(line)
    if dry_run:
        click.echo("--dry-run: nothing written" if en else "（--dry-run：未写入任何文件）")
        return
    backup = write_atomically(ws.root / "risks.yaml", plan.new_text)
    click.echo(
        f"risks.yaml written (backup: {backup.name})" if en else f"已写入 risks.yaml（原文件备份为 {backup.name}）"
    )


@click.group("records")
def records_group() -> None:
    """The ledgers (台账): an entry workbook to keep them in Excel or WPS.

    Example: lianfang records template examples/dongying -o 台账.xlsx
    """


@records_group.command("template")
@workspace_argument
@output_option("The workbook to write (.xlsx).", default="台账.xlsx")
@lang_option()
def template_command(workspace: Path, output: Path, lang: str) -> None:
    """Write an entry workbook for the ledgers: the record columns under their Chinese names, with
    drop-down lists of the record kinds (Chinese labels), the subjects and people by name, and the
    year's periods. Filled in and saved into records/, it is read like any ledger.

    Example: lianfang records template examples/dongying -o examples/dongying/records/台账.xlsx
    """
    from lianfang.checker.forms.export import save
    from lianfang.checker.forms.template import records_template
    from lianfang.checker.run import open_workspace

    if output.suffix.lower() != ".xlsx":
        fail(f"{output}: the workbook's name must end in .xlsx", f"{output}：工作簿的文件名须以 .xlsx 结尾")
    try:
        ws, catalogue = open_workspace(workspace)
    except InputError as error:
        fail_input(error)
    try:
        save(records_template(ws, catalogue.evidence_kinds()), output)
    except OSError as problem:
        cannot_write(output, problem)
    click.echo(str(output))
