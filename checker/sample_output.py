"""``lianfang sample`` outputs: the draw on the terminal, and the checklist (Markdown or Excel)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lianfang.checker.escape import plain
from lianfang.checker.sampling import Draw, Drawn
from lianfang.models.workspace import Workspace

WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "{unit} 廉政日记抽查名单 — {month}",
        "seed": "随机种子 {seed}（{how}）",
        "seed_default": '默认：sha256("lianfang-sample|{unit_id}|{month}") 的前 16 位，任何人可复算',
        "seed_given": "由 --seed 指定",
        "population": "在职 {population} 人，抽取 {drawn} 人（{target}）",
        "target_rate": "必抽 {mandatory} 人，其余 {others} 人中按比例 {rate:.0%} 随机抽取 {extra} 人",
        "target_size": "指定 {size} 人：必抽 {mandatory} 人，随机抽取 {extra} 人",
        "over": "；必抽人员多于指定人数，全部抽取",
        "algorithm": '排序：HMAC-SHA256(种子, "{month}|人员编号")，升序；重点岗位、部室负责人和以往日记有问题的人员必抽，其余按排序补足。',
        "columns": ["序号", "姓名", "编号", "部室", "岗位", "抽取原因"],
        "reasons": {
            "key_post": "重点岗位：{detail}",
            "key_department": "重点部室负责人：{detail}",
            "history": "以往日记问题：{detail}",
            "random": "随机抽取第 {detail} 位",
        },
        "unit_level": "—",
        "checklist_columns": [
            "序号",
            "姓名",
            "编号",
            "部室",
            "岗位",
            "抽取原因",
            "本月已记篇数",
            "实际篇数",
            "两栏是否齐全",
            "记录是否真实",
            "发现的问题",
            "检查人",
            "检查日期",
        ],
        "how_title": "检查结果如何记录",
        "how": [
            "检查完成后，在工作区 records/ 下的任一 CSV 文件中加一行抽查记录（R202 的证据），例如：",
            "发现记录不实、敷衍了事的，每人另加一行 diary_problem 记录（subject 为其人员编号）；此后 30 天内须有 ref 为该记录编号的 accountability_action 记录（R204）。",
            "然后运行 lianfang check 核对：R202（{month}）应为“已完成”。",
        ],
        "sheet_list": "抽查名单",
        "sheet_how": "如何记录",
    },
    "en": {
        "title": "{unit} integrity diary spot check — {month}",
        "seed": "seed {seed} ({how})",
        "seed_default": 'default: the first 16 hex digits of sha256("lianfang-sample|{unit_id}|{month}"); anyone can recompute it',
        "seed_given": "given with --seed",
        "population": "{population} people in office, {drawn} drawn ({target})",
        "target_rate": "{mandatory} always drawn, {extra} of the other {others} drawn at random at the rate {rate:.0%}",
        "target_size": "size {size}: {mandatory} always drawn, {extra} at random",
        "over": "; more must be drawn than the size asked, all are drawn",
        "algorithm": "Order: HMAC-SHA256(seed, \"{month}|person_id\"), ascending; key posts' holders, key departments' heads and people with earlier diary findings are always drawn, the rest fill up in that order.",
        "columns": ["#", "name", "id", "department", "post", "why drawn"],
        "reasons": {
            "key_post": "key post: {detail}",
            "key_department": "head of key department: {detail}",
            "history": "earlier diary finding: {detail}",
            "random": "drawn at random, #{detail}",
        },
        "unit_level": "—",
        "checklist_columns": [
            "#",
            "name",
            "id",
            "department",
            "post",
            "why drawn",
            "entries recorded",
            "entries found",
            "both columns filled",
            "truthful",
            "problems found",
            "checked by",
            "date",
        ],
        "how_title": "How to record the results",
        "how": [
            "When the check is done, add one spot-check row (R202's evidence) to any CSV file under the workspace's records/, e.g.:",
            "For each person whose diary is untrue or perfunctory, add a diary_problem row (subject: their person id); an accountability_action whose ref is that row's id is then due within 30 days (R204).",
            "Then run lianfang check: R202 for {month} reads satisfied.",
        ],
        "sheet_list": "spot check",
        "sheet_how": "how to record",
    },
}


def reason_text(d: Drawn, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(WORDS[lang]["reasons"][r].format(detail=detail) for r, detail in d.reasons)


def rows(draw: Draw, ws: Workspace, lang: str) -> list[list[str]]:
    w = WORDS[lang]
    out = []
    for i, d in enumerate(draw.drawn, 1):
        dept = ws.departments[d.department].name if d.department in ws.departments else w["unit_level"]
        out.append([str(i), d.name, d.person, dept, "、".join(d.posts) or "—", reason_text(d, lang)])
    return out


def header_lines(draw: Draw, lang: str) -> list[str]:
    w = WORDS[lang]
    how = w["seed_default"].format(unit_id=draw.unit_id, month=draw.month) if draw.seed_is_default else w["seed_given"]
    extra = len(draw.drawn) - draw.mandatory
    others = draw.population - draw.mandatory
    target = (
        w["target_rate"].format(rate=draw.rate, mandatory=draw.mandatory, extra=extra, others=others)
        if draw.rate is not None
        else w["target_size"].format(size=draw.size, mandatory=draw.mandatory, extra=extra)
    )
    if draw.rate is None and draw.mandatory > draw.size:
        target += w["over"].format(mandatory=draw.mandatory)
    return [
        w["seed"].format(seed=draw.seed, how=how),
        w["population"].format(population=draw.population, drawn=len(draw.drawn), target=target),
        w["algorithm"].format(month=draw.month),
    ]


def print_draw(draw: Draw, ws: Workspace, lang: str, stream: TextIO) -> None:
    console = Console(file=stream, width=None if stream.isatty() else 160, highlight=False, soft_wrap=False)
    w = WORDS[lang]
    console.print(Text(plain(w["title"].format(unit=draw.unit_name, month=draw.month)), style="bold"))
    for line in header_lines(draw, lang):
        console.print(Text(plain(line)))
    table = Table(*w["columns"], box=box.SIMPLE)
    for row in rows(draw, ws, lang):
        table.add_row(*[Text(plain(c)) for c in row])
    console.print(table)


def example_rows(draw: Draw, lang: str) -> list[str]:
    """CSV rows to copy into records/ once the spot check is done."""
    tag = draw.month.replace("-", "")
    note = "抽查廉政日记" if lang == "zh" else "diary spot check"
    first = draw.drawn[0].person if draw.drawn else "PERSON"
    return [
        "id,kind,date,subject,period,by,result,ref,note",
        f"SC-{tag},diary_spot_check,{draw.month}-DD,{draw.unit_id},{draw.month},OFFICER_ID,,,{note} {len(draw.drawn)}",
        f"DP-{tag}-01,diary_problem,{draw.month}-DD,{first},{draw.month},OFFICER_ID,,SC-{tag},"
        + ("记录不实（示例，无问题则不写）" if lang == "zh" else "untrue entries (example; omit if none)"),
    ]


# ------------------------------------------------------------------------------ markdown

MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md(text: str) -> str:
    """Escape Markdown so a name or a note is shown as written, never as markup or HTML."""
    return MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def write_markdown(draw: Draw, ws: Workspace, lang: str, path: Path) -> None:
    w = WORDS[lang]
    lines = [f"# {md(w['title'].format(unit=draw.unit_name, month=draw.month))}", ""]
    lines += [f"- {md(line)}" for line in header_lines(draw, lang)]
    lines.append("")
    columns = w["checklist_columns"]
    lines.append("| " + " | ".join(md(c) for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for draw_row, d in zip(rows(draw, ws, lang), draw.drawn, strict=True):
        cells = [md(c) for c in draw_row] + [str(d.entries)] + [" "] * (len(columns) - 7)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {md(w['how_title'])}", "", md(w["how"][0]), "", "```csv"]
    lines += [row.replace("`", "'") for row in example_rows(draw, lang)[:2]]
    lines += ["```", "", md(w["how"][1]), "", "```csv", example_rows(draw, lang)[2].replace("`", "'"), "```", ""]
    lines += [md(w["how"][2].format(month=draw.month)), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------- xlsx


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a name or note is text, never a formula


def write_xlsx(draw: Draw, ws: Workspace, lang: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    w = WORDS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = w["sheet_list"]
    _append(sheet, [w["title"].format(unit=draw.unit_name, month=draw.month)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in header_lines(draw, lang):
        _append(sheet, [line])
    _append(sheet, [])
    head_row = sheet.max_row + 1
    _append(sheet, w["checklist_columns"])
    for cell in sheet[head_row]:
        cell.font = Font(bold=True)
    for draw_row, d in zip(rows(draw, ws, lang), draw.drawn, strict=True):
        _append(sheet, [int(draw_row[0]), *draw_row[1:], d.entries])
    widths = [6, 10, 16, 12, 18, 30, 10, 10, 12, 12, 30, 10, 12]
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=head_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
    how = book.create_sheet(w["sheet_how"])
    _append(how, [w["how_title"]])
    how["A1"].font = Font(bold=True)
    _append(how, [w["how"][0]])
    for line in example_rows(draw, lang)[:2]:
        _append(how, [line])
    _append(how, [w["how"][1]])
    _append(how, [example_rows(draw, lang)[2]])
    _append(how, [w["how"][2].format(month=draw.month)])
    how.column_dimensions["A"].width = 120
    book.save(path)
