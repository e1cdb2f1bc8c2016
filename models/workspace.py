"""Load and validate a workspace folder into one immutable ``Workspace``.

Every problem of every file is collected before anything runs (the check never runs on
half-read data); each names the file, the row or key path, the bad value and the remedy.
Nothing in the workspace is ever written.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lianfang.models import yaml_safe
from lianfang.models.bulk import BulkState, CountedEntries, Counting, absorb, ids_unique
from lianfang.models.calendar import PERIOD_FORMS, Period
from lianfang.models.collector import collector_paused
from lianfang.models.config import Config
from lianfang.models.dates import DATE_FORMS, DATE_FORMS_ZH, DateError, parse_date
from lianfang.models.errors import InputError, InputProblem, Notice, suggest
from lianfang.models.files import folder_problem, outside
from lianfang.models.names import Entry, NameProblem, Names
from lianfang.models.org import Department, Org, Person, Post
from lianfang.models.records import KIND_LABELS, KINDS_BY_LABEL, REQUIRED_COLUMNS, Record
from lianfang.models.risks import Grading, PowerItem, RiskPoint, Risks
from lianfang.models.sources import SourceRow, registered_suffixes, source_for
from lianfang.models.sources.csv_columns import BULK_MIN_BYTES
from lianfang.models.sources.prefetch import Prefetch
from lianfang.models.sources.text import ENCODINGS, path_problem, read_text
from lianfang.models.sources.values import value_problem
from lianfang.models.validation import problem_from_pydantic

#: kept for the modules that read YAML with the workspace's decoding rules
_read_text = read_text

M = TypeVar("M", bound=BaseModel)
__all__ = ["ENCODINGS", "REQUIRED_COLUMNS", "Workspace", "load_workspace", "read_records", "read_yaml"]


@dataclass(frozen=True)
class Location:
    file: str
    line: int


@dataclass
class Workspace:
    """A validated workspace: configuration, organisation, risk register and records."""

    root: Path
    config: Config
    org: Org
    risks: Risks
    records: list[Record]
    #: warnings about the files read (an unread file in records/, a missing records/)
    notices: list[Notice] = field(default_factory=list)
    #: diary entries (counted kinds) read in bulk from large files: ids and days, not Records
    counted: CountedEntries = field(default_factory=CountedEntries)
    _locations: dict[str, Location] | None = field(default=None, repr=False)

    @property
    def locations(self) -> dict[str, Location]:
        """Where each id (person, department, post, risk point, power item, grading) is defined.

        Found on first use only (a second parse of org.yaml and risks.yaml, for line numbers):
        only reports that point at lines need it.
        """
        if self._locations is None:
            self._locations = {}
            for name in ("org.yaml", "risks.yaml"):
                for item_id, line in id_lines(self.root / name).items():
                    self._locations.setdefault(item_id, Location(name, line))
        return self._locations

    def __post_init__(self) -> None:
        self.people: dict[str, Person] = {p.id: p for p in self.org.people}
        self.departments: dict[str, Department] = {d.id: d for d in self.org.departments}
        self.posts: dict[str, Post] = {p.id: p for p in self.org.posts}
        self.risk_points: dict[str, RiskPoint] = {r.id: r for r in self.risks.risk_points}
        self.powers: dict[str, PowerItem] = {p.id: p for p in self.risks.powers}
        self.gradings: dict[str, Grading] = {g.subject: g for g in self.risks.gradings}
        # a person belongs to the department of the first post they hold, else the one they head
        self._person_department: dict[str, str] = {}
        for post in self.org.posts:
            if post.holder:
                self._person_department.setdefault(post.holder, post.department)
        for dept in self.org.departments:
            if dept.head:
                self._person_department.setdefault(dept.head, dept.id)

    @property
    def year(self) -> int:
        return self.config.year

    @property
    def unit_id(self) -> str:
        return self.org.unit.id

    @property
    def leaders(self) -> list[Person]:
        return [p for p in self.org.people if p.role == "leader"]

    def name_of(self, subject: str) -> str:
        """A human name for any subject id (unit, person, department, post, risk point)."""
        if subject == self.org.unit.id:
            return self.org.unit.short_name or self.org.unit.name
        for table in (self.people, self.departments, self.posts, self.powers):
            if subject in table:
                return table[subject].name
        if subject in self.risk_points:
            return self.risk_points[subject].description or subject
        return subject

    def department_of(self, subject: str) -> str | None:
        """The department a subject belongs to, for grouping and the accountable chain."""
        if subject in self.departments:
            return subject
        if subject in self.posts:
            return self.posts[subject].department
        if subject in self.risk_points:
            return self.department_of(self.risk_points[subject].owner)
        return self._person_department.get(subject)

    def subject_ids(self) -> set[str]:
        return {self.org.unit.id} | set(self.people) | set(self.departments) | set(self.posts) | set(self.risk_points)


# --------------------------------------------------------------------------- reading files


def _problem_from_pydantic(file: str, prefix: str, error: Any) -> InputProblem:
    return problem_from_pydantic(file, prefix, error)


def _validate(model: type[M], data: Any, file: str, problems: list[InputProblem]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problem_from_pydantic(file, "", e) for e in exc.errors())
        return None


def read_yaml(path: Path, display: str, problems: list[InputProblem], root: Path | None = None) -> Any:
    """A YAML mapping read within the limits of ``models.yaml_safe``; None with the problems noted."""
    text = _read_text(path, display, problems, root)
    if text is None:
        return None
    data = _plain_json(text)
    if isinstance(data, dict):
        return data
    try:
        data = yaml_safe.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(InputProblem(display, where, f"not valid YAML: {problem}", zh=f"不是有效的 YAML：{problem}"))
        return None
    except yaml_safe.YamlRefused as refused:
        for p in refused.problems:
            where = f"line {p.line}, key {p.key}" if p.key else f"line {p.line}"
            shown = f'"{p.value}" ' if p.value else ""
            problems.append(InputProblem(display, where, f"{shown}{p.message}", zh=f"{shown}{p.zh}"))
        return None
    except RecursionError:
        problems.append(InputProblem(display, "", "nested too deeply", zh="嵌套层数过多"))
        return None
    if not isinstance(data, dict):
        problems.append(
            InputProblem(display, "", "expected a mapping of keys at the top level", zh="顶层应是“键: 值”形式的映射")
        )
        return None
    return data


class _NotPlainJson(ValueError):
    """JSON that YAML might read otherwise: the YAML reader decides (and words any message)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _NotPlainJson("duplicate key")
    return data


def _refuse(text: str) -> Any:
    raise _NotPlainJson(text)


def _plain_json(text: str) -> Any:
    """A file that is plain JSON (valid YAML, as exported by other systems), read by the JSON
    parser: many times faster than YAML's for a city's org.yaml. Only when YAML would read it
    the same: no duplicate key, no number with an exponent or fraction (YAML 1.1 reads 1e3 as
    text), no NaN; anything else (and every error) is left to the YAML reader."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_refuse, parse_constant=_refuse)
    except ValueError:
        return None


def id_lines(path: Path) -> dict[str, int]:
    """Line numbers of every mapping that defines an ``id`` (or a grading's ``subject``)."""
    lines: dict[str, int] = {}
    root = yaml_safe.compose_or_none(path.read_bytes().decode("utf-8-sig", errors="replace"))
    for _path, node in yaml_safe.walk(root):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in ("id", "subject") and isinstance(value, yaml.ScalarNode):
                    lines.setdefault(value.value, key.start_mark.line + 1)
    return lines


def _record_from_row(
    row: SourceRow, known_kinds: set[str], seen: dict[str, str], problems: list[InputProblem]
) -> Record | None:
    """Validate one row of any source into a ``Record``; None (with problems) when it is bad."""
    place, values = row.place, row.values
    display, where = place.file, place.at()
    before = len(problems)
    for column, value in values.items():
        bad = value_problem(column, value)
        if bad is not None:
            problems.append(InputProblem(display, place.at(column), bad[0], zh=bad[1]))
    if len(problems) > before:
        return None
    for column in REQUIRED_COLUMNS:
        if not values.get(column):
            problems.append(
                InputProblem(display, place.at(column), f'column "{column}" is empty', zh=f"“{column}”列为空")
            )
    if len(problems) > before:
        return None
    record_id, kind = values["id"], KINDS_BY_LABEL.get(values["kind"], values["kind"])
    if record_id in seen:
        problems.append(
            InputProblem(
                display,
                place.at("id"),
                f'duplicate record id "{record_id}" (first in {seen[record_id]}); ids must be unique',
                zh=f"记录编号“{record_id}”重复（首次出现在 {seen[record_id]}）；编号必须唯一",
            )
        )
        return None
    seen[record_id] = f"{display} {where}"
    if kind not in known_kinds:
        labels = {KIND_LABELS[k]: k for k in known_kinds if k in KIND_LABELS}
        problems.append(
            InputProblem(
                display,
                place.at("kind"),
                f'unknown kind "{kind}"{suggest(kind, [*known_kinds, *labels])}; see `lianfang rules` for the '
                "evidence kinds (a kind or its Chinese label)",
                zh=f"未知的记录类型“{kind}”{suggest(kind, [*known_kinds, *labels], 'zh')}；"
                "证据类型见 `lianfang rules`（可填类型代码或其中文名称）",
            )
        )
        return None
    try:
        day = parse_date(values["date"])
    except DateError:
        problems.append(
            InputProblem(
                display,
                place.at("date"),
                f'date "{values["date"]}" is not a real date; write it as {DATE_FORMS}',
                zh=f"日期“{values['date']}”不是真实的日期；请写成 {DATE_FORMS_ZH}",
            )
        )
        return None
    period = None
    if values.get("period"):
        try:
            period = Period.parse(values["period"])
        except ValueError:
            problems.append(
                InputProblem(
                    display,
                    place.at("period"),
                    f'period "{values["period"]}" is not valid; expected {PERIOD_FORMS} or empty',
                    zh=f"期间“{values['period']}”无效；应为 {PERIOD_FORMS} 或留空",
                )
            )
            return None
    return Record(
        id=record_id,
        kind=kind,
        date=day,
        subject=values["subject"],
        period=period,
        by=values.get("by", ""),
        result=values.get("result", ""),
        ref=values.get("ref", ""),
        note=values.get("note", ""),
        file=display,
        line=place.number,
        place=place,
    )


def _record_files(folder: Path) -> list[Path]:
    """Every entry under ``folder`` but folders and lock files, links to folders not followed (no loop)."""
    found = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        base = Path(here)
        found += [base / name for name in files if not _is_lock_file(base / name)]
        # a folder named like a record file (x.csv/) is reported, not walked past in silence
        found += [base / name for name in dirs if source_for(base / name) is not None]
    return sorted(found)


def _is_lock_file(path: Path) -> bool:
    """Files an office program or the system keeps beside a document (~$x.xlsx, .~lock.x.ods#)."""
    return path.name.startswith(("~$", ".")) or path.name.endswith("#")


def read_records(
    folder: Path,
    root: Path,
    known_kinds: set[str],
    problems: list[InputProblem],
    notices: list[Notice] | None = None,
    bulk: BulkState | None = None,
    counting: Counting | None = None,
    ahead: Prefetch | None = None,
) -> list[Record]:
    """Every record in ``folder`` (recursively), read by the source registered for each file's suffix.

    A file no source reads is a notice naming it (lock files excepted); so is a missing folder.
    With ``bulk``, a large file whose source has a columnar reader is read as columns when it
    is clean (``models.bulk.absorb``); the caller then checks ids and subjects across files.
    ``ahead``: the large files' columns, read ahead (``models.sources.prefetch``).
    """
    notices = [] if notices is None else notices
    records: list[Record] = []
    seen: dict[str, str] = {}
    shown = str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)
    kind = folder_problem(folder)
    if kind is not None:
        problems.append(
            InputProblem(
                shown,
                "",
                f"{kind.en}; records/ must be a folder of record files",
                zh=f"{kind.zh}；records/ 应是存放台账文件的文件夹",
            )
        )
        return records
    if outside(folder, root):
        problems.append(
            InputProblem(
                shown,
                "",
                "is a symbolic link to a folder outside the workspace; it is not read (move the records into it)",
                zh="是指向工作区之外文件夹的符号链接，不予读取（请把台账移入工作区）",
            )
        )
        return records
    if not folder.is_dir():
        display = str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)
        notices.append(
            Notice(
                display,
                "",
                "文件夹不存在：没有任何台账记录，凡需记录证明的义务都将判为未完成；请建立该文件夹并放入台账"
                "（.xlsx、.csv 等）",
                "folder not found: there are no records, so every obligation that needs a record will be missed; "
                "create it and put the ledgers (.xlsx, .csv, …) in it",
            )
        )
        return records
    for path in _record_files(folder):
        display = str(path.relative_to(root))
        source = source_for(path)
        if source is not None:
            problem = path_problem(path, display, root)
            if problem is not None:
                problems.append(problem)
                continue
        if source is None:
            readable = "、".join(registered_suffixes())
            notices.append(
                Notice(
                    display,
                    "",
                    f"未读取：台账只读取 {readable} 文件；请另存为 .xlsx 或 .csv，或移出 records/",
                    f"not read: records are read from {', '.join(registered_suffixes())} files; "
                    "save it as .xlsx or .csv, or move it out of records/",
                )
            )
            continue
        if bulk is not None and source.columns is not None and path.stat().st_size >= BULK_MIN_BYTES:
            table = ahead.columns(source, path, display) if ahead is not None else source.columns(path, display)
            if table is not None and absorb(table, known_kinds, counting or {}, bulk, records):
                continue
        for row in source.rows(path, display, problems, notices):
            record = _record_from_row(row, known_kinds, seen, problems)
            if record is not None:
                records.append(record)
    if bulk is not None:
        bulk.row_ids = list(seen)
    return records


def read_store_records(
    root: Path, known_kinds: set[str], from_files: list[Record], problems: list[InputProblem]
) -> list[Record]:
    """The records of every store (the archive), validated as file rows; an id already used in
    a file, or in another store, is a duplicate naming both places."""
    from lianfang.models.sources.stores import stores

    seen = {r.id: f"{r.file} {r.place.at() if r.place else f'row {r.line}'}" for r in from_files}
    records: list[Record] = []
    for reader in stores():
        for row in reader(root, problems):
            record = _record_from_row(row, known_kinds, seen, problems)
            if record is not None:
                records.append(record)
    return records


# --------------------------------------------------------------------------- references


def _check_ref(
    problems: list[InputProblem],
    file: str,
    key: str,
    value: str | None,
    valid: Iterable[str],
    what: str,
    names: Names | None = None,
    kinds: tuple[str, ...] = (),
) -> None:
    if value is None:
        return
    choices = valid if isinstance(valid, (set, dict)) else set(valid)
    if value not in choices:
        where = f"key {key}"
        if any(p.file == file and p.where == where for p in problems):
            return  # already reported (an ambiguous name)
        hint = suggest_reference(value, choices, names, kinds)
        hint_zh = suggest(value, choices, "zh") or (
            f"（最接近：{hint.removeprefix(' (closest: ')[:-1]}）" if hint else ""
        )
        problems.append(
            InputProblem(file, where, f'unknown {what} "{value}"{hint}', zh=f"未知的{_zh_what(what)}“{value}”{hint_zh}")
        )


def suggest_reference(value: str, ids: Iterable[str], names: Names | None, kinds: tuple[str, ...]) -> str:
    """' (did you mean "id"?)' for a near id, else the closest names with their ids, else ''."""
    hint = suggest(value, ids)
    if hint or names is None or not kinds:
        return hint
    close = names.closest(value, kinds)
    return f" (closest: {', '.join(close)})" if close else ""


# --------------------------------------------------------------------------- names for ids

#: where org.yaml and risks.yaml reference something, and what: (list key, field, kinds)
ORG_REFERENCES = (
    ("departments", "head", ("person",)),
    ("departments", "leader_in_charge", ("person",)),
    ("posts", "department", ("department",)),
    ("posts", "holder", ("person",)),
)
RISK_REFERENCES = (
    ("gradings", "subject", ("unit", "person", "department", "post")),
    ("risk_points", "owner", ("unit", "person", "department", "post")),
    ("risk_points", "responsible", ("person",)),
    ("risk_points", "power_item", ("power",)),
    ("powers", "department", ("department",)),
)


def _names_of_raw(org_data: Any, risks_data: Any) -> Names:
    """Ids and names as written in the raw YAML (before validation), for name references."""
    entries: list[Entry] = []

    def items(data: Any, key: str) -> list[dict[str, Any]]:
        value = data.get(key) if isinstance(data, dict) else None
        return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []

    def add(kind: str, item: dict[str, Any], name_key: str = "name") -> None:
        if isinstance(item.get("id"), str) and isinstance(item.get(name_key), str):
            entries.append(Entry(kind, item["id"], item[name_key]))

    unit = org_data.get("unit") if isinstance(org_data, dict) else None
    if isinstance(unit, dict):
        add("unit", unit)
        add("unit", unit, "short_name")
    for item in items(org_data, "people"):
        add("person", item)
    for item in items(org_data, "departments"):
        add("department", item)
    for item in items(org_data, "posts"):
        add("post", item)
    for item in items(risks_data, "powers"):
        add("power", item)
    for item in items(risks_data, "risk_points"):
        add("risk_point", item, "description")
    return Names(entries)


def resolve_names(org_data: Any, risks_data: Any, problems: list[InputProblem]) -> Names:
    """Replace, in the raw YAML data, each reference written as a unique name by its id.

    An ambiguous name is a problem naming the key and the candidates; an unknown one is left
    for the reference checks, which name the closest ids and names.
    """
    names = _names_of_raw(org_data, risks_data)

    def fix(file: str, key: str, value: Any, kinds: tuple[str, ...]) -> Any:
        if not isinstance(value, str) or names.is_id(value, kinds):
            return value
        try:
            return names.resolve(value, kinds)
        except NameProblem as problem:
            if problem.ambiguous:
                problems.append(InputProblem(file, f"key {key}", problem.en, zh=problem.zh))
            return value

    def fix_field(file: str, item: Any, field: str, key: str, kinds: tuple[str, ...]) -> None:
        if isinstance(item, dict) and field in item:
            item[field] = fix(file, key, item[field], kinds)

    def items(data: Any, key: str) -> list[Any]:
        value = data.get(key) if isinstance(data, dict) else None
        return value if isinstance(value, list) else []

    unit = org_data.get("unit") if isinstance(org_data, dict) else None
    if isinstance(unit, dict):
        for field in ("main_leader", "programme_leader"):
            fix_field("org.yaml", unit, field, f"unit.{field}", ("person",))
        group = items(unit, "leading_group")
        for i, member in enumerate(group):
            group[i] = fix("org.yaml", f"unit.leading_group[{i}]", member, ("person",))
    for file, data, references in (("org.yaml", org_data, ORG_REFERENCES), ("risks.yaml", risks_data, RISK_REFERENCES)):
        for list_key, field, kinds in references:
            for i, item in enumerate(items(data, list_key)):
                fix_field(file, item, field, f"{list_key}[{i}].{field}", kinds)
    for i, item in enumerate(items(risks_data, "risk_points")):
        for j, measure in enumerate(items(item, "measures")):
            fix_field("risks.yaml", measure, "owner", f"risk_points[{i}].measures[{j}].owner", ("person",))
    return names


_WHAT_ZH = {
    "person": "人员",
    "department": "部室",
    "power item": "权力事项",
    "post, department or leader": "岗位、部室或领导",
    "owner (post, department, leader or unit)": "责任主体（岗位、部室、领导或单位）",
}


def _zh_what(what: str) -> str:
    if what.startswith("step of "):
        return f"{what.removeprefix('step of ')} 的环节"
    return _WHAT_ZH.get(what, what)


def _unique(problems: list[InputProblem], file: str, items: Iterable[tuple[str, str]], seen: dict[str, str]) -> None:
    for key, item_id in items:
        if item_id in seen:
            problems.append(
                InputProblem(
                    file,
                    f"key {key}",
                    f'duplicate id "{item_id}" (already used at {seen[item_id]}); ids must be unique',
                    zh=f"编号“{item_id}”重复（已用于 {seen[item_id]}）；编号必须唯一",
                )
            )
        else:
            seen[item_id] = f"{file} {key}"


def check_org(org: Org, problems: list[InputProblem], names: Names | None = None) -> None:
    f = "org.yaml"
    seen: dict[str, str] = {}
    _unique(problems, f, [("unit.id", org.unit.id)], seen)
    _unique(problems, f, ((f"people[{i}].id", p.id) for i, p in enumerate(org.people)), seen)
    _unique(problems, f, ((f"departments[{i}].id", d.id) for i, d in enumerate(org.departments)), seen)
    _unique(problems, f, ((f"posts[{i}].id", p.id) for i, p in enumerate(org.posts)), seen)
    people = {p.id for p in org.people}
    depts = {d.id for d in org.departments}
    _check_ref(problems, f, "unit.main_leader", org.unit.main_leader, people, "person", names, ("person",))
    _check_ref(problems, f, "unit.programme_leader", org.unit.programme_leader, people, "person", names, ("person",))
    for i, member in enumerate(org.unit.leading_group):
        _check_ref(problems, f, f"unit.leading_group[{i}]", member, people, "person", names, ("person",))
    for i, d in enumerate(org.departments):
        _check_ref(problems, f, f"departments[{i}].head", d.head, people, "person", names, ("person",))
        _check_ref(
            problems, f, f"departments[{i}].leader_in_charge", d.leader_in_charge, people, "person", names, ("person",)
        )
    for i, p in enumerate(org.posts):
        _check_ref(problems, f, f"posts[{i}].department", p.department, depts, "department", names, ("department",))
        _check_ref(problems, f, f"posts[{i}].holder", p.holder, people, "person", names, ("person",))
    for i, person in enumerate(org.people):
        if person.since and person.until and person.until < person.since:
            problems.append(
                InputProblem(
                    f,
                    f"key people[{i}].until",
                    f'"{person.until}" is before since "{person.since}"',
                    zh=f"离任日期 until“{person.until}”早于任职日期 since“{person.since}”",
                )
            )


def check_risks(org: Org, risks: Risks, problems: list[InputProblem], names: Names | None = None) -> None:
    f = "risks.yaml"
    people = {p.id for p in org.people}
    leaders = {p.id for p in org.people if p.role == "leader"}
    depts = {d.id for d in org.departments}
    posts = {p.id for p in org.posts}
    owners = {org.unit.id} | leaders | depts | posts
    seen_subjects: dict[str, str] = {}
    for i, g in enumerate(risks.gradings):
        if g.subject in seen_subjects:
            problems.append(
                InputProblem(
                    f,
                    f"key gradings[{i}].subject",
                    f'"{g.subject}" is graded twice (also at {seen_subjects[g.subject]})',
                    zh=f"“{g.subject}”重复划分了风险等级（另见 {seen_subjects[g.subject]}）",
                )
            )
        seen_subjects[g.subject] = f"gradings[{i}]"
        _check_ref(
            problems,
            f,
            f"gradings[{i}].subject",
            g.subject,
            owners,
            "post, department or leader",
            names,
            ("unit", "person", "department", "post"),
        )
    seen: dict[str, str] = {}
    existing = {org.unit.id} | people | depts | posts
    for i, p in enumerate(risks.powers):
        _check_ref(problems, f, f"powers[{i}].department", p.department, depts, "department", names, ("department",))
        if len(set(p.steps)) != len(p.steps):
            problems.append(
                InputProblem(
                    f,
                    f"key powers[{i}].steps",
                    "a step name appears twice; steps must be distinct",
                    zh="有运行环节名称出现两次；各运行环节必须互不相同",
                )
            )
    _unique(problems, f, ((f"powers[{i}].id", p.id) for i, p in enumerate(risks.powers)), seen)
    powers = {p.id: p for p in risks.powers}
    for i, r in enumerate(risks.risk_points):
        key = f"risk_points[{i}]"
        if r.id in existing:
            problems.append(
                InputProblem(
                    f,
                    f"key {key}.id",
                    f'"{r.id}" is already the id of an entry in org.yaml',
                    zh=f"“{r.id}”已是 org.yaml 中某一条目的编号",
                )
            )
        _check_ref(
            problems,
            f,
            f"{key}.owner",
            r.owner,
            owners,
            "owner (post, department, leader or unit)",
            names,
            ("unit", "person", "department", "post"),
        )
        _check_ref(problems, f, f"{key}.responsible", r.responsible, people, "person", names, ("person",))
        _check_ref(problems, f, f"{key}.power_item", r.power_item, powers, "power item", names, ("power",))
        if r.step is not None:
            if r.power_item is None:
                problems.append(
                    InputProblem(
                        f,
                        f"key {key}.step",
                        f'step "{r.step}" given without a power_item',
                        zh=f"填写了运行环节“{r.step}”，但没有填写权力事项 power_item",
                    )
                )
            elif r.power_item in powers:
                _check_ref(problems, f, f"{key}.step", r.step, powers[r.power_item].steps, f'step of "{r.power_item}"')
        for j, m in enumerate(r.measures):
            _check_ref(problems, f, f"{key}.measures[{j}].owner", m.owner, people, "person", names, ("person",))
    _unique(problems, f, ((f"risk_points[{i}].id", r.id) for i, r in enumerate(risks.risk_points)), seen)


def _where(record: Record, column: str) -> str:
    return record.place.at(column) if record.place else f"row {record.line}"


#: a ``ref`` naming a finding (T502's accountability action): ``RULE:SUBJECT:PERIOD``
FINDING_KEY = re.compile(r"^[A-Z][0-9]{3}:[^:]+:.+$")


def check_records(
    records: list[Record],
    subjects: set[str],
    problems: list[InputProblem],
    names: Names | None = None,
    known_ids: Iterable[str] = (),
) -> list[Record]:
    """Check every record's subject; a unique name in ``subject`` or ``by`` becomes its id.

    What a rule asks of a record's ``result`` (S122's score) is the catalogue's:
    ``checker/stages/workspace.py`` checks it."""
    out: list[Record] = []
    ids = {r.id for r in records} | set(known_ids)  # a ref may name a record of another source
    for r in records:
        if r.ref and r.ref not in ids and not FINDING_KEY.match(r.ref):
            problems.append(
                InputProblem(
                    r.file,
                    _where(r, "ref"),
                    f'ref "{r.ref}" names no record{suggest(r.ref, ids)}; give the id of the record it answers '
                    "(or a finding key RULE:SUBJECT:PERIOD for T502)",
                    zh=f"ref“{r.ref}”不是任何记录的编号{suggest(r.ref, ids, 'zh')}；请填写所对应记录的编号"
                    "（T502 的追责记录填检查结果的键 规则:对象:期间）",
                )
            )
        subject, by = r.subject, r.by
        if names is not None:
            subject = _record_name(r, "subject", subject, SUBJECT_KINDS, names, problems, subjects)
            by = _record_name(r, "by", by, ("person",), names, problems, None)
        if subject not in subjects and not _reported(problems, r.file, _where(r, "subject")):
            problems.append(
                InputProblem(
                    r.file,
                    _where(r, "subject"),
                    f'unknown subject "{subject}"{suggest_reference(subject, subjects, names, SUBJECT_KINDS)}; '
                    "use an id or a name from org.yaml or risks.yaml",
                    zh=f"未知的对象“{subject}”{suggest(subject, subjects, 'zh')}；请使用 org.yaml 或 risks.yaml 中的编号或名称",
                )
            )
        out.append(r if (subject, by) == (r.subject, r.by) else replace(r, subject=subject, by=by))
    return out


SUBJECT_KINDS = ("unit", "person", "department", "post", "risk_point")


def _reported(problems: list[InputProblem], file: str, where: str) -> bool:
    return any(p.file == file and p.where == where for p in problems)


def _record_name(
    record: Record,
    column: str,
    value: str,
    kinds: tuple[str, ...],
    names: Names,
    problems: list[InputProblem],
    ids: set[str] | None,
) -> str:
    """A record's reference as an id: itself when it is one, the id of a unique name, else itself."""
    if not value or (ids is not None and value in ids) or names.is_id(value, kinds):
        return value
    try:
        return names.resolve(value, kinds)
    except NameProblem as problem:
        if problem.ambiguous:
            problems.append(InputProblem(record.file, _where(record, column), problem.en, zh=problem.zh))
        return value


@collector_paused(freeze=True)
def load_workspace(
    root: Path, known_kinds: set[str], config: Config | None = None, counting: Counting | None = None
) -> Workspace:
    """Read and validate a workspace; raise ``InputError`` listing every problem.

    ``config``: lianfang.yaml as the caller already read it (it names the rule pack), so that
    a command reads the file once. ``counting`` names the counted kinds (kind -> results that
    do not count): their entries in large files are kept as ids and days
    (``Workspace.counted``), not as ``Record`` objects.

    The collector is paused while a city's millions of objects are made, and what was loaded
    is frozen (see ``models.collector``): it lives as long as the check.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError([InputProblem(str(root), "", "workspace folder not found", zh="找不到工作区文件夹")])
    # the large record files are parsed in a background thread while the YAML is loaded
    with Prefetch(_record_files_ahead(root / "records", root), root, BULK_MIN_BYTES) as ahead:
        return _load(root, known_kinds, config, counting, ahead)


def _record_files_ahead(folder: Path, root: Path) -> list[tuple[Path, str]]:
    """The record files ``read_records`` will read (``Prefetch`` picks the large ones), or none
    when the folder is one it reports instead of reading."""
    if folder_problem(folder) is not None or outside(folder, root) or not folder.is_dir():
        return []
    return [(path, str(path.relative_to(root))) for path in _record_files(folder)]


def _load(
    root: Path, known_kinds: set[str], config: Config | None, counting: Counting | None, ahead: Prefetch
) -> Workspace:
    problems: list[InputProblem] = []
    config_data = read_yaml(root / "lianfang.yaml", "lianfang.yaml", problems, root) if config is None else None
    org_data = read_yaml(root / "org.yaml", "org.yaml", problems, root)
    risks_data = read_yaml(root / "risks.yaml", "risks.yaml", problems, root)
    names = resolve_names(org_data, risks_data, problems)
    if config is None:
        config = _validate(Config, config_data, "lianfang.yaml", problems) if config_data is not None else None
    org = _validate(Org, org_data, "org.yaml", problems) if org_data is not None else None
    risks = _validate(Risks, risks_data, "risks.yaml", problems) if risks_data is not None else None
    if org is not None:
        check_org(org, problems, names)
        if risks is not None:
            check_risks(org, risks, problems, names)
    notices: list[Notice] = []
    counted = CountedEntries()
    before = len(problems)
    if config is not None and org is not None and risks is not None and not problems:
        subjects = {org.unit.id} | {p.id for p in org.people} | {d.id for d in org.departments}
        subjects |= {p.id for p in org.posts} | {r.id for r in risks.risk_points}
        people = {p.id for p in org.people}
        records, counted = _read_records_in_bulk(
            root, known_kinds, counting or {}, subjects, people, problems, notices, ahead
        )
    else:
        records = read_records(root / "records", root, known_kinds, problems, notices)
    stored = read_store_records(root, known_kinds, records, problems)
    if counted.size and any(counted.place(r.id) is not None for r in stored):
        # an id of the store was also read in bulk: read row by row, whose messages name it
        del problems[before:]
        notices.clear()
        records, counted = read_records(root / "records", root, known_kinds, problems, notices), CountedEntries()
        stored = read_store_records(root, known_kinds, records, problems)
    records += stored
    if config is None or org is None or risks is None or problems:
        if org is not None and risks is not None:
            subjects = {org.unit.id} | {p.id for p in org.people} | {d.id for d in org.departments}
            subjects |= {p.id for p in org.posts} | {r.id for r in risks.risk_points}
            check_records(records, subjects, problems)
        raise InputError(problems)
    workspace = Workspace(
        root=root, config=config, org=org, risks=risks, records=records, notices=notices, counted=counted
    )
    workspace.records[:] = check_records(records, workspace.subject_ids(), problems, names)
    if problems:
        raise InputError(problems)
    return workspace


class _BulkRefused(Exception):
    """Something in the records needs the row path's exact messages."""


def _read_records_in_bulk(
    root: Path,
    known_kinds: set[str],
    counting: Counting,
    subjects: set[str],
    people: set[str],
    problems: list[InputProblem],
    notices: list[Notice],
    ahead: Prefetch | None = None,
) -> tuple[list[Record], CountedEntries]:
    """Read records with large files as columns (``models.bulk``); on any problem read them
    all again row by row, so the problems reported are exactly the row path's."""
    bulk = BulkState()
    before = len(problems)
    try:
        records = read_records(root / "records", root, known_kinds, problems, notices, bulk, counting, ahead)
        if bulk.ids and (
            len(problems) > before
            or bulk.subjects - subjects
            or bulk.bys - people - {""}
            or not ids_unique(bulk, bulk.row_ids)
        ):
            raise _BulkRefused
        return records, bulk.counted
    except _BulkRefused:
        del problems[before:]
        notices.clear()
        return read_records(root / "records", root, known_kinds, problems, notices), CountedEntries()
