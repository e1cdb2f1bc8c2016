"""The durable-rules adapter: one engine per run, deterministic, torn down afterwards.

durable-rules 2.0.28 fails silently in several ways (../shared/notes/durable-rules.md);
this module is the only place that talks to it and closes each hole:

- every fact carries a stable, unique ``id`` (content-hash ids collide past ~50k facts);
- facts are partitioned by ``sid`` (≤ ``MAX_FACTS_PER_SID`` each, < 1,024 sids) and
  correlated facts share a sid — the caller chooses the partition key;
- a ``gate`` fact is the first pattern of every rule and is asserted last in each sid, so
  a negation (no evidence) is decided only once all evidence is in: results do not depend
  on input order;
- the stock ``Host`` starts timer threads and never frees rulesets; ``_QuietHost`` starts
  none, and ``Engine.close`` deletes every sid's state and the ruleset;
- exceptions inside actions are swallowed by the engine; actions are wrapped, the first
  error is recorded and re-raised as ``EngineError`` once the assert call returns.
"""

from __future__ import annotations

import contextlib
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


class _QuietHost:
    """Factory for a Host subclass that starts no timer threads (created lazily)."""

    _cls: Any = None

    @classmethod
    def make(cls, actions: dict[str, Callable[[Any], None]]) -> Any:
        engine = _import_engine()
        if cls._cls is None:

            class Host(engine.Host):  # type: ignore[name-defined]
                def __init__(self, bound: dict[str, Callable[[Any], None]]):
                    self._bound = bound
                    super().__init__()

                def _run(self) -> None:  # no dispatch/timer threads: we assert synchronously
                    return None

                def get_action(self, action_name: str) -> Callable[[Any], None]:
                    return self._bound[action_name]

            cls._cls = Host
        return cls._cls(actions)


def partition(key: str, sids: int) -> str:
    """A stable sid for a partition key (crc32, not Python's salted ``hash``)."""
    return str(zlib.crc32(key.encode("utf-8")) % sids)


def sid_count(total_facts: int) -> int:
    return max(1, min(MAX_SIDS, -(-total_facts * 2 // MAX_FACTS_PER_SID)))


class Engine:
    """One ruleset on one engine instance. Use as a context manager; always closed."""

    _serial = 0

    def __init__(self, name: str, rules: dict[str, Any], action: Action):
        Engine._serial += 1
        self.name = f"{name}_{os.getpid()}_{Engine._serial}"
        self._errors: list[BaseException] = []
        self._sids: set[str] = set()
        self._closed = False
        bound: dict[str, Callable[[Any], None]] = {}
        definition: dict[str, Any] = {}
        for rule_name, rule in rules.items():
            bound[rule_name] = self._wrap(rule_name, action)
            definition[rule_name] = {**copy.deepcopy(rule), "run": rule_name}
        # Every sid gets a gate fact; this rule fires once per sid on it. It proves each
        # partition was fully processed, and a state in which no action ever fired crashes
        # the engine's delete_state (measured: segmentation fault), so it also keeps
        # teardown safe.
        bound[GATE_RULE] = self._gate_seen
        definition[GATE_RULE] = {"all": [{"gate": {"t": "gate"}}], "run": GATE_RULE}
        self._gates: set[str] = set()
        self._host = _QuietHost.make(bound)
        # set_rulesets deletes the "run" keys of the dict it is given: it gets our copy
        self._host.set_rulesets({self.name: definition})
        self._ruleset = self._host.get_ruleset(self.name)

    def _gate_seen(self, closure: Any) -> None:
        self._gates.add(str(closure.s.sid))

    def _wrap(self, rule_name: str, action: Action) -> Callable[[Any], None]:
        def run(closure: Any) -> None:
            if self._errors:
                return
            try:
                # a rule with several patterns binds each alias in ``closure._m``
                match = {alias: dict(value) for alias, value in closure._m.items()}
                action(rule_name, match)
            except BaseException as exc:  # the engine would swallow it, Ctrl-C included
                self._errors.append(exc)

        return run

    def assert_partitioned(self, facts_by_sid: dict[str, list[Fact]]) -> None:
        """Assert each sid's facts, then its gate fact last (see module docstring)."""
        if len(facts_by_sid) > MAX_SIDS:
            raise EngineError(f"{len(facts_by_sid)} partitions exceed the engine's limit of {MAX_SIDS}")
        for sid in sorted(facts_by_sid):
            facts = facts_by_sid[sid]
            ids = [f["id"] for f in facts]
            if len(set(ids)) != len(ids):
                raise EngineError(f"duplicate fact ids in partition {sid}")
            self._sids.add(sid)
            batch = _distinct_hashes([{**f, "sid": sid} for f in facts] + [{"id": GATE_ID, "t": "gate", "sid": sid}])
            self._assert(batch)
            if sid not in self._gates:
                raise EngineError(f"partition {sid} was not fully processed by the engine")

    def _assert(self, batch: list[Fact]) -> None:
        """Assert a batch through the C API, then run every action it made pending.

        The stock ``Host.assert_facts`` raises ``MessageNotHandledException`` as soon as one
        fact of the batch matches no pattern, and then never runs the actions the others
        made pending (and ``delete_state`` on such a state crashes the process). The C call
        returns the state handle in both cases, so the actions are drained here.
        """
        engine = _import_engine()
        payload = json.dumps(batch, ensure_ascii=False)
        code, state_handle = engine.durable_rules_engine.assert_facts(self._ruleset._handle, payload)
        if code == _OBSERVED:
            raise EngineError("the engine saw a fact twice (id collision); fact ids must be unique")
        if code not in (_OK, _NOT_HANDLED):
            raise EngineError(f"the engine refused a batch (code {code})")
        failure: list[BaseException] = []

        def complete(error: BaseException | None, _state: Any) -> None:
            if error is not None:
                failure.append(error if isinstance(error, BaseException) else EngineError(str(error)))

        self._ruleset.do_actions(state_handle, complete)
        if failure and not self._errors:
            self._errors.append(failure[0])
        if self._errors:
            error = self._errors[0]
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise error
            raise EngineError(f"a rule action failed: {error!r}") from error

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        engine = _import_engine()
        for sid in self._sids:
            with contextlib.suppress(Exception):  # teardown must finish
                self._ruleset.delete_state(sid)
        engine.durable_rules_engine.delete_ruleset(self._ruleset._handle)
        self._host._ruleset_directory.pop(self.name, None)
        self._host._ruleset_list.clear()


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


def _distinct_hashes(batch: list[Fact]) -> list[Fact]:
    """Give facts whose ids collide in the engine's 32-bit hash a distinct id.

    The engine stores a fact under the 32-bit hash of its id. Two different ids with the
    same hash (measured: "o:111328" and "o:1066100") make it drop the second fact, and a
    batch reports that only if no later fact goes unhandled: the drop is silent. Engine ids
    are our own (rules correlate on other fields), so a colliding one is renamed.
    """
    used: set[int] = set()
    out: list[Fact] = []
    for fact in batch:
        fact_id = str(fact["id"])
        candidate, n = fact_id, 0
        while fnv1a_32(candidate) in used:
            n += 1
            candidate = f"{fact_id}~{n}"
        used.add(fnv1a_32(candidate))
        out.append(fact if n == 0 else {**fact, "id": candidate})
    return out


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
