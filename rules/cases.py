"""Every rule's passing and failing cases (``rules/fixtures/<family>.yaml``), sqlfluff's way.

Each case is a small workspace: the base unit of ``tests/fixtures/base`` (unit u1;
departments dept-a, dept-b; posts post-a1, post-b1; leaders ldr-main, ldr-prog), the
records and replaced keys the case gives, an as-of date, and the findings a user sees.
``tests/test_rule_cases.py`` runs every case; ``lianfang explain CODE`` prints the cases of
the rule verbatim, so the documentation is the test and cannot drift from it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CODE = re.compile(r"^([SRGKT]\d{3})(?:_|$)")


@dataclass(frozen=True)
class FixtureCase:
    family: str
    name: str
    #: the case as data (``as_of``, ``records``, ``expect`` …)
    data: dict[str, Any]
    #: the case exactly as written in its file
    text: str

    @property
    def passing(self) -> bool:
        return self.name.startswith("test_pass_")

    @property
    def codes(self) -> list[str]:
        return case_codes(self.name.removeprefix("test_pass_").removeprefix("test_fail_"))


def case_codes(rest: str) -> list[str]:
    """The rule codes a case is about: those its name starts with (``R206_R207_…``)."""
    codes = []
    while match := CODE.match(rest):
        codes.append(match.group(1))
        rest = rest[match.end() :]
    return codes


@functools.cache
def load_cases(folder: Path = FIXTURES) -> list[FixtureCase]:
    """Every case of every fixture file, in file order."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)["cases"]
        lines = text.splitlines()
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        assert isinstance(root, yaml.MappingNode)
        cases_node = next(v for k, v in root.value if k.value == "cases")
        starts = [(k.value, k.start_mark.line) for k, _ in cases_node.value]
        for index, (name, start) in enumerate(starts):
            end = starts[index + 1][1] if index + 1 < len(starts) else len(lines)
            block = lines[start:end]
            while block and (not block[-1].strip() or block[-1].strip().startswith("#")):
                block.pop()  # comments before the next case belong to it
            out.append(FixtureCase(path.stem, name, data[name], "\n".join(block)))
    return out


def cases_for(code: str) -> list[FixtureCase]:
    return [c for c in load_cases() if code in c.codes]
