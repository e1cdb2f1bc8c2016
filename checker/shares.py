"""Stages 4 to 7 for every obligation — match, status and words, escalation — in this process
or, for a large check, in shares of the subjects evaluated side by side in forked processes.

What one subject owes is decided without looking at another subject's obligations: its
evidence is matched by keys naming it, its misses escalate by its own consecutive periods, its
chain was computed before. So a large check splits its subjects into one share per CPU
(balanced by their obligations). This process does what needs no share (the register checks)
and then the first share; each other share runs in a forked process of its own, which sees the
workspace, the obligations, the evidence and the chains through the fork and sends back only
its findings, encoded as one UTF-8 text of fields (``encode``: a fraction of pickling them).
Inside a share the engine runs in that process (``engine.in_this_process``): the shares keep
every CPU busy. The findings are put back in the obligations' order: the result is the one
process's, byte for byte (the tests compare both ways).

Measured on a city (10,000 people, 185k obligations, 2 CPUs): these stages took ~10.5 s in
one process (with the engine in forked workers); in two shares ~7.5 s.

A share whose process dies (a signal: a crash of the engine) is run once more in a new one;
a second failure, or an error inside a share, fails the check with ``EngineError`` (exit 3).
``LIANFANG_SHARES_MIN=N`` sets how many obligations make a check large.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import selectors
import struct
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from lianfang.checker import engine
from lianfang.checker.chain import Chains
from lianfang.checker.engine import EngineError
from lianfang.checker.findings import Finding, Severity, Status
from lianfang.checker.stages.escalation import escalate
from lianfang.checker.stages.evidence import EvidenceSet
from lianfang.checker.stages.match import match
from lianfang.checker.stages.obligations import Obligation
from lianfang.checker.stages.status import FindingMaker, obligation_findings
from lianfang.models.collector import collector_paused
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue

#: a check with at least this many obligations is split into shares (where it can fork): a
#: unit of ~1,500 people and more; ``LIANFANG_SHARES_MIN`` overrides it
SHARES_MIN_OBLIGATIONS = 20_000

T = TypeVar("T")


@dataclass
class Context:
    """What every share needs besides its obligations (seen through the fork)."""

    catalogue: Catalogue
    evidence: EvidenceSet
    ws: Workspace
    as_of: date
    lang: str
    horizon: int
    chains: Chains


def decide_here(obligations: list[Obligation], c: Context) -> tuple[list[Finding], list[Finding]]:
    """The findings of ``obligations`` in their order (escalated ones amended), and those of the
    accountability actions escalation adds."""
    pairs = obligation_findings(
        obligations, match(obligations, c.evidence), c.evidence, c.ws, c.as_of, c.lang, c.horizon, c.chains
    )
    findings = [f for _, f in pairs]
    for rule in c.catalogue.rules:
        if rule.type == "escalation":  # T502, or any escalation rule of a custom pack
            findings = escalate(rule, pairs, findings, c.evidence, c.ws, c.as_of, c.lang, c.horizon, c.chains)
    return findings[: len(pairs)], findings[len(pairs) :]


def decide(obligations: list[Obligation], c: Context, meanwhile: Callable[[], T]) -> tuple[list[Finding], T]:
    """Every finding ``decide_here`` gives (the obligations' in order, then the actions'), and
    ``meanwhile()``, run while the shares are evaluated."""
    shares = share_count(len(obligations))
    if shares < 2:
        found, actions = decide_here(obligations, c)
        return found + actions, meanwhile()
    positions = split(obligations, shares)
    running = _Shares(obligations, positions, c)
    try:
        running.start(list(range(1, shares)))
        with engine.in_this_process():
            other = meanwhile()
            # (what it makes lives on until the output is written: nothing for the collector)
            with collector_paused(freeze=True):
                answers = [decide_here([obligations[p] for p in positions[0]], c)]
        answers += running.collect()
    finally:
        running.stop()
    ordered: list[Finding | None] = [None] * len(obligations)
    actions = []
    for places, (found, acted) in zip(positions, answers, strict=True):
        for place, finding in zip(places, found, strict=True):
            ordered[place] = finding
        actions += acted
    assert all(f is not None for f in ordered)
    return [f for f in ordered if f is not None] + actions, other


def share_count(obligations: int) -> int:
    configured = os.environ.get("LIANFANG_SHARES_MIN", "").strip()
    least = int(configured) if configured.isdigit() else SHARES_MIN_OBLIGATIONS
    if not hasattr(os, "fork") or obligations < max(least, 2):
        return 1
    return min(engine.processes(), obligations)


def split(obligations: list[Obligation], shares: int) -> list[list[int]]:
    """The positions of the obligations of each share: every obligation of a subject in one
    share, the subjects given, most obligations first, to the share with fewest so far."""
    owed = Counter(o.subject for o in obligations)
    load = [0] * shares
    share_of: dict[str, int] = {}
    for subject, count in sorted(owed.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(range(shares), key=load.__getitem__)
        share_of[subject] = lightest
        load[lightest] += count
    positions: list[list[int]] = [[] for _ in range(shares)]
    for position, o in enumerate(obligations):
        positions[share_of[o.subject]].append(position)
    return positions


# --------------------------------------------------------------------------- the processes

#: processes forked for shares so far (for tests)
PROCESSES_STARTED = 0
#: an answer: ok (0) or failed (1), then for ok the sizes of the two encoded lists
_HEAD = struct.Struct("<BQQ")


class _Shares:
    def __init__(self, obligations: list[Obligation], positions: list[list[int]], c: Context) -> None:
        self.obligations = obligations
        self.positions = positions
        self.context = c
        self.attempts = [0] * len(positions)
        self.pids: dict[int, int] = {}  # share -> pid of the process evaluating it
        self.pipes: dict[int, int] = {}  # read end -> share
        self.buffers: dict[int, bytearray] = {}
        self.answers: dict[int, tuple[list[Finding], list[Finding]]] = {}
        self.selector = selectors.DefaultSelector()

    def maker(self) -> FindingMaker:
        """The same on both sides of the fork: it makes a finding from its obligation."""
        c = self.context
        return FindingMaker(c.ws, c.lang, c.chains)

    def start(self, shares: list[int]) -> None:
        # imported before forking, or each share would import them again
        engine._native()
        global PROCESSES_STARTED
        for share in shares:
            self.attempts[share] += 1
            PROCESSES_STARTED += 1
            read, write = os.pipe()
            pid = engine._fork()
            if pid == 0:  # the share's process: never returns
                os.close(read)
                for fd in self.pipes:  # its siblings' pipes are not its own
                    os.close(fd)
                self._run(share, write)
            os.close(write)
            self.pids[share] = pid
            self.pipes[read] = share
            self.buffers[read] = bytearray()
            self.selector.register(read, selectors.EVENT_READ)

    def _run(self, share: int, out: int) -> None:
        """In the share's process: decide its obligations, write the answer, leave."""
        code = 0
        try:
            gc.disable()  # it lives for one share; the collector would only touch shared pages
            mine = [self.obligations[p] for p in self.positions[share]]
            with engine.in_this_process():
                found, actions = decide_here(mine, self.context)
            first, second = encode(found, mine, self.maker()), encode(actions)
            data = _HEAD.pack(0, len(first), len(second)) + first + second
        except BaseException as exc:  # reported to the parent, never raised in a forked copy
            data = _HEAD.pack(1, 0, 0) + repr(exc).encode("utf-8", "replace")
            code = 1
        try:
            engine._write_all(out, data)
        except BaseException:
            code = 2
        os._exit(code)

    def collect(self) -> list[tuple[list[Finding], list[Finding]]]:
        """Read every share's answer as it comes; a share whose process died is run again once."""
        while self.pipes:
            for key, _ in self.selector.select():
                fd = int(key.fd)
                piece = os.read(fd, 1 << 20)
                if piece:
                    self.buffers[fd] += piece
                else:
                    self._ended(fd)
        return [self.answers[share] for share in range(1, len(self.positions))]

    def _ended(self, fd: int) -> None:
        share = self.pipes.pop(fd)
        self.selector.unregister(fd)
        os.close(fd)
        data = self.buffers.pop(fd)
        _, status = os.waitpid(self.pids.pop(share), 0)
        if len(data) >= _HEAD.size:
            failed, first, second = _HEAD.unpack_from(data)
            if failed:
                raise EngineError(f"a share of the check failed: {data[_HEAD.size :].decode('utf-8', 'replace')}")
            if len(data) == _HEAD.size + first + second:
                body = memoryview(data)[_HEAD.size :]
                # the findings live on until the output is written: the collector need not scan them
                mine = [self.obligations[p] for p in self.positions[share]]
                with collector_paused(freeze=True):
                    self.answers[share] = (decode(body[:first], mine, self.maker()), decode(body[first:]))
                return
        if self.attempts[share] >= 2:
            why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
            raise EngineError(f"a share of the check failed twice ({why})")
        self.start([share])  # a crash (of the engine): that share once more

    def stop(self) -> None:
        """Finished, an error or Ctrl-C: no share's process outlives the check."""
        for fd in list(self.pipes):
            with contextlib.suppress(OSError):
                os.close(fd)
        for pid in self.pids.values():
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.pids.clear()
        self.pipes.clear()
        self.selector.close()


# ------------------------------------------------------------------- findings as text

_FIELD, _ITEM, _NONE = "\x1f", "\x1e", "\x1d"
_TEXT, _PICKLED = b"t", b"p"
#: a finding written whole: its fields in ``Finding``'s order (``waiver`` is set later, by
#: the waivers stage)
_WHOLE = "f"
#: a finding written by what was decided about its obligation (``FindingMaker.make`` makes the rest)
_DECIDED = "d"
_WHOLE_WIDTH, _DECIDED_WIDTH = 16, 6


def encode(
    findings: list[Finding], obligations: list[Obligation] | None = None, maker: FindingMaker | None = None
) -> bytes:
    """Findings as one UTF-8 text; with ``obligations`` (one per finding) and a ``maker``, a
    finding ``maker`` would make alike from its obligation is written as what was decided
    (status, words, evidence, and its chain when escalation changed it), any other whole.

    Fields are apart by U+001F, a tuple's items by U+001E, an absent value (None, an empty
    tuple, an unchanged chain) is U+001D. If any text holds one of those characters (the
    readers refuse control characters, but a rule pack's words are not read so), the findings
    are pickled instead."""
    parts: list[str] = []
    items = nones = 0
    days: dict[date, str] = {}
    for position, f in enumerate(findings):
        if f.waiver is not None:
            return _PICKLED + pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
        evidence = _ITEM.join(f.evidence) if f.evidence else _NONE
        items += max(len(f.evidence) - 1, 0)
        nones += not f.evidence
        if obligations is not None and maker is not None:
            o = obligations[position]
            if not o.unknown and _as_made(f, o, maker):
                chain = maker.subject(o.subject)[2]
                accountable = _NONE
                if f.accountable != chain:
                    accountable = _ITEM.join(f.accountable)
                    items += max(len(f.accountable) - 1, 0)
                nones += accountable == _NONE
                parts += (_DECIDED, f.status, f.message, f.detail, evidence, accountable)
                continue
        due = _NONE
        if f.due is not None:
            due = days.get(f.due) or days.setdefault(f.due, f.due.isoformat())
        accountable = _ITEM.join(f.accountable) if f.accountable else _NONE
        items += max(len(f.accountable) - 1, 0)
        department, period, trigger = f.department, f.period, f.trigger
        nones += (department is None) + (period is None) + (f.due is None) + (not f.accountable) + (trigger is None)
        parts += (
            _WHOLE,
            f.rule,
            f.status,
            f.severity,
            f.subject,
            f.subject_name,
            _NONE if department is None else department,
            _NONE if period is None else period,
            due,
            evidence,
            accountable,
            f.source,
            f.message,
            f.title,
            _NONE if trigger is None else trigger,
            f.detail,
        )
    text = _FIELD.join(parts)
    if (text.count(_FIELD), text.count(_ITEM), text.count(_NONE)) != (max(len(parts) - 1, 0), items, nones):
        return _PICKLED + pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
    return _TEXT + text.encode("utf-8")


def _as_made(f: Finding, o: Obligation, maker: FindingMaker) -> bool:
    """Whether ``maker`` makes every field of ``f`` but the decided ones from ``o``."""
    rule = maker.rule(o)
    name, department, _ = maker.subject(o.subject)
    return (
        f.rule == rule.code
        and f.severity == rule.severity[f.status]
        and f.subject == o.subject
        and f.subject_name == name
        and f.department == department
        and f.period == (o.period.label if o.period else None)
        and f.due == o.due
        and f.source == rule.source
        and f.title == rule.title
        and f.trigger == o.trigger
    )


def decode(
    data: bytes | memoryview, obligations: list[Obligation] | None = None, maker: FindingMaker | None = None
) -> list[Finding]:
    """The findings ``encode`` wrote (given the same obligations, and a maker of this process).
    Texts many findings share (codes, titles, names, chains) are made once."""
    kind, body = bytes(data[:1]), data[1:]
    if kind == _PICKLED:
        found: list[Finding] = pickle.loads(body)
        return found
    if not body:
        return []
    parts = str(body, "utf-8").split(_FIELD)
    statuses = {str(s): s for s in Status}
    severities = {str(s): s for s in Severity}
    shared: dict[str, str] = {_NONE: None}  # type: ignore[dict-item]
    days: dict[str, date | None] = {_NONE: None}
    unknown = object()
    tuples: dict[str, tuple[str, ...]] = {_NONE: ()}
    out: list[Finding] = []
    i = 0
    while i < len(parts):
        if parts[i] == _DECIDED:
            assert obligations is not None and maker is not None
            status, message, detail, evidence, accountable = parts[i + 1 : i + _DECIDED_WIDTH]
            chain = None
            if accountable != _NONE:
                chain = tuples.get(accountable)
                if chain is None:
                    chain = tuples[accountable] = tuple(accountable.split(_ITEM))
            o = obligations[len(out)]
            record_ids = () if evidence == _NONE else tuple(evidence.split(_ITEM))
            out.append(maker.make(o, statuses[status], record_ids, message, detail, chain))
            i += _DECIDED_WIDTH
            continue
        rule, status, severity, subject, name, department, period, due, evidence, accountable = parts[i + 1 : i + 11]
        source, message, title, trigger, detail = parts[i + 11 : i + _WHOLE_WIDTH]
        day = days.get(due, unknown)
        if day is unknown:
            day = days[due] = date.fromisoformat(due)
        chain = tuples.get(accountable)
        if chain is None:
            chain = tuples[accountable] = tuple(accountable.split(_ITEM))
        out.append(
            Finding(
                shared.setdefault(rule, rule),
                statuses[status],
                severities[severity],
                shared.setdefault(subject, subject),
                shared.setdefault(name, name),
                shared.setdefault(department, department),
                shared.setdefault(period, period),
                day,  # type: ignore[arg-type]
                () if evidence == _NONE else tuple(evidence.split(_ITEM)),
                chain,
                shared.setdefault(source, source),
                message,
                shared.setdefault(title, title),
                None if trigger == _NONE else trigger,
                detail,
            )
        )
        i += _WHOLE_WIDTH
    return out
