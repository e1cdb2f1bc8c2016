"""``lianfang score`` outputs: a table for people, and an Excel workbook (JSON is ``scoring.score_json``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from lianfang.checker.escape import plain
from lianfang.checker.labels import COLUMN_LABELS, SCORE_LABELS, STATUS_LABELS
from lianfang.checker.messages import trigger_label
from lianfang.checker.run import CheckResult
from lianfang.checker.scoring import By, Deduction, LoadedScheme, Scorecard

_OWN_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "{unit} {title} — {year} 年度，截至 {as_of}",
        "no_deductions": "无扣分。",
        "clause": "方案条款",
        "capped": "（已达上限，原应扣 {nominal}）",
        "waived": "已豁免、不扣分：{n} 项",
        "overridden": "本单位在 lianfang.yaml 中调整了：{items}",
        "scope": {"unit": "单位", "department": "部室", "post": "岗位"},
        "record": "考核结果可记为 S122 的证据：kind 为 annual_assessment、subject 为 {unit}、result 为 {total} 的记录。",
        "sheet_scores": "得分",
        "sheet_waived": "已豁免",
        "name": "名称",
        "justification": "豁免理由",
    },
    "en": {
        "title": "{unit} {title} — {year}, as of {as_of}",
        "no_deductions": "no deductions.",
        "clause": "clause",
        "capped": " (cap reached; {nominal} otherwise)",
        "waived": "waived, deducting nothing: {n}",
        "overridden": "changed in this unit's lianfang.yaml: {items}",
        "scope": {"unit": "unit", "department": "department", "post": "post"},
        "record": "Record the result as S122's evidence: kind annual_assessment, subject {unit}, result {total}.",
        "sheet_scores": "scores",
        "sheet_waived": "waived",
        "name": "name",
        "justification": "justification",
    },
}
#: the score's own words, with the catalogue's for the assessment's and the findings' columns
WORDS: dict[str, dict[str, Any]] = {
    lang: {**SCORE_LABELS[lang], **COLUMN_LABELS[lang], **words} for lang, words in _OWN_WORDS.items()
}


def fmt(value: Decimal) -> str:
    """12, 12.5 — never 12.0 or 12.50."""
    text = format(value.normalize(), "f")
    return text


def _period(d: Deduction) -> str:
    return d.finding.period or trigger_label(d.finding.trigger)


def _console(stream: TextIO) -> Console:
    from lianfang.checker.report.terminal import output_width

    return Console(file=stream, width=output_width(stream, file_width=160), highlight=False, soft_wrap=False)


def deduction_rows(item: Any, lang: str) -> list[list[str]]:
    w = WORDS[lang]
    rows = []
    for d in item.deductions:
        f = d.finding
        note = w["capped"].format(nominal=fmt(d.nominal)) if d.capped else ""
        rows.append(
            [
                f.rule,
                f.subject_name,
                _period(d),
                STATUS_LABELS[lang][f.status.value],
                fmt(d.points) + note,
                f.source,
            ]
        )
    return rows


def write_table(result: CheckResult, loaded: LoadedScheme, cards: list[Scorecard], by: By, stream: TextIO) -> None:
    lang = result.lang
    w = WORDS[lang]
    console = _console(stream)
    ws = result.workspace
    colon = "：" if lang == "zh" else ": "
    console.print(
        Text(
            w["title"].format(
                unit=plain(ws.org.unit.name),
                title=loaded.scheme.title.get(lang),
                year=ws.year,
                as_of=result.as_of.isoformat(),
            ),
            style="bold",
        )
    )
    if loaded.overridden:
        console.print(Text(w["overridden"].format(items=", ".join(loaded.overridden))))
    if by != "unit":
        table = Table(
            w["scope"][by],
            w["total"],
            *[Column(header=Text(i.item.title.get(lang))) for i in cards[0].items],
            box=box.SIMPLE,
        )
        for card in cards:
            table.add_row(Text(plain(card.name)), fmt(card.total), *[fmt(i.score) for i in card.items])
        console.print(table)
    for card in cards:
        console.print(
            Text(f"{w['scope'][card.scope]} {plain(card.name)}{colon}{w['total']} {fmt(card.total)}", style="bold")
        )
        if by == "unit":
            items = Table(w["item"], w["points"], w["deducted"], w["score"], w["source"], box=box.SIMPLE)
            for i in card.items:
                items.add_row(
                    Text(i.item.title.get(lang)), fmt(i.points), fmt(i.deducted), fmt(i.score), Text(i.item.source)
                )
            console.print(items)
        if not card.deductions:
            console.print(w["no_deductions"])
        for item in card.items:
            if not item.deductions:
                continue
            console.print(
                Text(f"  {item.item.title.get(lang)}  {fmt(item.points)} − {fmt(item.deducted)} = {fmt(item.score)}")
            )
            table = Table(w["rule"], w["subject"], w["period"], w["status"], w["deducted"], w["clause"], box=None)
            table.columns[0].no_wrap = True
            table.columns[2].no_wrap = True
            table.columns[3].no_wrap = True
            for row in deduction_rows(item, lang):
                table.add_row(*[Text(plain(cell)) for cell in row])
            console.print(table, style=None)
        if card.waived:
            console.print(w["waived"].format(n=len(card.waived)))
    if by == "unit":
        console.print(Text(plain(w["record"].format(unit=ws.org.unit.id, total=fmt(cards[0].total)))))


# --------------------------------------------------------------------------------- xlsx


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _append(sheet: Any, row: list[Any]) -> None:
    sheet.append([_cell_value(v) for v in row])
    # text a reader typed (names, messages) is never a formula, whatever it starts with
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def write_xlsx(result: CheckResult, loaded: LoadedScheme, cards: list[Scorecard], by: By, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = result.lang
    w = WORDS[lang]
    book = Workbook()
    scores = book.active
    scores.title = w["sheet_scores"]
    titles = [i.item.title.get(lang) for i in cards[0].items]
    _append(scores, [w["scope"][by], w["subject"], w["total"], *titles])
    for card in cards:
        _append(scores, [card.name, card.subject, card.total, *[i.score for i in card.items]])
    _append(scores, [])
    _append(scores, [w["item"], w["points"], w["source"]])
    for i in cards[0].items:
        _append(scores, [i.item.title.get(lang), i.points, i.item.source])

    details = book.create_sheet(w["deductions"])
    _append(
        details,
        [
            w["scope"][by],
            w["item"],
            w["rule"],
            w["subject"],
            w["name"],
            w["period"],
            w["status"],
            w["deducted"],
            w["clause"],
            w["detail"],
        ],
    )
    for card in cards:
        for d in card.deductions:
            f = d.finding
            _append(
                details,
                [
                    card.name,
                    d.item,
                    f.rule,
                    f.subject,
                    f.subject_name,
                    _period(d),
                    STATUS_LABELS[lang][f.status.value],
                    d.points,
                    f.source,
                    f.message,
                ],
            )
    waived = book.create_sheet(w["sheet_waived"])
    _append(waived, [w["scope"][by], w["rule"], w["subject"], w["period"], w["justification"]])
    for card in cards:
        for f in card.waived:
            _append(
                waived,
                [card.name, f.rule, f.subject, f.trigger or f.period or "", (f.waiver or {}).get("justification", "")],
            )
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))
    book.save(path)
