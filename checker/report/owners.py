"""Owner digests (``--by-owner``): open findings grouped by accountable person.

Each person on a finding's accountable chain (T501, one tier more when escalated by T502)
gets the finding in their own section, with the tier at which they answer for it. A finding
is never listed under anyone who is not on its chain; findings with nobody accountable get
a section of their own, so nothing drops out of the digest a notification job sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lianfang.checker.findings import Finding
from lianfang.checker.result import CheckResult, sort_key

WORDS = {
    "zh": {"nobody": "无责任人", "tier": "第 {tier} 层", "items": "{count} 项"},
    "en": {"nobody": "nobody accountable", "tier": "tier {tier}", "items": "{count} items"},
}


@dataclass(frozen=True)
class OwnerSection:
    """One person's digest: who, and the findings they answer for (nearest tier first)."""

    person: str | None
    name: str
    title: str
    findings: tuple[Finding, ...]

    def tier(self, finding: Finding) -> int | None:
        """1 for the nearest tier of the chain; None in the nobody-accountable section."""
        if self.person is None:
            return None
        return finding.accountable.index(self.person) + 1

    def heading(self, lang: str) -> str:
        words = WORDS[lang]
        count = words["items"].format(count=len(self.findings))
        if self.person is None:
            return f"{words['nobody']} — {count}"
        about = ", ".join(x for x in (self.person, self.title) if x)
        who = f"{self.name}（{about.replace(', ', '，')}）" if lang == "zh" else f"{self.name} ({about})"
        return f"{who} — {count}"

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "title": self.title,
            "findings": [{**f.to_json(), "tier": self.tier(f)} for f in self.findings],
        }


def by_owner(result: CheckResult, findings: list[Finding]) -> list[OwnerSection]:
    """Sections in the order people are listed in org.yaml; the nobody-accountable one last."""
    people = result.workspace.people
    order = {pid: i for i, pid in enumerate(people)}
    groups: dict[str | None, list[Finding]] = {}
    for f in findings:
        for pid in dict.fromkeys(f.accountable or (None,)):
            groups.setdefault(pid, []).append(f)

    def place(pid: str | None) -> tuple[int, int, str]:
        if pid is None:
            return (2, 0, "")
        return (0, order[pid], pid) if pid in order else (1, 0, pid)

    sections = []
    for pid in sorted(groups, key=place):
        person = people.get(pid) if pid is not None else None
        items = groups[pid]
        # nearest tier first: a person's own items before those they supervise
        items.sort(key=lambda f: (f.accountable.index(pid) if pid in f.accountable else 0, *sort_key(f)))
        sections.append(
            OwnerSection(
                person=pid,
                name=person.name if person else (pid or WORDS[result.lang]["nobody"]),
                title=person.title if person else "",
                findings=tuple(items),
            )
        )
    return sections


def people_names(result: CheckResult, ids: tuple[str, ...] | list[str], with_ids: bool = True) -> str:
    """Names of people for a report line: 张玉刚 (zhang-yugang), 谢恩明 (xie-enming)."""
    people = result.workspace.people
    parts = []
    for pid in ids:
        name = people[pid].name if pid in people else pid
        parts.append(f"{name} ({pid})" if with_ids and pid in people else name)
    return ("、" if result.lang == "zh" and not with_ids else ", ").join(parts)
