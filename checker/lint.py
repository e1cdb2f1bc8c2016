"""``lianfang lint``: what the schema cannot see in a rule pack and a workspace.

The pack: dates that do not exist (06-31), windows that close before they open, a due date
before that of a step it depends on (a rule's ``after``), prerequisites that are unknown or
circular. The source's own dates, kept under ``transcribed`` where the pack corrects them,
are checked the same way and reported as information citing the clause (SPEC §2, the notes
under the S table). The workspace: subjects no rule covers, leaders, departments and posts
left ungraded, departments without a head or a leader in charge, a key-post count that does
not match ``key_post_count``, and dates in its YAML files that do not exist.

Rule files are read leniently (schema first, dates afterwards), so that a date such as 06-31,
which stops ``check``, is a lint finding naming the file, the line and the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import yaml

from lianfang.checker.facts import period_mismatches
from lianfang.checker.findings import Severity
from lianfang.checker.labels import LEVEL_LABELS, SEVERITY_LABELS
from lianfang.checker.messages import period_mismatch_message
from lianfang.checker.obligations import expand
from lianfang.checker.report.locations import cwd_path
from lianfang.models import yaml_safe
from lianfang.models.config import Config, Params
from lianfang.models.errors import InputError, InputProblem
from lianfang.models.workspace import Workspace, _read_text, _validate, load_workspace, read_yaml
from lianfang.models.yaml_dates import impossible_dates
from lianfang.rules.catalogue import FAMILY_ORDER, SHIPPED_PACK, Catalogue, read_rule_files, resolve_int
from lianfang.rules.schema import Rule
from lianfang.rules.vocabulary import check_rule

#: lint checks: code → (name, title zh, title en); L1xx the pack, L2xx the workspace
CHECKS: dict[str, tuple[str, str, str]] = {
    "L101": ("date.not-real", "日期不存在", "date does not exist"),
    "L102": ("window.reversed", "时间窗口结束早于开始", "window closes before it opens"),
    "L103": ("order.due-before-prerequisite", "截止日期早于前置步骤", "due before a step it depends on"),
    "L104": ("order.unknown-prerequisite", "前置步骤不存在", "unknown prerequisite"),
    "L105": ("order.cycle", "前置步骤循环", "prerequisites form a cycle"),
    "L106": ("override.unknown-rule", "覆盖了不存在的规则", "override of an unknown rule"),
    "L107": ("rule.invalid", "规则引用了不存在的事实、字段或规则", "rule refers to something that does not exist"),
    "L201": ("subject.uncovered", "没有规则适用的对象", "subject no rule covers"),
    "L202": ("grading.missing", "未划分风险等级", "left ungraded"),
    "L203": ("department.no-head", "部室缺负责人或分管领导", "department without a head or leader in charge"),
    "L204": ("key-posts.count", "重点岗位、部室数量不符", "key-post count does not match"),
    "L205": ("workspace.date-not-real", "工作区文件中的日期不存在", "date in a workspace file does not exist"),
    "L206": ("record.period-granularity", "记录的期间粒度与规则不符", "record period of the wrong granularity"),
}
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
LEAP_YEAR = 2024  # a pack is year-independent: 02-29 is a real month-day somewhere


@dataclass(frozen=True)
class LintFinding:
    """One lint result: a small immutable value with code, place, message and level."""

    code: str
    severity: Severity
    file: str
    line: int
    message: str
    rule: str | None = None
    subject: str | None = None
    #: the clause of the source the rule or data comes from
    clause: str = ""
    #: the rule's own explanation (a transcription's note)
    note: str = ""
    #: about the source document's literal date, not the date in force
    transcribed: bool = False

    @property
    def name(self) -> str:
        return CHECKS[self.code][0]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "subject": self.subject,
            "message": self.message,
            "clause": self.clause,
            "note": self.note,
            "transcribed": self.transcribed,
        }


@dataclass
class LintResult:
    """Everything lint found, most severe first."""

    pack: str
    workspace: str | None
    lang: str
    findings: list[LintFinding] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        counts = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in self.findings:
            counts[f.severity.value] += 1
        return {"pack": self.pack, "workspace": self.workspace, "by_severity": counts}


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class PackRule:
    """A rule as read from its file, with the lines of the keys lint talks about."""

    rule: Rule
    file: str
    line: int
    key_lines: dict[str, int]
    #: the rule as the pack wrote it, when a workspace override replaced its dates: the
    #: source's own (transcribed) dates are the pack's business, reported at the pack's lines
    pack: PackRule | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _rule_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """For every ``- code:`` item of ``rules:``: its line and the lines of its keys."""
    root = yaml_safe.compose_or_none(text)
    out: dict[str, tuple[int, dict[str, int]]] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if key.value != "rules" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            keys = {k.value: k.start_mark.line + 1 for k, _ in item.value}
            code = next((v.value for k, v in item.value if k.value == "code" and isinstance(v, yaml.ScalarNode)), None)
            if code is not None:
                out[str(code)] = (item.start_mark.line + 1, keys)
    return out


def read_pack(pack: Path) -> list[PackRule]:
    """Every rule of every file of ``pack``, schema-validated; dates are not judged here."""
    problems: list[InputProblem] = []
    out: list[PackRule] = []
    for path, display, rule_file in read_rule_files(pack, problems, display=cwd_path):
        text = _read_text(path, display, problems) or ""
        lines = _rule_lines(text)
        for rule in rule_file.rules:
            line, keys = lines.get(rule.code, (1, {}))
            out.append(PackRule(rule, display, line, keys))
    if problems:
        raise InputError(problems)
    return out


# ------------------------------------------------------------------------------ words

WORDS = {
    "zh": {
        "not_month_day": "{code} 的 {key} “{value}” 不是 MM-DD 形式的月日",
        "not_real": "{code} 的 {key} “{value}” 不是真实日期（{month} 月没有 {day} 日）",
        "not_real_year": "{code} 的 {key} “{value}” 在 {year} 年不是真实日期",
        "reversed": "{code} 的时间窗口 {opens}..{due} 结束早于开始",
        "before": "{code} 的时限 {due} 早于其前置步骤 {prereq}（{title}）的截止日期 {prereq_due}",
        "unknown": "{code} 的前置步骤 “{prereq}” 不在规则包中",
        "cycle": "前置步骤构成循环：{cycle}",
        "override": "lianfang.yaml 覆盖了不存在的规则 “{code}”",
        "source": "原文：",
        "pack_uses": "；规则包采用 {value}",
        "uncovered": "{kind} {name}（{id}）没有任何规则适用{why}",
        "inactive": "：其任职期间不在 {year} 年内",
        "ungraded": "{kind} {name}（{id}）没有风险等级：risks.yaml 的 gradings 中没有它（G303、S111 会报告）{extra}",
        "in_group": "；{who}是领导小组成员",
        "head_in_group": "；其负责人 {head} 是领导小组成员",
        "no_head": "部室 {name}（{id}{level}）没有负责人：org.yaml 中 head 为空，其岗位和部室的结果无人直接负责（T501 会报告）",
        "no_lic": "部室 {name}（{id}{level}）没有分管领导：org.yaml 中 leader_in_charge 为空（T501 会报告）",
        "key_count": "重点中层岗位、部室共 {count} 个（岗位 {posts}、部室 {depts}），应为 key_post_count = {expected} 个（G304 会报告）",
        "bad_date": "“{value}” 不是真实日期（键 {key}）",
        "leader": "会领导",
        "department": "部室",
        "post": "岗位",
        "person": "人员",
        "risk_point": "风险点",
        "level": "，{level}",
    },
    "en": {
        "not_month_day": '{code}: {key} "{value}" is not a month-day in the form MM-DD',
        "not_real": '{code}: {key} "{value}" is not a real date (month {month} has no day {day})',
        "not_real_year": '{code}: {key} "{value}" is not a real date in {year}',
        "reversed": "{code}: the window {opens}..{due} closes before it opens",
        "before": "{code}: due {due}, before its prerequisite {prereq} ({title}), due {prereq_due}",
        "unknown": '{code}: prerequisite "{prereq}" is not in the rule pack',
        "cycle": "prerequisites form a cycle: {cycle}",
        "override": 'lianfang.yaml overrides the unknown rule "{code}"',
        "source": "the source: ",
        "pack_uses": "; the pack uses {value}",
        "uncovered": "{kind} {name} ({id}) is covered by no rule{why}",
        "inactive": ": not in office during {year}",
        "ungraded": "{kind} {name} ({id}) has no risk level: risks.yaml has no grading for it (G303 and S111 report it){extra}",
        "in_group": "; {who} is a member of the leading group",
        "head_in_group": "; its head {head} is a member of the leading group",
        "no_head": "department {name} ({id}{level}) has no head: head is empty in org.yaml, so nobody answers directly for it and its posts (T501 reports it)",
        "no_lic": "department {name} ({id}{level}) has no leader in charge: leader_in_charge is empty in org.yaml (T501 reports it)",
        "key_count": "{count} key posts and departments ({posts} posts, {depts} departments); key_post_count is {expected} (G304 reports it)",
        "bad_date": '"{value}" is not a real date (key {key})',
        "leader": "leader",
        "department": "department",
        "post": "post",
        "person": "person",
        "risk_point": "risk point",
        "level": ", {level}",
    },
}


# ------------------------------------------------------------------------------- pack


def _month_day(value: str) -> tuple[int, int] | None:
    match = MONTH_DAY.match(value)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _date_problem(code: str, key: str, value: str, year: int | None, words: dict[str, str]) -> str | None:
    """Why ``value`` is not a real month-day (in ``year`` if given), or None."""
    md = _month_day(value)
    if md is None:
        return words["not_month_day"].format(code=code, key=key, value=value)
    try:
        date(LEAP_YEAR, md[0], md[1])
    except ValueError:
        return words["not_real"].format(code=code, key=key, value=value, month=md[0], day=md[1])
    if year is not None:
        try:
            date(year, md[0], md[1])
        except ValueError:
            return words["not_real_year"].format(code=code, key=key, value=value, year=year)
    return None


@dataclass
class _Dates:
    """A rule's window as one reading has it: the pack's dates or the source's literal ones."""

    opens: str | None
    due: str | None


def _lint_dates(
    item: PackRule,
    dates: _Dates,
    dates_of: dict[str, _Dates],
    rules: dict[str, PackRule],
    params: Params,
    year: int | None,
    lang: str,
    severity: Severity,
    transcribed: bool,
    file: str | None = None,
    line: int | None = None,
) -> list[LintFinding]:
    """L101–L103 for one rule under one reading of the dates."""
    words = WORDS[lang]
    rule = item.rule
    where_file = file or item.file
    out: list[LintFinding] = []
    note = rule.transcribed.note.get(lang) if (transcribed and rule.transcribed) else ""

    def add(code: str, message: str, key: str) -> None:
        at = item
        if transcribed:
            at = item.pack or item
            pack_rule = at.rule
            pack_value = (
                f"{pack_rule.opens}..{pack_rule.due}"
                if pack_rule.opens and pack_rule.due
                else (pack_rule.due or pack_rule.opens)
            )
            message = words["source"] + message
            if pack_value:
                message += words["pack_uses"].format(value=pack_value)
        out.append(
            LintFinding(
                code,
                severity,
                at.file if transcribed else where_file,
                line or at.line_of("transcribed" if transcribed else key),
                message,
                rule=rule.code,
                clause=rule.source,
                note=note,
                transcribed=transcribed,
            )
        )

    valid: dict[str, tuple[int, int]] = {}
    for key in ("opens", "due"):
        value = getattr(dates, key)
        if value is None:
            continue
        problem = _date_problem(rule.code, key, value, year, words)
        if problem:
            add("L101", problem, key)
        md = _month_day(value)
        if md is not None:
            valid[key] = md  # an impossible 06-31 still orders correctly against 06-30
    if "opens" in valid and "due" in valid and valid["opens"] > valid["due"]:
        add("L102", words["reversed"].format(code=rule.code, opens=dates.opens, due=dates.due), "opens")
    for prereq_code in rule.after:
        prereq = rules.get(prereq_code)
        if prereq is None:
            continue  # L104, reported once for the pack's own reading
        before = _due_before(item, dates, prereq, dates_of[prereq_code], params)
        if before:
            title = prereq.rule.title.get(lang)
            # a window is named whole: "04-26..04-29", as the source's table gives it
            due = f"{dates.opens}..{before[0]}" if dates.opens and dates.due else before[0]
            message = words["before"].format(
                code=rule.code, due=due, prereq=prereq_code, title=title, prereq_due=before[1]
            )
            add("L103", message, "due")
    return out


def _due_before(
    item: PackRule, dates: _Dates, prereq: PackRule, prereq_dates: _Dates, params: Params
) -> tuple[str, str] | None:
    """(due, prerequisite's due) when the rule falls due before its prerequisite, else None."""
    if dates.due is not None and prereq_dates.due is not None:
        mine, theirs = _month_day(dates.due), _month_day(prereq_dates.due)
        if mine is not None and theirs is not None and mine < theirs:
            return dates.due, prereq_dates.due
        return None
    rule, other = item.rule, prereq.rule
    if (
        dates.due is None
        and prereq_dates.due is None
        and rule.period
        and rule.period == other.period
        and rule.period != "event"
    ):
        # recurring rules of the same period: compare the days after the period's end
        mine_days = resolve_int(rule.due_offset_days, params)
        their_days = resolve_int(other.due_offset_days, params)
        if mine_days < their_days:
            return f"+{mine_days}d", f"+{their_days}d"
    return None


def lint_pack(
    items: list[PackRule], lang: str, params: Params | None = None, year: int | None = None
) -> list[LintFinding]:
    """L101–L105 on the dates in force, and on the source's transcribed dates as information;
    L107 for what a rule names that does not exist (the check refuses such a pack)."""
    params = params or Params()
    words = WORDS[lang]
    rules = {i.rule.code: i for i in items}
    in_force = {code: _Dates(i.rule.opens, i.rule.due) for code, i in rules.items()}
    source = {
        code: _Dates(
            (i.rule.transcribed.opens or i.rule.opens) if i.rule.transcribed else i.rule.opens,
            (i.rule.transcribed.due or i.rule.due) if i.rule.transcribed else i.rule.due,
        )
        for code, i in rules.items()
    }
    out: list[LintFinding] = []
    for code, item in rules.items():
        out += _lint_dates(item, in_force[code], in_force, rules, params, year, lang, Severity.ERROR, False)
        t = item.rule.transcribed
        if (
            t is not None
            and (t.opens, t.due) != (None, None)
            and ((t.opens or item.rule.opens) != item.rule.opens or (t.due or item.rule.due) != item.rule.due)
        ):
            # the source's literal dates, against the source's dates of the prerequisites
            out += _lint_dates(item, source[code], source, rules, params, None, lang, Severity.INFO, True)
        for key, problem in check_rule(item.rule, rules):
            out.append(
                LintFinding(
                    "L107",
                    Severity.ERROR,
                    item.file,
                    item.line_of(key.split(".")[0].split("[")[0]),
                    f"{code}.{key}: {problem}",
                    rule=code,
                    clause=item.rule.source,
                )
            )
        for prereq in item.rule.after:
            if prereq not in rules:
                out.append(
                    LintFinding(
                        "L104",
                        Severity.ERROR,
                        item.file,
                        item.line_of("after"),
                        words["unknown"].format(code=code, prereq=prereq),
                        rule=code,
                        clause=item.rule.source,
                    )
                )
    graph = {code: [p for p in i.rule.after if p in rules] for code, i in rules.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = [str(c) for c in exc.args[1]]
        first = rules[cycle[0]]
        out.append(
            LintFinding(
                "L105",
                Severity.ERROR,
                first.file,
                first.line_of("after"),
                words["cycle"].format(cycle=" → ".join(cycle)),
                rule=cycle[0],
                clause=first.rule.source,
            )
        )
    return out


# -------------------------------------------------------------------------- workspace


def _override_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """Lines of ``rules.CODE`` in lianfang.yaml and of its keys."""
    root = yaml_safe.compose_or_none(text)
    out: dict[str, tuple[int, dict[str, int]]] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "rules" and isinstance(value, yaml.MappingNode):
                for code_node, body in value.value:
                    keys = (
                        {k.value: k.start_mark.line + 1 for k, _ in body.value}
                        if isinstance(body, yaml.MappingNode)
                        else {}
                    )
                    out[str(code_node.value)] = (code_node.start_mark.line + 1, keys)
    return out


def apply_overrides(
    items: list[PackRule], config: Config, text: str, config_file: str, lang: str
) -> tuple[list[PackRule], list[LintFinding]]:
    """The rules in force for the workspace: disabled ones dropped, dates and severity replaced.

    Overridden dates are attributed to lianfang.yaml, where the user wrote them.
    """
    words = WORDS[lang]
    lines = _override_lines(text)
    by_code = {i.rule.code: i for i in items}
    findings: list[LintFinding] = []
    for code, override in config.rules.items():
        line, keys = lines.get(code, (1, {}))
        if code not in by_code:
            findings.append(
                LintFinding("L106", Severity.ERROR, config_file, line, words["override"].format(code=code), rule=code)
            )
            continue
        update = {k: v for k, v in override.model_dump().items() if k in ("opens", "due", "severity") and v is not None}
        if not override.enabled:
            del by_code[code]
        elif update:
            item = by_code[code]
            keys_here = {k: keys.get(k, line) for k in update}
            by_code[code] = PackRule(
                item.rule.model_copy(update=update),
                config_file,
                line,
                {**item.key_lines, **keys_here},
                pack=item.pack or item,
            )
    return list(by_code.values()), findings


def _covered(catalogue: Catalogue, ws: Workspace, year: int) -> set[str]:
    """Subjects some rule applies to: those of an obligation, or of a register check's facts."""
    covered = {o.subject for o in expand(catalogue, ws, date(year + 1, 12, 31))}
    types: set[str] = set()
    for rule in catalogue.rules:
        if rule.check is None:
            continue
        first = rule.check.match[0]
        if first.fact == "subject":
            alternatives = first.any or [first.where]
            types |= {str(a.get("type")) for a in alternatives if "type" in a} or {
                "post",
                "department",
                "leader",
                "unit",
            }
        else:
            types.add(first.fact)
    if "post" in types:
        covered |= set(ws.posts)
    if "department" in types:
        covered |= set(ws.departments)
    if "leader" in types:
        covered |= {p.id for p in ws.leaders}
    if "risk_point" in types:
        covered |= set(ws.risk_points)
    if "unit" in types:
        covered.add(ws.unit_id)
    return covered


def lint_workspace(ws: Workspace, catalogue: Catalogue, lang: str) -> list[LintFinding]:
    """L201–L204, L206: coverage, gradings, department heads, the key-post count, and
    records whose period has the wrong granularity."""
    words = WORDS[lang]
    year = ws.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: list[LintFinding] = []

    def where(subject: str) -> tuple[str, int]:
        loc = ws.locations.get(subject)
        return (cwd_path(ws.root / loc.file), loc.line) if loc else (cwd_path(ws.root / "org.yaml"), 1)

    def clause(code: str) -> str:
        rule = catalogue.get(code)
        return rule.source if rule else ""

    covered = _covered(catalogue, ws, year)
    kinds = [("person", p.id, p.name) for p in ws.org.people]
    kinds += [("department", d.id, d.name) for d in ws.org.departments]
    kinds += [("post", p.id, p.name) for p in ws.org.posts]
    kinds += [("risk_point", r.id, r.description or r.id) for r in ws.risks.risk_points]
    for kind, sid, name in kinds:
        if sid in covered:
            continue
        why = ""
        if kind == "person" and not ws.people[sid].active_during(start, end):
            why = words["inactive"].format(year=year)
        file, line = where(sid)
        message = words["uncovered"].format(kind=words[kind], name=name, id=sid, why=why)
        out.append(LintFinding("L201", Severity.WARNING, file, line, message, subject=sid))

    group = set(ws.org.unit.leading_group)
    levels = LEVEL_LABELS[lang]
    graded_kinds = [("leader", p.id, p.name) for p in ws.leaders if p.active_during(start, end)]
    graded_kinds += [("department", d.id, d.name) for d in ws.org.departments]
    graded_kinds += [("post", p.id, p.name) for p in ws.org.posts]
    for kind, sid, name in graded_kinds:
        if sid in ws.gradings:
            continue
        extra = ""
        if kind == "leader" and sid in group:
            extra = words["in_group"].format(who=name)
        if kind == "department":
            head = ws.departments[sid].head
            if head and head in group:
                extra = words["head_in_group"].format(head=ws.people[head].name)
        file, line = where(sid)
        message = words["ungraded"].format(kind=words[kind], name=name, id=sid, extra=extra)
        out.append(
            LintFinding("L202", Severity.WARNING, file, line, message, rule="G303", subject=sid, clause=clause("G303"))
        )

    for d in ws.org.departments:
        grading = ws.gradings.get(d.id)
        level = words["level"].format(level=levels[grading.level]) if grading else ""
        file, line = where(d.id)
        for missing, key in ((not d.head, "no_head"), (not d.leader_in_charge, "no_lic")):
            if missing:
                message = words[key].format(name=d.name, id=d.id, level=level)
                out.append(
                    LintFinding(
                        "L203", Severity.WARNING, file, line, message, rule="T501", subject=d.id, clause=clause("T501")
                    )
                )

    # SPEC §3.1 point 1: such a record matches nothing; the check warns about it too
    for mismatch in period_mismatches(catalogue, ws):
        message = period_mismatch_message(lang, mismatch)
        out.append(LintFinding("L206", Severity.WARNING, cwd_path(ws.root / mismatch.file), mismatch.line, message))

    posts = sum(1 for p in ws.org.posts if p.key)
    depts = sum(1 for d in ws.org.departments if d.key)
    expected = ws.config.params.key_post_count
    if posts + depts != expected:
        message = words["key_count"].format(count=posts + depts, posts=posts, depts=depts, expected=expected)
        out.append(
            LintFinding(
                "L204", Severity.WARNING, cwd_path(ws.root / "org.yaml"), 1, message, rule="G304", clause=clause("G304")
            )
        )
    return out


def _bad_dates(root: Path, names: list[str], lang: str) -> list[LintFinding]:
    words = WORDS[lang]
    out = []
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        for bad in impossible_dates(text):
            message = words["bad_date"].format(value=bad.value, key=bad.key)
            out.append(LintFinding("L205", Severity.ERROR, cwd_path(path), bad.line, message))
    return out


# -------------------------------------------------------------------------------- run


def lint(workspace: Path | None, pack: Path | None = None, lang: str = "zh") -> LintResult:
    """Lint a rule pack (the workspace's, ``pack``, or the shipped one) and the workspace.

    Raises ``InputError`` for what is bad input rather than a lint finding: a file that is
    not valid YAML or does not fit the schema.
    """
    findings: list[LintFinding] = []
    config: Config | None = None
    config_text = ""
    if workspace is not None:
        if not Path(workspace).is_dir():
            raise InputError(
                [
                    InputProblem(
                        str(workspace), "", "workspace folder not found; pass the folder that holds lianfang.yaml"
                    )
                ]
            )
        findings += _bad_dates(workspace, ["lianfang.yaml", "org.yaml", "risks.yaml", "waivers.yaml"], lang)
        if any(f.file.endswith("lianfang.yaml") for f in findings):
            return LintResult(str(pack or SHIPPED_PACK), str(workspace), lang, _sorted(findings))
        problems: list[InputProblem] = []
        data = read_yaml(workspace / "lianfang.yaml", "lianfang.yaml", problems, workspace)
        config = _validate(Config, data, "lianfang.yaml", problems) if data is not None else None
        if config is None:
            raise InputError(problems)
        config_text = (workspace / "lianfang.yaml").read_bytes().decode("utf-8-sig", errors="replace")
        if pack is None and config.rule_pack:
            pack = workspace / config.rule_pack
    pack = pack or SHIPPED_PACK
    items = read_pack(pack)
    result = LintResult(str(pack), str(workspace) if workspace else None, lang)
    if config is not None:
        assert workspace is not None
        items, override_findings = apply_overrides(
            items, config, config_text, cwd_path(workspace / "lianfang.yaml"), lang
        )
        findings += override_findings
    findings += lint_pack(items, lang, config.params if config else None, config.year if config else None)
    if workspace is not None and config is not None and not any(f.code == "L205" for f in findings):
        broken = {f.rule for f in findings if f.code == "L101" and not f.transcribed}
        usable = tuple(
            sorted(
                (i.rule for i in items if i.rule.code not in broken),
                key=lambda r: (FAMILY_ORDER.index(r.code[0]), r.code),
            )
        )
        catalogue = Catalogue(usable, {})
        ws = load_workspace(workspace, catalogue.evidence_kinds(), config)
        findings += lint_workspace(ws, catalogue, lang)
    result.findings = _sorted(findings)
    return result


def _sorted(findings: list[LintFinding]) -> list[LintFinding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.file, f.line, f.code))


# ------------------------------------------------------------------------------ output


def render_text(result: LintResult) -> str:
    """``file:line: CODE level message``, then the clause and note indented, then a count."""
    lang = result.lang
    labels = SEVERITY_LABELS[lang]
    lines = []
    for f in result.findings:
        head = f"{f.file}:{f.line}: {f.code} [{labels[f.severity.value]}] {f.message}"
        lines.append(head)
        if f.clause:
            lines.append(f"    {'出处' if lang == 'zh' else 'source'}: {f.clause}")
        if f.note:
            lines.append(f"    {'说明' if lang == 'zh' else 'note'}: {f.note.strip()}")
    counts = result.summary()["by_severity"]
    if lang == "zh":
        lines.append(f"lint：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    else:
        lines.append(f"lint: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines) + "\n"


def as_json(result: LintResult) -> dict[str, Any]:
    return {
        "tool": "lianfang",
        "command": "lint",
        "summary": result.summary(),
        "findings": [f.to_json() for f in result.findings],
    }
