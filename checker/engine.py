"""The durable-rules adapter: one engine per run, deterministic, nothing left behind.

durable-rules 2.0.28 fails silently in several ways (../shared/notes/durable-rules.md);
this module is the only place that talks to it and closes each hole:

- the engine identifies a fact by a 32-bit hash (FNV-1a) of its ``id`` and silently drops a
  second fact whose id hashes alike. The caller's ids must be unique in their partition
  (checked), but the engine gets ids of its own: a fact's position in its partition, spelt
  by a sequence whose hashes are known to be distinct (computed once per process);
- facts are partitioned by ``sid`` (≤ ``MAX_FACTS_PER_SID`` each, < 1,024 sids) and
  correlated facts share a sid — the caller chooses the partition key;
- a ``gate`` fact is the first pattern of every rule and is asserted last in each sid, so
  a negation (no evidence) is decided only once all evidence is in: results do not depend
  on input order;
- actions receive the caller's own fact dicts (found by position), whichever way the
  partitions were evaluated, and must not change them; they run in this process, partition
  by partition in sid order, in the engine's firing order;
- exceptions inside actions are swallowed by the engine; actions are wrapped, the first
  error is recorded and re-raised as ``EngineError``.

Where durable-rules runs: in a check made in one process, a run of at least ``FORK_MIN_FACTS``
facts (a unit of a few hundred people and more) in forked worker processes, one per CPU. Its
partitions are cut into chunks of at most ``CHUNK_FACTS`` facts, sent to the workers one at a
time; a worker builds a ruleset per chunk, asserts its partitions through the C API, sends back
only which facts each firing matched (a few integers, or the caller's ``project`` of each
match), then deletes the chunk's states and ruleset, so that the next chunk reuses its memory;
it leaves with ``os._exit``.
The workers see the caller's facts through the fork: nothing but the small results is copied,
and the actions run here as each chunk comes back, in chunk order. Besides the padding rule
(see ``PAD_RULE``), this keeps any other crash of durable-rules out of the check's own
process: a chunk whose worker dies (a signal) is given to a new worker once, then the check
fails with ``EngineError`` (exit 3).

Smaller runs (the shipped example's are 2 to 900 facts), every run where there is no
``os.fork`` (Windows), and the runs of a share of a large check (``in_this_process``: the
shares keep every CPU busy already) are evaluated in this process by the very same calls,
chunk by chunk, each chunk's states and ruleset deleted once its actions have run.
``LIANFANG_ENGINE_FORK_MIN=N`` sets the threshold (the tests compare both ways: byte-identical
JSON). A crash of the engine there would end that process: a share's is run once more (see
checker/shares.py), the check's own ends with a signal, as a small run's always could; the one
crash known (``PAD_RULE``) no longer happens.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import os
import selectors
import struct
import sys
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from lianfang.checker.forking import fork, write_all

#: partitions average half this many facts: measured here, the engine asserts about 1.7 times
#: faster with ~200 facts per sid than with ~4,000 (its per-sid tables have 512 buckets)
MAX_FACTS_PER_SID = 400
GATE_RULE = "__gate__"
#: durable-rules 2.0.28 reads past the end of its node pool (events.c, reduceExpressionSequence:
#: when a condition of an ``$and`` join fails it skips ahead to an OP_END without checking the
#: sequence's length). Measured with valgrind on a match partition: "invalid read 24 bytes after
#: a block of size 46,208"; the segmentation faults seen in the test suite (tests/test_archive.py,
#: tests/test_bulk.py) and at city scale whenever the memory after the pool held no OP_END or
#: was unmapped: it depends on what the process did before, hence "intermittent, not
#: reproducible alone". glibc's MALLOC_PERTURB_ makes them reproducible (15 of 88 recorded
#: runs crashed). The join results are not affected (the condition has already failed); the
#: crash is. A last rule that never fires puts initialised nodes, with their OP_END, after
#: every rule's: valgrind then reports no invalid read, and none of those runs crashes.
PAD_RULE = "__pad__"
PAD_DEFINITION: dict[str, Any] = {
    "all": [
        {"a": {"t": "__pad__"}},
        {"b": {"$and": [{"t": "__pad__"}, {"x": {"a": "x"}}, {"$gt": {"y": {"a": "y"}}}]}},
    ]
}
# result codes of durable_rules_engine.assert_facts (see durable.engine.Ruleset._handle_result)
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2
#: live sids per ruleset (the engine's limit is 1,024; the 1,025th breaks the ruleset): a run
#: with more partitions spreads them over several rulesets
MAX_SIDS = 1_000
#: partitions of one run at most
MAX_PARTITIONS = 100_000
#: runs of at least this many facts are evaluated in forked worker processes (where forking is
#: possible; see the module docstring); ``LIANFANG_ENGINE_FORK_MIN`` overrides it
FORK_MIN_FACTS = 5_000
#: from this many facts the loaded objects are frozen for the collector before forking
FREEZE_MIN_FACTS = 20_000
#: facts per chunk: a worker holds about 8 KB per fact of its chunk, so ~160 MB (at 40,000 a city's process tree
#: peaked at 2.16 GB, its largest process at 1.6 GB)
CHUNK_FACTS = 20_000

Fact = dict[str, Any]
Match = dict[str, dict[str, Any]]
#: what runs for each firing: given its rule and its match (or, with ``project``, the projected value)
Action = Callable[[str, Any], None]
#: a firing's match turned into a small picklable value where the engine ran (see ``Engine``)
Project = Callable[[str, Match], Any]


def _native() -> Any:
    """The compiled engine module; on Python 3.13+ its symbols are bound lazily.

    It references ``PyEval_CallObject``, removed from the 3.13 C API, only for persistence
    callbacks a checker never sets (fixed upstream in PR 403, never released).
    """
    if "durable_rules_engine" not in sys.modules and sys.version_info >= (3, 13):
        flags = sys.getdlopenflags()
        sys.setdlopenflags(os.RTLD_LAZY)
        try:
            import durable_rules_engine
        finally:
            sys.setdlopenflags(flags)
    import durable_rules_engine

    return durable_rules_engine


class EngineError(RuntimeError):
    """An action failed inside the engine, or the engine refused a fact."""


def partition(key: str, sids: int) -> str:
    """A stable sid for a partition key (crc32, not Python's salted ``hash``)."""
    return str(zlib.crc32(key.encode("utf-8")) % sids)


def sid_count(total_facts: int) -> int:
    return max(1, min(MAX_PARTITIONS, -(-total_facts * 2 // MAX_FACTS_PER_SID)))


# ------------------------------------------------------------------------------ engine ids


def fnv1a_32(text: str) -> int:
    """The engine's message-identity hash (``fnv1Hash32`` in its state.c: FNV-1a, 32 bits)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


_ENGINE_IDS: list[str] = []
_ENGINE_POSITIONS: dict[str, int] = {}
_ENGINE_HASHES: set[int] = set()
_next_candidate = 0


def engine_ids(n: int) -> list[str]:
    """At least ``n`` short ids whose engine hashes are pairwise distinct (a shared list:
    position ``i`` is always the same id). Each candidate is hashed once per process."""
    global _next_candidate
    while len(_ENGINE_IDS) < n:
        candidate = format(_next_candidate, "x")
        _next_candidate += 1
        value = fnv1a_32(candidate)
        if value not in _ENGINE_HASHES:
            _ENGINE_HASHES.add(value)
            _ENGINE_POSITIONS[candidate] = len(_ENGINE_IDS)
            _ENGINE_IDS.append(candidate)
    return _ENGINE_IDS


def _payload(sid: str, facts: list[Fact]) -> str:
    """One partition as the engine gets it: engine ids by position, then the gate fact."""
    import orjson

    ids = engine_ids(len(facts) + 1)
    batch = [{**fact, "id": ids[i], "sid": sid} for i, fact in enumerate(facts)]
    batch.append({"id": ids[len(facts)], "t": "gate", "sid": sid})
    return orjson.dumps(batch).decode("utf-8")


def _check_code(code: int) -> None:
    if code == _OBSERVED:
        raise EngineError("the engine saw a fact twice (id collision); fact ids must be unique")
    if code not in (_OK, _NOT_HANDLED):
        raise EngineError(f"the engine refused a batch (code {code})")


def _aliases(definition: dict[str, Any]) -> list[str]:
    """The aliases a rule's match binds, in pattern order (negated patterns bind none)."""
    out = []
    for pattern in definition.get("all", []):
        for alias in pattern:
            if "$" not in alias:
                out.append(alias)
    return out


# ------------------------------------------------------------------------- the engine


class Engine:
    """One ruleset, for the runs of one stage (made by ``engine``). Nothing outlives a run: each
    chunk's ruleset and states are deleted once evaluated, in ``_here`` or in a worker."""

    _serial = 0

    def __init__(self, name: str, rules: dict[str, Any], action: Action, project: Project | None = None):
        """``action(rule, match)`` runs in this process for each firing. With ``project``, it gets
        ``project(rule, match)`` instead of the match: a pure function of the matched facts,
        computed where the engine ran (in a worker process, when forked), so only its small
        value travels back and this process does not rebuild a match per firing."""
        Engine._serial += 1
        self.name = f"{name}_{os.getpid()}_{Engine._serial}"
        self._action = action
        self._project = project
        self._errors: list[BaseException] = []
        definition: dict[str, Any] = {rule_name: copy.deepcopy(rule) for rule_name, rule in rules.items()}
        # Every sid gets a gate fact; this rule fires once per sid on it. It proves each
        # partition was fully processed, and a state in which no action ever fired crashes
        # the engine's delete_state (measured: segmentation fault), so it also keeps
        # teardown safe.
        definition[GATE_RULE] = {"all": [{"gate": {"t": "gate"}}]}
        # The padding rule: never fires (no fact has its type), but its nodes come last in the
        # engine's node pool (see ``PAD_RULE``).
        definition[PAD_RULE] = copy.deepcopy(PAD_DEFINITION)
        self._definition = definition
        self._rule_names = list(definition)
        self._rule_aliases = [_aliases(definition[r]) for r in self._rule_names]
        self._gate_index = self._rule_names.index(GATE_RULE)
        self._gates: set[str] = set()
        #: how the last ``assert_partitioned`` ran: "process" or "forked"
        self.mode = ""

    # ------------------------------------------------------------------ the caller's side

    def assert_partitioned(self, facts_by_sid: dict[str, list[Fact]]) -> None:
        """Assert each sid's facts, then its gate fact last (see module docstring)."""
        if len(facts_by_sid) > MAX_PARTITIONS:
            raise EngineError(f"{len(facts_by_sid)} partitions exceed the limit of {MAX_PARTITIONS}")
        total = 0
        for sid, facts in facts_by_sid.items():
            ids = {f["id"] for f in facts}
            if len(ids) != len(facts):
                raise EngineError(f"duplicate fact ids in partition {sid}")
            total += len(facts)
        if _fork_allowed(total) and len(facts_by_sid) > 0:
            self.mode = "forked"
            _forked(self, facts_by_sid)
        else:
            self.mode = "process"
            self._here(facts_by_sid)
        self._raise_errors()

    def _fire(self, sid: str, facts: list[Fact], rule: int, positions: Iterable[int]) -> None:
        """Run one firing's action on the caller's facts (the gate rule only marks the sid)."""
        if rule >= self._gate_index:  # the gate rule (or the padding rule, which never fires)
            self._gates.add(sid)
            return
        if self._errors:
            return
        match = _match(self._rule_aliases[rule], facts, positions)
        try:
            name = self._rule_names[rule]
            self._action(name, self._project(name, match) if self._project else match)
        except BaseException as exc:  # the engine would swallow it, Ctrl-C included
            self._errors.append(exc)

    def _fire_projected(self, sid: str, rule: int, value: Any) -> None:
        """Run one firing's action on the value a worker projected from its match."""
        if rule >= self._gate_index:
            self._gates.add(sid)
            return
        if self._errors:
            return
        try:
            self._action(self._rule_names[rule], value)
        except BaseException as exc:
            self._errors.append(exc)

    def _raise_errors(self) -> None:
        if self._errors:
            error = self._errors[0]
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise error
            raise EngineError(f"a rule action failed: {error!r}") from error

    # -------------------------------------------------------------------- in this process

    def _here(self, facts_by_sid: dict[str, list[Fact]]) -> None:
        """Evaluate in this process, chunk by chunk, exactly as a forked worker does (the same
        C calls, see ``_evaluate_chunk``); each chunk's actions run once it is evaluated, then
        its states and ruleset are deleted."""
        definition = json.dumps(self._definition, ensure_ascii=False)
        native = _native()
        for index, sids in enumerate(_chunks(facts_by_sid)):
            made: list[tuple[Any, list[str]]] = []
            result = _evaluate_chunk(definition, f"{self.name}_{index}", sids, facts_by_sid, made, self._project)
            # applied first: it proves every state's gate fired, which makes deleting it safe
            # (after an error the chunk's states are left: deleting one could crash the process)
            _apply(self, sids, facts_by_sid, result)
            self._raise_errors()
            _free(native, made)


@contextmanager
def engine(name: str, rules: dict[str, Any], action: Action, project: Project | None = None) -> Iterator[Engine]:
    """The engine of one stage, as every stage uses it (``with engine(...) as run``); it holds
    nothing to free afterwards (see ``Engine``)."""
    yield Engine(name, rules, action, project)


# ------------------------------------------------------------------ forked child processes


def _fork_min() -> int:
    configured = os.environ.get("LIANFANG_ENGINE_FORK_MIN", "").strip()
    return int(configured) if configured.isdigit() else FORK_MIN_FACTS


#: False while runs must not fork (see ``in_this_process``)
_FORKING = True


@contextmanager
def in_this_process() -> Iterator[None]:
    """Every run inside is evaluated in this process: a share of a large check
    (checker/shares.py), whose processes keep every CPU busy already."""
    global _FORKING
    before, _FORKING = _FORKING, False
    try:
        yield
    finally:
        _FORKING = before


def _fork_allowed(total_facts: int) -> bool:
    """Runs fork where the system can (POSIX), unless ``LIANFANG_ENGINE_FORK_MIN`` says the
    run is too small to or inside ``in_this_process``."""
    return _FORKING and hasattr(os, "fork") and total_facts >= _fork_min()


def _chunk_size() -> int:
    configured = os.environ.get("LIANFANG_ENGINE_CHUNK", "").strip()
    return max(1, int(configured)) if configured.isdigit() else CHUNK_FACTS


def _chunks(facts_by_sid: dict[str, list[Fact]]) -> list[list[str]]:
    """Sids in order, cut into chunks of at most ``CHUNK_FACTS`` facts and ``MAX_SIDS`` sids
    (a sid is never cut): one ruleset each."""
    limit = _chunk_size()
    chunks: list[list[str]] = []
    size = limit
    for sid in sorted(facts_by_sid):
        n = len(facts_by_sid[sid]) + 1
        if (size + n > limit and (not chunks or chunks[-1])) or len(chunks[-1]) >= MAX_SIDS:
            chunks.append([])
            size = 0
        chunks[-1].append(sid)
        size += n
    return chunks


def processes() -> int:
    configured = os.environ.get("LIANFANG_ENGINE_PROCESSES", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _match(aliases: list[str], facts: list[Fact], positions: Iterable[int]) -> Match:
    """A firing's match: each alias bound to the caller's fact at its position (past the end:
    the partition's gate fact)."""
    return {alias: (facts[p] if p < len(facts) else _GATE) for alias, p in zip(aliases, positions, strict=True)}


_GATE: Fact = {"t": "gate"}


def _evaluate_chunk(
    definition: str,
    name: str,
    sids: list[str],
    facts_by_sid: dict[str, list[Fact]],
    made: list[tuple[Any, list[str]]],
    project: Project | None = None,
) -> dict[str, Any]:
    """In a worker (or in this process, ``Engine._here``): one ruleset, each partition asserted
    with its gate last and its pending actions drained through the C API (start, then
    complete-and-start-next). What each firing
    matched is returned per sid: rule index and fact positions (an array of ints), or with
    ``project`` a list of (rule index, projected value; None for the gate). The ruleset and its
    states are appended to ``made``: the worker frees them once the result is sent."""
    import orjson

    native = _native()
    handle = native.create_ruleset(name, definition)
    made.append((handle, sids))
    rules = json.loads(definition)
    rule_index = {rule: i for i, rule in enumerate(rules)}
    aliases = [_aliases(rule) for rule in rules.values()]
    rule_names = list(rule_index)
    gate_index = rule_index[GATE_RULE]
    out: dict[str, Any] = {}
    for sid in sids:
        code, state = native.assert_facts(handle, _payload(sid, facts_by_sid[sid]))
        _check_code(code)
        messages: list[str] = []
        started = native.start_action_for_state(handle, state)
        if started:
            messages.append(started[1])
            while True:
                following = native.complete_and_start_action(handle, state)
                if not following:
                    break
                messages.append(following)
        fired = orjson.loads(f"[{','.join(messages)}]")  # one parse per partition
        if project is None:
            firings = array("i")
            for firing in fired:
                for rule_name, match in firing.items():
                    rule = rule_index[rule_name]
                    firings.append(rule)
                    firings.extend(_ENGINE_POSITIONS[match[alias]["id"]] for alias in aliases[rule])
            out[sid] = firings.tobytes()
            continue
        facts = facts_by_sid[sid]
        values: list[tuple[int, Any]] = []
        for firing in fired:
            for rule_name, match in firing.items():
                rule = rule_index[rule_name]
                if rule >= gate_index:
                    values.append((rule, None))
                    continue
                positions = [_ENGINE_POSITIONS[match[alias]["id"]] for alias in aliases[rule]]
                values.append((rule, project(rule_names[rule], _match(aliases[rule], facts, positions))))
        out[sid] = values
    return out


def _free(native: Any, made: list[tuple[Any, list[str]]]) -> None:
    """Delete the states and rulesets of evaluated chunks (each state's gate has fired)."""
    for handle, sids in made:
        for sid in sids:
            native.delete_state(handle, sid)
        native.delete_ruleset(handle)


#: a worker's request: chunk index and attempt; its answer: chunk index and length, then the data
_REQUEST = struct.Struct("<ii")
_ANSWER = struct.Struct("<iQ")


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        piece = os.read(fd, size - len(data))
        if not piece:
            break
        data += piece
    return data


def _worker(
    requests: int,
    answers: int,
    definition: str,
    name: str,
    chunks: list[list[str]],
    facts_by_sid: dict[str, list[Fact]],
    project: Project | None = None,
) -> None:
    """A forked worker's whole life: evaluate the chunks it is sent, one at a time, until its
    request pipe closes; then ``os._exit`` (no teardown).

    After answering it frees the chunk's states and ruleset, so the next chunk reuses the same
    memory: measured on a city, forking a fresh child per chunk spent as much CPU on page faults
    (the kernel zeroing ~4.5 GB of new pages) as on the engine itself; one worker per CPU that
    frees and reuses spends almost none."""
    code = 0
    try:
        gc.disable()  # the inherited objects need no collecting: it would only touch shared pages
        native = _native()
        while True:
            request = _read_exactly(requests, _REQUEST.size)
            if len(request) < _REQUEST.size:
                break  # no more work
            index, attempt = _REQUEST.unpack(request)
            made: list[tuple[Any, list[str]]] = []
            try:
                import pickle  # only a forked run pickles (imported before the fork, see ``_forked``)

                result = _evaluate_chunk(
                    definition, f"{name}_{index}_{attempt}", chunks[index], facts_by_sid, made, project
                )
                data = b"\x00" + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # reported to the parent, never raised in a forked copy
                data = b"\x01" + repr(exc).encode("utf-8", "replace")
                code = 1
            write_all(answers, _ANSWER.pack(index, len(data)) + data)
            if code:
                break
            _free(native, made)  # every state had its gate firing: deleting it is safe
    except BaseException:
        code = 2
    os._exit(code)


#: worker processes forked and chunks sent to them so far (for tests and benchmarks)
CHILDREN_STARTED = 0
CHUNKS_SENT = 0


class _Worker:
    def __init__(self, pid: int, requests: int, answers: int):
        self.pid = pid
        self.requests = requests  # our end of its request pipe; -1 once closed
        self.answers = answers
        self.chunk: int | None = None  # the chunk it is evaluating
        self.buffer = bytearray()


def _forked(engine: Engine, facts_by_sid: dict[str, list[Fact]]) -> None:
    """Evaluate the chunks of partitions in forked workers (at most ``processes()``), each
    sent one chunk at a time; the firings are applied here as the chunks come back, in chunk
    order (so in sid order, exactly as one process would), while the workers go on."""
    global CHILDREN_STARTED, CHUNKS_SENT
    definition = json.dumps(engine._definition, ensure_ascii=False)
    longest = max(len(facts) for facts in facts_by_sid.values())
    engine_ids(longest + 1)  # computed once, inherited by every worker
    chunks = _chunks(facts_by_sid)
    wanted = min(processes(), len(chunks))
    attempts = [0] * len(chunks)
    waiting = deque(range(len(chunks)))
    results: dict[int, bytes] = {}
    applied = 0  # chunks applied so far, in order
    workers: dict[int, _Worker] = {}  # by the fd of its answers
    selector = selectors.DefaultSelector()
    if sum(len(facts) for facts in facts_by_sid.values()) >= FREEZE_MIN_FACTS:
        # the loaded workspace lives on in this process: the workers' collector (off) and
        # ours need not scan it; frozen objects are not written to by a collection after the fork
        gc.freeze()
    # imported before forking, or each worker would import them again (no engine state is
    # made here: every ruleset is created in a worker)
    import pickle  # noqa: F401  (the workers pickle their answers)

    import orjson  # noqa: F401

    _native()

    def start() -> _Worker:
        global CHILDREN_STARTED
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = fork()
        CHILDREN_STARTED += 1
        if pid == 0:  # the worker
            os.close(request_write)
            os.close(answer_read)
            for other in workers.values():  # its siblings' pipes are not its own
                for fd in (other.requests, other.answers):
                    if fd >= 0:
                        os.close(fd)
            _worker(request_read, answer_write, definition, engine.name, chunks, facts_by_sid, engine._project)
        os.close(request_read)
        os.close(answer_write)
        worker = workers[answer_read] = _Worker(pid, request_write, answer_read)
        selector.register(answer_read, selectors.EVENT_READ)
        return worker

    def dispatch(worker: _Worker) -> None:
        global CHUNKS_SENT
        if waiting:
            index = waiting.popleft()
            attempts[index] += 1
            worker.chunk = index
            CHUNKS_SENT += 1
            write_all(worker.requests, _REQUEST.pack(index, attempts[index]))
        elif worker.requests >= 0:  # nothing left: its pipe closes and it leaves
            os.close(worker.requests)
            worker.requests = -1

    def received(worker: _Worker) -> None:
        """Take every whole answer out of the worker's buffer."""
        while len(worker.buffer) >= _ANSWER.size:
            index, size = _ANSWER.unpack_from(worker.buffer)
            if len(worker.buffer) < _ANSWER.size + size:
                return
            data = bytes(worker.buffer[_ANSWER.size : _ANSWER.size + size])
            del worker.buffer[: _ANSWER.size + size]
            if data[:1] != b"\x00":
                raise EngineError(f"an engine worker process failed: {data[1:].decode('utf-8', 'replace')}")
            results[index] = data[1:]
            worker.chunk = None
            dispatch(worker)

    def ended(fd: int) -> None:
        """A worker's answers ended: it left, or it crashed (then its chunk is run once more)."""
        worker = workers.pop(fd)
        selector.unregister(fd)
        os.close(fd)
        if worker.requests >= 0:
            os.close(worker.requests)
        _, status = os.waitpid(worker.pid, 0)
        if worker.chunk is not None:
            if attempts[worker.chunk] >= 2:
                why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
                raise EngineError(f"an engine worker process failed twice ({why})")
            waiting.appendleft(worker.chunk)  # a crash of the engine: that chunk once more

    try:
        for _ in range(wanted):
            dispatch(start())
        while applied < len(chunks):
            # results are applied only when no worker waits to be read, so none waits on us
            ready = selector.select(timeout=0 if applied in results else None)
            for key, _ in ready:
                fd = int(key.fd)
                piece = os.read(fd, 1 << 20)
                if piece:
                    workers[fd].buffer += piece
                    received(workers[fd])
                else:
                    ended(fd)
            while waiting and len(workers) < wanted:  # a crashed worker's place
                dispatch(start())
            if not ready and applied in results:
                _apply(engine, chunks[applied], facts_by_sid, _unpickle(results.pop(applied)))
                applied += 1
            if not workers and applied < len(chunks) and applied not in results:
                raise EngineError("the engine's workers ended before every chunk was evaluated")
    finally:
        for fd, worker in workers.items():  # finished, an error or Ctrl-C: no worker outlives the run
            if worker.requests >= 0:
                with contextlib.suppress(OSError):
                    os.close(worker.requests)
            if worker.chunk is not None:  # still working: stopped, its answer is not wanted
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, 9)
            with contextlib.suppress(OSError):
                os.waitpid(worker.pid, 0)
            with contextlib.suppress(OSError):
                os.close(fd)
        selector.close()


def _unpickle(data: bytes) -> dict[str, Any]:
    import pickle

    result: dict[str, Any] = pickle.loads(data)
    return result


def _apply(engine: Engine, sids: list[str], facts_by_sid: dict[str, list[Fact]], by_sid: dict[str, Any]) -> None:
    """Run the actions of one chunk's firings, partition by partition in sid order."""
    width = [len(aliases) for aliases in engine._rule_aliases]
    for sid in sids:
        if engine._project is not None:
            for rule, value in by_sid[sid]:
                engine._fire_projected(sid, rule, value)
            if sid not in engine._gates:
                raise EngineError(f"partition {sid} was not fully processed by the engine")
            continue
        facts = facts_by_sid[sid]
        firings = array("i")
        firings.frombytes(by_sid[sid])
        i = 0
        while i < len(firings):
            rule = firings[i]
            engine._fire(sid, facts, rule, firings[i + 1 : i + 1 + width[rule]])
            i += 1 + width[rule]
        if sid not in engine._gates:
            raise EngineError(f"partition {sid} was not fully processed by the engine")


# ------------------------------------------------------------------------------ partitions


def pack_partitions(partitions: dict[str, list[Fact]]) -> dict[str, list[Fact]]:
    """Pack whole partitions (e.g. one per department) into at most ``sid_count`` sids.

    A partition's facts stay together, so correlations inside it still hold; ids are
    prefixed with the partition key so two partitions' facts never collide in one sid.
    """
    sids = sid_count(sum(len(facts) for facts in partitions.values()))
    if len(partitions) <= sids:
        return partitions
    packed: dict[str, list[Fact]] = defaultdict(list)
    for key in sorted(partitions):
        packed[partition(key, sids)].extend({**fact, "id": f"{key}/{fact['id']}"} for fact in partitions[key])
    return dict(packed)


def group_by_sid(facts: Iterable[tuple[str, Fact]], sids: int) -> dict[str, list[Fact]]:
    """Group ``(partition_key, fact)`` pairs into sids."""
    grouped: dict[str, list[Fact]] = defaultdict(list)
    for key, fact in facts:
        grouped[partition(key, sids)].append(fact)
    return dict(grouped)
