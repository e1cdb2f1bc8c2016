"""The stages from obligations to escalation — obligations, evidence, chains, match, status and
words, escalation — for every subject, then the register checks: in this process or, for a
large workspace, in shares of the subjects evaluated side by side in forked processes.

What one subject owes is decided without looking at another subject: its obligations and
chain are its own, its evidence is matched by keys naming it (or by ``ref``: such evidence goes
to every share), its misses escalate by its own consecutive periods. So a large workspace is
split into one share of subjects per CPU, right after loading. Each share but the first runs
in a forked process of its own, which sees the loaded workspace through the fork and sends
back only its findings, pickled in pieces: this process reads a piece while the next is
pickled. Of each finding it sends every field but the evidence ids, and its item of
``--format json`` (``Finding.json_item``), from which the evidence is read only if an output
asks: this process then makes neither the evidence ids (a city's share sends 1.2M) nor those
findings' JSON. Measured (cachegrind): ~40k instructions fewer per finding here, ~9k more in
the share; the check's process of a city peaks ~110 MB lower (max RSS). This process does what needs no share
(the register checks, the records whose period has the wrong granularity), then the first
share, a little smaller than the others for that (``FIRST_SHARE_PART``). Inside a share the engine runs
in that process (``engine.in_this_process``): the shares keep every CPU busy. Once sorted,
the findings are in the one process's order (a finding's sort key names its rule, subject and
period or trigger: no two are alike), so the output is byte for byte the same (the tests
compare both ways).

Measured on a city (10,000 people, 185k obligations, 2 CPUs): these stages took ~14-15 s in
one process (the engine in forked workers), 9-11 s in two shares.

A share whose process dies (a signal: a crash of the engine) is run once more in a new one,
and what it had sent is dropped; a second failure, or an error inside a share, fails the
check with ``EngineError`` (exit 3).
``LIANFANG_SHARES_MIN=N`` sets how many subjects make a workspace large.
"""

from __future__ import annotations

import contextlib
import gc
import os
import struct
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial

from lianfang.checker import engine
from lianfang.checker.chain import Chains
from lianfang.checker.engine import EngineError
from lianfang.checker.findings import Finding
from lianfang.checker.forking import fork, write_all
from lianfang.checker.result import sort_key
from lianfang.checker.stages.escalation import escalate
from lianfang.checker.stages.evidence import PeriodMismatch, build_evidence, period_mismatches
from lianfang.checker.stages.match import match
from lianfang.checker.stages.obligations import expand
from lianfang.checker.stages.register import register_findings
from lianfang.checker.stages.status import obligation_findings
from lianfang.checker.write_behind import write_behind
from lianfang.models.collector import collector_paused
from lianfang.models.workspace import Workspace
from lianfang.rules.catalogue import Catalogue

#: a workspace of at least this many subjects (people, posts, departments, risk points) is
#: checked in shares (where it can fork): a unit of ~1,500 people and more;
#: ``LIANFANG_SHARES_MIN`` overrides it
SHARES_MIN_SUBJECTS = 4_000


@dataclass
class Context:
    """What every share needs (seen through the fork)."""

    catalogue: Catalogue
    ws: Workspace
    as_of: date
    lang: str
    horizon: int
    #: the findings will be written as ``--format json``: this process makes its own findings'
    #: JSON items while it waits for the other shares (``_with_json_items``)
    json_items: bool = False


class AllBut:
    """Every subject but those given: the first share takes whatever the others do not."""

    def __init__(self, taken: frozenset[str]) -> None:
        self.taken = taken

    def __contains__(self, subject: object) -> bool:
        return subject not in self.taken


def check_subjects(c: Context, share: Container[str] | None = None) -> tuple[list[Finding], Chains]:
    """The findings of the obligations of the subjects of ``share`` (every subject without),
    then those escalation adds; with the chains they were made with."""
    obligations = list({o.oid: o for o in expand(c.catalogue, c.ws, c.as_of, share)}.values())
    evidence = build_evidence(c.catalogue, c.ws, c.as_of, share)
    subjects = {s for s in c.ws.subject_ids() if share is None or s in share}
    chains = Chains(c.ws, {o.subject for o in obligations} | subjects)
    pairs = obligation_findings(
        obligations, match(obligations, evidence), evidence, c.ws, c.as_of, c.lang, c.horizon, chains
    )
    findings = [f for _, f in pairs]
    for rule in c.catalogue.rules:
        if rule.type == "escalation":  # T502, or any escalation rule of a custom pack
            findings = escalate(rule, pairs, findings, evidence, c.ws, c.as_of, c.lang, c.horizon, chains)
    return findings, chains


def decide(c: Context) -> tuple[list[Finding], list[PeriodMismatch]]:
    """Every finding (unsorted), and the records whose period has the wrong granularity."""
    mismatches = period_mismatches(c.catalogue, c.ws, c.as_of)
    shares = share_count(c.ws)
    if shares < 2:
        findings, chains = check_subjects(c)
        return findings + register_findings(c.catalogue, c.ws, c.lang, chains), mismatches
    groups = split(c.ws, shares)
    running = _Shares(c, groups)
    try:
        running.start(list(range(1, shares)))
        with engine.in_this_process():
            register = register_findings(c.catalogue, c.ws, c.lang)
            # (what it makes lives on until the output is written: nothing for the collector)
            with collector_paused(freeze=True):
                findings, _ = check_subjects(c, AllBut(frozenset().union(*groups[1:])))
        # each share's findings in order (the others' sorted in their processes): the check's
        # sort then merges a few ordered runs, and this one is sorted while the others pickle
        findings.sort(key=sort_key)
        for found in running.collect(idle=_with_json_items(findings) if c.json_items else None):
            findings += found
    finally:
        running.stop()
    return findings + register, mismatches


def share_count(ws: Workspace) -> int:
    configured = os.environ.get("LIANFANG_SHARES_MIN", "").strip()
    least = int(configured) if configured.isdigit() else SHARES_MIN_SUBJECTS
    subjects = len(ws.subject_ids())
    if not hasattr(os, "fork") or subjects < max(least, 2):
        return 1
    return min(engine.processes(), subjects)


def split(ws: Workspace, shares: int) -> list[frozenset[str]]:
    """The subjects of each share, dealt in order as ``_deal`` says, so that each share has
    about as many of each kind (people, posts, departments, risk points: ids of a kind share a
    prefix); the first, this process's, a little smaller (``FIRST_SHARE_PART``)."""
    subjects = sorted(ws.subject_ids())
    deal = _deal(shares)
    groups: list[list[str]] = [[] for _ in range(shares)]
    for position, subject in enumerate(subjects):
        groups[deal[position % len(deal)]].append(subject)
    return [frozenset(group) for group in groups]


#: this process's share against another's, in subjects dealt: 9 to each other's 10. It also makes
#: the register checks (~10% of a share's time for a city, before its share) and reads the other
#: shares' findings (after it); with equal shares, its share of a city ended 0.35-0.65 s after
#: the forked one's in most runs
FIRST_SHARE_PART = (9, 10)


def _deal(shares: int) -> list[int]:
    """The share of each subject in turn over one round (``FIRST_SHARE_PART``: 9 subjects to
    this process's share, 10 to each other), each to the share furthest below its part."""
    mine, others = FIRST_SHARE_PART
    parts = [mine, *[others] * (shares - 1)]
    dealt = [0] * shares
    order = []
    for _ in range(sum(parts)):
        share = min(range(shares), key=lambda s: ((dealt[s] + 1) / parts[s], s))
        dealt[share] += 1
        order.append(share)
    return order


# --------------------------------------------------------------------------- the processes

#: processes forked for shares so far (for tests)
PROCESSES_STARTED = 0
#: a share's answer is frames: each a kind and a size, then that many bytes
_HEAD = struct.Struct("<BQ")
#: the kinds of frame: findings pickled; the share failed (its error's repr follows); the answer
#: is whole (the size is then the number of findings, and nothing follows)
_PIECE, _FAILED, _DONE = 0, 1, 2
#: findings pickled in one piece (~5 MB for a city's; ~0.1 s to read back)
PIECE_FINDINGS = 8_192


def _pieces(found: list[Finding]) -> Iterator[list[Finding]]:
    for start in range(0, len(found), PIECE_FINDINGS):
        yield found[start : start + PIECE_FINDINGS]


def _with_json_items(findings: list[Finding]) -> Iterator[None]:
    """This process's findings given their JSON items (``Finding.json_item``), a piece at a
    time: its work while it waits for the other shares, when the output is ``--format json``,
    which then only joins them, as it joins theirs (measured on a city, instrumented: the JSON
    made 0.3-0.5 s after the sort, against 0.8-1.0 s)."""
    from lianfang.checker.report.json_report import CHUNK_FINDINGS, json_items

    for start in range(0, len(findings), CHUNK_FINDINGS):
        piece = findings[start : start + CHUNK_FINDINGS]
        for finding, item in zip(piece, json_items(piece), strict=True):
            object.__setattr__(finding, "json_item", item)
        yield


#: what ``next`` gives of an iterator that has finished
_FINISHED = object()


class _Shares:
    def __init__(self, c: Context, groups: list[frozenset[str]]) -> None:
        import selectors  # (imported by a large check only, as pickle: not on a small one's start-up)

        self.context = c
        self.groups = groups
        self.attempts = [0] * len(groups)
        self.pids: dict[int, int] = {}  # share -> pid of the process evaluating it
        self.pipes: dict[int, int] = {}  # read end -> share
        self.buffers: dict[int, bytearray] = {}
        self.answers: dict[int, list[Finding]] = {}  # share -> the findings it sent so far
        self.whole: dict[int, int] = {}  # share -> its number of findings, once it said so
        self.leaving: list[int] = []  # processes that answered and are leaving
        self.selector = selectors.DefaultSelector()

    def start(self, shares: list[int]) -> None:
        import fcntl  # (POSIX, as fork)
        import selectors

        # imported before forking, or each share would import them again
        engine._native()
        global PROCESSES_STARTED
        for share in shares:
            self.attempts[share] += 1
            PROCESSES_STARTED += 1
            read, write = os.pipe()
            with contextlib.suppress(OSError, AttributeError):  # (Linux: a city's 65 MB in 1 MB steps)
                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 1 << 20)
            pid = fork()
            if pid == 0:  # the share's process: never returns
                os.close(read)
                for fd in self.pipes:  # its siblings' pipes are not its own
                    os.close(fd)
                self._run(share, write)
            os.close(write)
            self.pids[share] = pid
            self.answers[share] = []
            self.whole.pop(share, None)
            self.pipes[read] = share
            self.buffers[read] = bytearray()
            self.selector.register(read, selectors.EVENT_READ)

    def _run(self, share: int, out: int) -> None:
        """In the share's process: check its subjects, write the answer, leave.

        The answer goes in pieces, each pickled while a thread writes the ones before
        (``checker.write_behind``): pickling goes on while the check's process is busy with its
        own share and the pipe is full, and once it is free, it reads a piece while the next is
        pickled. The pipe is closed as soon as the answer is written: at exit it would close
        only once the kernel has freed this process's memory (~0.3 s for a city).
        """
        failed = False

        def answer() -> Iterator[bytes]:
            nonlocal failed
            import pickle

            from lianfang.checker.report.json_report import json_items

            try:
                gc.disable()  # it lives for one share; the collector would only touch shared pages
                with engine.in_this_process():
                    found, _ = check_subjects(self.context, self.groups[share])
                found.sort(key=sort_key)
                for piece in _pieces(found):
                    # each finding's JSON item instead of its evidence ids (``Finding.json_item``)
                    sent = (list(map(Finding.without_evidence, piece)), json_items(piece))
                    encoded = pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)
                    yield _HEAD.pack(_PIECE, len(encoded))
                    yield encoded
                yield _HEAD.pack(_DONE, len(found))
            except BaseException as exc:  # reported to the parent, never raised in a forked copy
                failed = True
                message = repr(exc).encode("utf-8", "replace")
                yield _HEAD.pack(_FAILED, len(message)) + message

        try:
            write_behind(answer(), partial(write_all, out), partial(os.close, out))
        except BaseException:  # (the check's process is gone, or stopped reading)
            os._exit(2)
        os._exit(1 if failed else 0)

    def collect(self, idle: Iterator[None] | None = None) -> list[list[Finding]]:
        """Read every share's answer as it comes, a piece at a time; a share whose process died
        is run again once (what it had sent is dropped). While nothing is there to read, a step
        of ``idle`` is taken, if any is left."""
        while self.pipes:
            ready = self.selector.select(timeout=0 if idle is not None else None)
            if not ready and idle is not None:
                if next(idle, _FINISHED) is _FINISHED:
                    idle = None
                continue
            for key, _ in ready:
                fd = int(key.fd)
                piece = os.read(fd, 1 << 20)
                if piece:
                    self.buffers[fd] += piece
                    self._read(fd)
                else:
                    self._ended(fd)
        return [self.answers[share] for share in range(1, len(self.groups))]

    def _read(self, fd: int) -> None:
        """The whole frames received so far from the share reading on ``fd``."""
        import pickle

        share, buffer = self.pipes[fd], self.buffers[fd]
        while len(buffer) >= _HEAD.size and share not in self.whole:
            kind, size = _HEAD.unpack_from(buffer)
            if kind == _DONE:
                self.whole[share] = size
                del buffer[: _HEAD.size]
                break
            if len(buffer) < _HEAD.size + size:
                return
            with memoryview(buffer) as view:
                data = view[_HEAD.size : _HEAD.size + size]
                if kind == _FAILED:
                    raise EngineError(f"a share of the check failed: {bytes(data).decode('utf-8', 'replace')}")
                # the findings live on until the output is written: the collector need not scan them
                with collector_paused(freeze=True):
                    values, items = pickle.loads(data)
                    self.answers[share] += map(Finding.received, values, items)
                data.release()
            del buffer[: _HEAD.size + size]

    def _ended(self, fd: int) -> None:
        share = self.pipes.pop(fd)
        self.selector.unregister(fd)
        os.close(fd)
        left = self.buffers.pop(fd)
        pid = self.pids.pop(share)
        self.leaving.append(pid)  # (waited for in ``stop``: it may still be freeing its memory)
        if not left and self.whole.get(share) == len(self.answers[share]):
            return
        self.leaving.remove(pid)
        _, status = os.waitpid(pid, 0)
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
        for pid in [*self.pids.values(), *self.leaving]:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.pids.clear()
        self.leaving.clear()
        self.pipes.clear()
        self.selector.close()
