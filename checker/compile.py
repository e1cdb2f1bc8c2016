"""Compile a register check's YAML patterns to durable-rules rules, as data (no eval).

durable-rules gives wrong answers, silently, for ``$or`` mixed with correlations (measured
here: alternatives dropped or matched across the correlation). So ``any`` alternatives are
never sent as ``$or``: a check with N alternatives compiles to N engine rules, and the
checker reports one finding per (rule, subject) whichever of them fired.
"""

from __future__ import annotations

import itertools
from typing import Any

from lianfang.rules.schema import Pattern, Rule

#: ``id`` is the engine's fact identity; a fact's domain id travels as ``id_``
ENGINE_FIELD = {"id": "id_"}
OPS = {"eq": None, "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


class CompileError(ValueError):
    """A check refers to an alias or operator that does not exist."""


def _value(value: Any, aliases: set[str], rule: Rule) -> Any:
    if isinstance(value, dict) and set(value) == {"ref"}:
        alias, _, field = str(value["ref"]).partition(".")
        if alias not in aliases or not field:
            raise CompileError(f'{rule.code}: reference "{value["ref"]}" names no earlier pattern')
        return {alias: ENGINE_FIELD.get(field, field)}
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (str, int, float)):
        return value
    raise CompileError(f"{rule.code}: unsupported value {value!r}")


def _conditions(where: dict[str, Any], aliases: set[str], rule: Rule) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, spec in where.items():
        field = ENGINE_FIELD.get(name, name)
        tests = spec if isinstance(spec, dict) and "ref" not in spec else {"eq": spec}
        for op, value in tests.items():
            if op not in OPS:
                raise CompileError(f'{rule.code}: unknown operator "{op}" (use {", ".join(OPS)})')
            compiled = _value(value, aliases, rule)
            operator = OPS[op]
            out.append({field: compiled} if operator is None else {operator: {field: compiled}})
    return out


def domain_fields(fact: dict[str, Any]) -> dict[str, Any]:
    """A matched fact as rule authors name its fields (``id`` rather than ``id_``)."""
    out = {k: v for k, v in fact.items() if k not in ("id", "sid", "t")}
    if "id_" in out:
        out["id"] = out.pop("id_")
    return out


def compile_check(rule: Rule) -> dict[str, dict[str, Any]]:
    """Return ``{engine_rule_name: definition}`` for one check rule."""
    assert rule.check is not None
    patterns: list[Pattern] = rule.check.match
    choices = [p.any or [{}] for p in patterns]
    compiled: dict[str, dict[str, Any]] = {}
    for number, combination in enumerate(itertools.product(*choices)):
        aliases: set[str] = set()
        all_: list[dict[str, Any]] = [{"gate": {"t": "gate"}}]
        for index, (pattern, alternative) in enumerate(zip(patterns, combination, strict=True)):
            conditions = [{"t": pattern.fact}]
            conditions += _conditions(pattern.where, aliases, rule)
            conditions += _conditions(alternative, aliases, rule)
            body = {"$and": conditions} if len(conditions) > 1 else conditions[0]
            if pattern.absent:
                all_.append({f"n{index}$not": body})
            else:
                assert pattern.as_ is not None
                all_.append({pattern.as_: body})
                aliases.add(pattern.as_)
        subject_alias = rule.check.subject.split(".")[0]
        if subject_alias not in aliases:
            raise CompileError(f"{rule.code}: subject {rule.check.subject} names no pattern")
        compiled[f"{rule.code}__{number}"] = {"all": all_}
    return compiled
