"""Bounded YAML: every YAML file lianfang reads goes through here.

A YAML file may share a value through an anchor and aliases (``&a`` … ``*a``). Loaded
naively, nine lines of aliases expand to a billion values (an "alias bomb") and an alias
inside its own anchor loops forever. Here a document is first *composed* (its node graph,
where an alias is the same node object again, so nothing is expanded yet), then measured:
its depth, whether an alias refers to a value that contains it, and how many values it
would expand to. Only a document within the limits of ``models.limits`` is constructed.
Nesting is bounded by libyaml itself (1,000 levels; deeper is a YAML error with its line) and,
where aliases are used, by ``MAX_YAML_DEPTH``. Scalars that YAML would turn into dates, times, integers or floats are tried one by one
first, so that ``2026-06-31``, an hour 25 or an offset +99:00 is reported with its line and
key instead of failing the whole load without either.

Walkers over the node graph (:func:`walk`) visit every node once, however many aliases
point to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from lianfang.models.limits import MAX_YAML_ALIAS_EXPANSION, MAX_YAML_DEPTH

#: libyaml's parser when PyYAML was built with it: the pure-Python one takes seconds on a
#: 2,000-person org.yaml
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
CHECKED_TAGS = (TIMESTAMP_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


@dataclass(frozen=True)
class YamlProblem:
    """A document refused before it is built: where (line, key path) and why."""

    line: int
    key: str
    message: str
    zh: str
    value: str = ""


class YamlRefused(Exception):
    """The document breaks a limit or holds values that cannot be built."""

    def __init__(self, problems: list[YamlProblem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class StrictLoader(SafeLoader):
    """A safe loader that rejects duplicate and unhashable keys (a silently dropped key reads as a pass)."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or a mapping", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f'duplicate key "{key}"', key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _path_of(parents: dict[int, tuple[yaml.Node | None, str]], node: yaml.Node) -> str:
    parts: list[str] = []
    current: yaml.Node | None = node
    while current is not None and id(current) in parents:
        parent, part = parents[id(current)]
        parts.append(part)
        current = parent
    path = ""
    for part in reversed(parts):
        path += part if part.startswith("[") or not path else f".{part}"
    return path


def walk(root: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    """Every node of a composed document once, with the key path of its first occurrence."""
    if root is None:
        return
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield path, node
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{path}.{name}" if path else name))
                stack.append((key, path))
        elif isinstance(node, yaml.SequenceNode):
            for i in reversed(range(len(node.value))):
                stack.append((node.value[i], f"{path}[{i}]"))


def measure(root: yaml.Node | None) -> None:
    """Refuse a document too deep, with a recursive alias, or expanding past the limit.

    Iterative, and linear in the number of distinct nodes: an alias is measured once.
    """
    if root is None:
        return
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 while its children are measured, 2 when done
    written = 0
    stack: list[tuple[yaml.Node, bool, str]] = [(root, False, "")]
    while stack:
        node, done, path = stack.pop()
        nid = id(node)
        kids = _children(node)
        if done:
            size[nid] = 1 + sum(size[id(k)] for k in kids)
            height[nid] = 1 + max((height[id(k)] for k in kids), default=0)
            state[nid] = 2
            continue
        if state.get(nid) == 2:
            continue
        if state.get(nid) == 1:
            raise YamlRefused(
                [
                    YamlProblem(
                        node.start_mark.line + 1,
                        path,
                        "an alias refers to a value that contains it (a recursive alias); write the value out",
                        "别名引用了包含它自身的值（递归别名）；请直接写出该值",
                    )
                ]
            )
        state[nid] = 1
        written += 1
        stack.append((node, True, path))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((key, False, path))
                stack.append((value, False, f"{path}.{name}" if path else name))
        else:
            for i, kid in enumerate(kids):
                stack.append((kid, False, f"{path}[{i}]"))
    if height[id(root)] > MAX_YAML_DEPTH:
        raise YamlRefused(
            [YamlProblem(1, "", f"nested more than {MAX_YAML_DEPTH} levels deep", f"嵌套超过 {MAX_YAML_DEPTH} 层")]
        )
    if size[id(root)] > written + MAX_YAML_ALIAS_EXPANSION:
        raise YamlRefused(
            [
                YamlProblem(
                    1,
                    "",
                    f"its aliases (*name) expand it to {size[id(root)]:,} values from the {written:,} written; "
                    f"at most {MAX_YAML_ALIAS_EXPANSION:,} more are allowed; write the repeated parts out",
                    f"其中的别名（*名称）把文件展开为 {size[id(root)]:,} 个值（实际写出 {written:,} 个），"
                    f"最多只允许多出 {MAX_YAML_ALIAS_EXPANSION:,} 个；请直接写出重复的部分",
                )
            ]
        )


def bad_timestamps(root: yaml.Node | None) -> list[YamlProblem]:
    """Scalars YAML reads as dates or date-times that are not real ones."""
    loader = StrictLoader("")
    try:
        return _scalar_problems(loader, root, (TIMESTAMP_TAG,))
    finally:
        loader.dispose()


def _scalar_problems(loader: Any, root: yaml.Node | None, tags: tuple[str, ...] = CHECKED_TAGS) -> list[YamlProblem]:
    """Scalars YAML reads as dates, times or numbers that cannot be built."""
    out = []
    for path, node in walk(root):
        if isinstance(node, yaml.ScalarNode) and node.tag in tags:
            try:
                loader.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError):
                if node.tag == TIMESTAMP_TAG:
                    message = "is not a real date, or date and time (YYYY-MM-DD, hours 0–23, offsets up to ±23:59)"
                    zh = "不是真实的日期或日期时间（YYYY-MM-DD，小时 0–23，时区偏移不超过 ±23:59）"
                else:
                    message, zh = "is not a number lianfang can read", "不是可读取的数字"
                out.append(YamlProblem(node.start_mark.line + 1, path, message, zh, str(node.value)[:40]))
    return out


def compose(text: str) -> yaml.Node | None:
    """The node graph of ``text``, measured; raises ``yaml.YAMLError`` or ``YamlRefused``."""
    root = _compose_shallow(text)
    if "*" in text:  # without an alias nothing expands and nothing can loop
        measure(root)
    return root


def _compose_shallow(text: str) -> yaml.Node | None:
    loader = StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def compose_or_none(text: str) -> yaml.Node | None:
    """For walkers that look up line numbers: the measured node graph, or None if unreadable."""
    try:
        return compose(text)
    except (yaml.YAMLError, YamlRefused, RecursionError):
        return None


def top_level(text: str, key: str) -> yaml.Node | None:
    """For line lookups: the node under top-level ``key`` of a YAML text, or None."""
    root = compose_or_none(text)
    if isinstance(root, yaml.MappingNode):
        for name, value in root.value:
            if name.value == key:
                return value
    return None


def key_lines(node: yaml.Node) -> dict[str, int]:
    """The 1-based line of every key of a mapping node (none for another node)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def load(text: str) -> Any:
    """Build the document in ``text`` within the limits; raises ``yaml.YAMLError`` or ``YamlRefused``."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        if "*" in text:  # without an alias nothing expands and nothing can loop
            measure(root)
        try:
            return loader.construct_document(root) if root is not None else None
        except (ValueError, OverflowError):
            problems = _scalar_problems(loader, root)
            if problems:
                raise YamlRefused(problems) from None
            raise
    finally:
        loader.dispose()
