"""The durable-rules adapter: one engine per run, deterministic, torn down afterwards.

durable-rules 2.0.28 fails silently in several ways (../shared/notes/durable-rules.md);
this module is the only place that talks to it and closes each hole:

- the engine identifies a fact by a 32-bit hash of its ``id`` and silently drops a second
  fact whose id hashes alike: inside a partition every fact gets a short engine id from a
  sequence whose hashes are known to be distinct (the caller's ids must still be unique);
- facts are partitioned by ``sid`` (≤ ``MAX_FACTS_PER_SID`` each, < 1,024 sids) and
  correlated facts share a sid — the caller chooses the partition key;
- a ``gate`` fact is the first pattern of every rule and is asserted last in each sid, so
  a negation (no evidence) is decided only once all evidence is in: results do not depend
  on input order;
- the stock ``Host`` starts timer threads, never frees rulesets and does a JSON round trip
  of the state per firing; this adapter uses the C API directly: no Host, no threads, each
  partition on a ruleset of its own, deleted as soon as its gate has fired;
- exceptions inside actions are swallowed by the engine; here actions run outside it, on
  the match messages the engine returned, and the first error is raised as ``EngineError``;
- large runs evaluate partitions in parallel worker processes (forked, so the facts are
  not copied); actions still run in the calling process, partition by partition in sid
  order, so the result does not depend on the number of processes.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import warnings
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

MAX_FACTS_PER_SID = 8_000
GATE_RULE = "__gate__"
GATE_ID = "__gate__"
# result codes of durable_rules_engine.assert_facts (see durable.engine.Ruleset._handle_result)
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2
MAX_SIDS = 1_000

Fact = dict[str, Any]
Match = dict[str, dict[str, Any]]
Action = Callable[[str, Match], None]


def _import_engine() -> Any:
    """Import ``durable.engine``; on Python 3.13+ bind the C module's symbols lazily.

    The compiled module references ``PyEval_CallObject``, removed from the 3.13 C API; it is
    only used by persistence callbacks a checker never sets (fixed upstream in PR 403, never
    released), so lazy binding lets the rest load.
    """
    if "durable_rules_engine" not in sys.modules and sys.version_info >= (3, 13):
        flags = sys.getdlopenflags()
        sys.setdlopenflags(os.RTLD_LAZY)
        try:
            import durable_rules_engine  # noqa: F401
        finally:
            sys.setdlopenflags(flags)
    # The engine calls datetime.utcfromtimestamp for every action, deprecated on 3.12+: under
    # -W error that would break every action, so this one warning of that module is ignored.
    warnings.filterwarnings(
        "ignore", message=r"datetime\.datetime\.utcfromtimestamp", category=DeprecationWarning, module="durable"
    )
    import durable.engine

    return durable.engine


class EngineError(RuntimeError):
    """An action failed inside the engine, or the engine refused a fact."""


def partition(key: str, sids: int) -> str:
    """A stable sid for a partition key (crc32, not Python's salted ``hash``)."""
    return str(zlib.crc32(key.encode("utf-8")) % sids)


def sid_count(total_facts: int) -> int:
    return max(1, min(MAX_SIDS, -(-total_facts * 2 // MAX_FACTS_PER_SID)))


#: engine processes for partitions: None = automatic (see ``engine_processes``)
_PROCESSES: int | None = None
#: below this many facts a run stays in one process (starting workers costs more than it saves)
PARALLEL_MIN_FACTS = 40_000


def set_processes(processes: int | None) -> None:
    """How many processes evaluate partitions (1: this one only; None: automatic)."""
    global _PROCESSES
    _PROCESSES = processes


def engine_processes(total_facts: int) -> int:
    """Processes for a run of ``total_facts``: ``LIANFANG_ENGINE_PROCESSES``, ``set_processes``,
    else one per CPU for large runs. Only where a clean ``fork`` is possible: not inside a
    daemonic process (a Dask worker's) and not while other threads run (fork copies no threads
    and could copy a held lock)."""
    configured = os.environ.get("LIANFANG_ENGINE_PROCESSES")
    wanted = int(configured) if configured else _PROCESSES
    if wanted is None:
        wanted = (os.cpu_count() or 1) if total_facts >= PARALLEL_MIN_FACTS else 1
    if wanted <= 1 or sys.platform == "win32":
        return 1
    import multiprocessing
    import threading

    if multiprocessing.current_process().daemon or threading.active_count() > 1:
        return 1
    return wanted


# Engine ids: the engine stores a fact under the 32-bit FNV-1a hash of its ``id`` and silently
# drops a second fact whose id hashes alike (measured: "o:111328" and "o:1066100"). Rules
# correlate on other fields, so inside a partition facts get short ids of their own: a sequence
# whose hashes are known to be distinct, computed once per process.
_ENGINE_IDS: list[str] = []
_ENGINE_HASHES: set[int] = set()
_next_candidate = 0


def engine_ids(n: int) -> list[str]:
    """At least ``n`` short ids with pairwise distinct engine hashes (the list is shared)."""
    global _next_candidate
    while len(_ENGINE_IDS) < n:
        candidate = format(_next_candidate, "x")
        _next_candidate += 1
        value = fnv1a_32(candidate)
        if value not in _ENGINE_HASHES:
            _ENGINE_HASHES.add(value)
            _ENGINE_IDS.append(candidate)
    return _ENGINE_IDS


def _evaluate(handle: Any, sid: str, facts: list[Fact]) -> list[str]:
    """Assert one partition, its gate last, and drain the actions it made pending.

    Returns the engine's match messages (JSON text, in firing order) and frees the
    partition's state at once: nothing of it is kept once its gate has fired.
    """
    native = _import_engine().durable_rules_engine
    ids = engine_ids(len(facts) + 1)
    # the engine's id and the sid are set on the caller's facts just for serialising (cheaper
    # than copying a third of a million dicts), then put back
    originals = [fact["id"] for fact in facts]
    for engine_id, fact in zip(ids, facts, strict=False):
        fact["id"] = engine_id
        fact["sid"] = sid
    try:
        payload = json.dumps([*facts, {"id": ids[len(facts)], "t": "gate", "sid": sid}], ensure_ascii=False)
    finally:
        for original, fact in zip(originals, facts, strict=True):
            fact["id"] = original
            del fact["sid"]
    code, state = native.assert_facts(handle, payload)
    del payload
    if code == _OBSERVED:
        raise EngineError("the engine saw a fact twice (id collision); fact ids must be unique")
    if code not in (_OK, _NOT_HANDLED):
        raise EngineError(f"the engine refused a batch (code {code})")
    # The stock Host wraps every firing in a Closure, parses and re-serialises the partition's
    # state and calls update_state; the actions here only read their match, so the pending
    # actions are drained straight through the C API: start, then complete-and-start-next.
    messages: list[str] = []
    started = native.start_action_for_state(handle, state)
    if started:
        messages.append(started[1])
        while True:
            following = native.complete_and_start_action(handle, state)
            if not following:
                break
            messages.append(following)
    return messages


def _evaluate_all(
    definition: str, name: str, sids: list[str], facts_by_sid: dict[str, list[Fact]]
) -> list[tuple[str, list[str]]]:
    """``_evaluate`` for some partitions on one ruleset, torn down as the stock adapter did
    (every state, then the ruleset) once all gates have fired. Deleting a state and then
    asserting more facts — into the same ruleset or, measured, a later one — crashes
    durable-rules 2.0.28 (a segmentation fault in tests/test_archive.py), so partitions are
    not freed one by one."""
    native = _import_engine().durable_rules_engine
    handle = native.create_ruleset(name, definition)
    out: list[tuple[str, list[str]]] = []
    try:
        for sid in sids:
            out.append((sid, _evaluate(handle, sid, facts_by_sid[sid])))
        return out
    finally:
        for sid, messages in out:
            if messages:  # a state in which nothing fired crashes delete_state
                native.delete_state(handle, sid)
        native.delete_ruleset(handle)


#: how many runs were evaluated in worker processes (for tests and benchmarks)
PARALLEL_RUNS = 0
#: the work of a parallel run, inherited by forked worker processes (never pickled)
_JOB: tuple[str, dict[str, list[Fact]]] | None = None


def _evaluate_in_child(sids: list[str]) -> list[tuple[str, list[str]]]:
    assert _JOB is not None
    definition, facts_by_sid = _JOB
    return _evaluate_all(definition, f"w{os.getpid()}_{sids[0]}", sids, facts_by_sid)


def _chunks(facts_by_sid: dict[str, list[Fact]], processes: int) -> list[list[str]]:
    """Sids in chunks of similar fact counts, a few per process so a busy core does not hold
    up the run; the order of results does not depend on them (they are applied by sid)."""
    count = processes * 4
    chunks: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for sid in sorted(facts_by_sid, key=lambda s: (-len(facts_by_sid[s]), s)):
        i = loads.index(min(loads))
        chunks[i].append(sid)
        loads[i] += len(facts_by_sid[sid]) + 1
    return [sorted(c) for c in chunks if c]


class Engine:
    """One ruleset on one engine instance. Use as a context manager; always closed."""

    _serial = 0

    def __init__(self, name: str, rules: dict[str, Any], action: Action):
        Engine._serial += 1
        self.name = f"{name}_{os.getpid()}_{Engine._serial}"
        self._action = action
        self._errors: list[BaseException] = []
        self._closed = False
        definition: dict[str, Any] = {rule_name: copy.deepcopy(rule) for rule_name, rule in rules.items()}
        # Every sid gets a gate fact; this rule fires once per sid on it. It proves each
        # partition was fully processed, and a state in which no action ever fired crashes
        # the engine's delete_state (measured: segmentation fault), so it also keeps
        # freeing each partition safe.
        definition[GATE_RULE] = {"all": [{"gate": {"t": "gate"}}]}
        self._definition = json.dumps(definition, ensure_ascii=False)

    def _native(self) -> Any:
        return _import_engine().durable_rules_engine

    def assert_partitioned(self, facts_by_sid: dict[str, list[Fact]]) -> None:
        """Assert each sid's facts, then its gate fact last (see module docstring).

        Partitions are evaluated in parallel worker processes when the run is large (see
        ``engine_processes``); actions always run here, partition by partition in sid order,
        so the result is the same whatever the number of processes.
        """
        if len(facts_by_sid) > MAX_SIDS:
            raise EngineError(f"{len(facts_by_sid)} partitions exceed the engine's limit of {MAX_SIDS}")
        for sid, facts in facts_by_sid.items():
            ids = [f["id"] for f in facts]
            if len(set(ids)) != len(ids):
                raise EngineError(f"duplicate fact ids in partition {sid}")
        processes = engine_processes(sum(len(f) for f in facts_by_sid.values()))
        if processes > 1 and len(facts_by_sid) > 1:
            self._apply_all(self._parallel(facts_by_sid, processes))
            return
        for sid, messages in _evaluate_all(self._definition, self.name, sorted(facts_by_sid), facts_by_sid):
            self._apply(sid, messages)
        self._raise_errors()

    def _parallel(self, facts_by_sid: dict[str, list[Fact]], processes: int) -> dict[str, list[str]]:
        """Evaluate partitions in ``processes`` processes: this one and ``processes - 1`` forked
        workers (a fork shares the loaded workspace; one fewer copy of what it then touches)."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _JOB, PARALLEL_RUNS
        PARALLEL_RUNS += 1
        _import_engine()  # imported before the fork, so every worker has it
        engine_ids(max(len(f) for f in facts_by_sid.values()) + 1)
        chunks = _chunks(facts_by_sid, processes)
        mine = chunks[::processes]
        theirs = [chunk for i, chunk in enumerate(chunks) if i % processes]
        _JOB = (self._definition, facts_by_sid)
        try:
            with ProcessPoolExecutor(processes - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                pending = pool.map(_evaluate_in_child, theirs)  # submitted (and forked) at once
                results = dict(_evaluate_all(self._definition, self.name, [s for c in mine for s in c], facts_by_sid))
                for part in pending:
                    results.update(part)
                return results
        finally:
            _JOB = None

    def _apply_all(self, messages: dict[str, list[str]]) -> None:
        for sid in sorted(messages):
            self._apply(sid, messages[sid])
        self._raise_errors()

    def _apply(self, sid: str, messages: list[str]) -> None:
        """Run the actions of one partition's firings, in firing order; check its gate fired."""
        gate = False
        for fired in json.loads(f"[{','.join(messages)}]"):  # one parse for the partition
            for rule_name, match in fired.items():
                if rule_name == GATE_RULE:
                    gate = True
                elif not self._errors:
                    try:
                        self._action(rule_name, match)
                    except BaseException as exc:  # recorded, raised once the partition is done
                        self._errors.append(exc)
        if not gate and not self._errors:
            raise EngineError(f"partition {sid} was not fully processed by the engine")

    def _raise_errors(self) -> None:
        if self._errors:
            error = self._errors[0]
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise error
            raise EngineError(f"a rule action failed: {error!r}") from error

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True  # each partition's ruleset was deleted once its gate had fired


@contextmanager
def engine(name: str, rules: dict[str, Any], action: Action) -> Iterator[Engine]:
    instance = Engine(name, rules, action)
    try:
        yield instance
    finally:
        instance.close()


def fnv1a_32(text: str) -> int:
    """The engine's message-identity hash (``fnv1Hash32`` in its state.c: FNV-1a, 32 bits)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


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
