"""Names where people write names: a unique name works as well as its id.

Wherever a person, department, post, power item or risk point is referenced (records'
``subject`` and ``by``, org.yaml and risks.yaml references, waivers, the forms), the value may
be the id, the name (a risk point's name is its description; the unit's short name counts), or
``name（id）`` as the forms write a name shared by two entries. An ambiguous name is refused
with its candidates and their ids; an unknown one with the closest ids and names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

KIND_WORDS = {
    "unit": ("单位", "unit"),
    "person": ("人员", "person"),
    "department": ("部室", "department"),
    "post": ("岗位", "post"),
    "power": ("权力事项", "power item"),
    "risk_point": ("风险点", "risk point"),
}
_WITH_ID = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<id>[^（()）]+?)\s*[)）]$")


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    name: str


class NameProblem(ValueError):
    """A reference that names nothing, or more than one thing; ``en``/``zh`` say which and why."""

    def __init__(self, en: str, zh: str, ambiguous: bool = False):
        self.en = en
        self.zh = zh
        #: the name fits several entries (as opposed to none)
        self.ambiguous = ambiguous
        super().__init__(en)

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Names:
    """Ids and names of everything a reference may name."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)
        self._ids: dict[str, list[Entry]] = defaultdict(list)
        self._names: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self._ids[entry.id].append(entry)
            if entry.name:
                self._names[entry.name.strip()].append(entry)

    @classmethod
    def of(cls, org: object, risks: object | None = None) -> Names:
        """The names of an ``Org`` (and a ``Risks``); duck-typed to stay free of the models."""
        entries: list[Entry] = []
        unit = org.unit  # type: ignore[attr-defined]
        entries.append(Entry("unit", unit.id, unit.name))
        if unit.short_name:
            entries.append(Entry("unit", unit.id, unit.short_name))
        entries += [Entry("person", p.id, p.name) for p in org.people]  # type: ignore[attr-defined]
        entries += [Entry("department", d.id, d.name) for d in org.departments]  # type: ignore[attr-defined]
        entries += [Entry("post", p.id, p.name) for p in org.posts]  # type: ignore[attr-defined]
        if risks is not None:
            entries += [Entry("power", p.id, p.name) for p in risks.powers]  # type: ignore[attr-defined]
            entries += [Entry("risk_point", r.id, r.description) for r in risks.risk_points]  # type: ignore[attr-defined]
        return cls(entries)

    def is_id(self, value: str, kinds: Collection[str]) -> bool:
        # (a city's org.yaml and risks.yaml hold ~38k references: no set made per call)
        entries = self._ids.get(value)
        return entries is not None and any(e.kind in kinds for e in entries)

    def resolve(self, value: str, kinds: Iterable[str]) -> str:
        """The id ``value`` stands for among entries of ``kinds``; ``NameProblem`` if none or several."""
        wanted = tuple(kinds)
        text = value.strip()
        by_id = [e for e in self._ids.get(text, ()) if e.kind in wanted]
        if by_id:
            return by_id[0].id
        match = _WITH_ID.match(text)
        if match:
            by_both = [e for e in self._ids.get(match.group("id"), ()) if e.kind in wanted]
            if by_both and by_both[0].name == match.group("name"):
                return by_both[0].id
        by_name = {e.id: e for e in self._names.get(text, ()) if e.kind in wanted}
        if len(by_name) == 1:
            return next(iter(by_name))
        what_en = " or ".join(KIND_WORDS[k][1] for k in wanted)
        what_zh = "或".join(KIND_WORDS[k][0] for k in wanted)
        if by_name:
            listed = ", ".join(f"{e.name} ({e.id}, {KIND_WORDS[e.kind][1]})" for e in by_name.values())
            listed_zh = "、".join(f"{e.name}（{e.id}，{KIND_WORDS[e.kind][0]}）" for e in by_name.values())
            raise NameProblem(
                f'"{text}" names {len(by_name)} entries: {listed}; write the id instead',
                f"“{text}”对应 {len(by_name)} 项：{listed_zh}；请改写为编号",
                ambiguous=True,
            )
        close = self.closest(text, wanted)
        hint_en = f" (closest: {', '.join(close)})" if close else ""
        hint_zh = f"（最接近的：{'、'.join(close)}）" if close else ""
        raise NameProblem(f'unknown {what_en} "{text}"{hint_en}', f"未知的{what_zh}“{text}”{hint_zh}")

    def closest(self, text: str, kinds: Iterable[str], n: int = 3) -> list[str]:
        """The closest ids and names among entries of ``kinds``, as ``name (id)``."""
        wanted = set(kinds)
        pool = [e for e in self.entries if e.kind in wanted]
        keys: dict[str, Entry] = {}
        for e in pool:
            keys.setdefault(e.id, e)
            if e.name:
                keys.setdefault(e.name, e)
        found: list[str] = []
        import difflib  # only when a name is wrong: not every command's start

        for key in difflib.get_close_matches(text, list(keys), n=n * 2, cutoff=0.5):
            e = keys[key]
            label = f"{e.name} ({e.id})" if e.name else e.id
            if label not in found:
                found.append(label)
        return found[:n]

    def display(self, entity_id: str, kind: str) -> str:
        """How a form writes a reference: the name, or ``name（id）`` when the name is shared."""
        entry = next((e for e in self._ids.get(entity_id, ()) if e.kind == kind), None)
        if entry is None or not entry.name:
            return entity_id
        shared = {e.id for e in self._names.get(entry.name.strip(), ()) if e.kind == kind}
        return entry.name if len(shared) == 1 else f"{entry.name}（{entity_id}）"
