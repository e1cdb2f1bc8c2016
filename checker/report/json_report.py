"""``--format json``: the complete, machine-readable form (SPEC §5)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any, TextIO

from lianfang import __version__
from lianfang.checker.escape import JSON_RAW, json_text
from lianfang.checker.findings import Finding
from lianfang.checker.report import ReportOptions, register
from lianfang.checker.result import CheckResult
from lianfang.checker.write_behind import write_behind
from lianfang.models.collector import collector_paused

_ACCOUNTABLE = attrgetter("accountable")
#: where the findings go in the document ``write_json`` renders around them: a NUL byte never
#: appears raw in JSON (a string holds it as \u0000), so it cannot be anything else
_FINDINGS_HERE = b"\x00findings\x00"
#: findings rendered at a time by ``write_json``: each piece is written while the next is made
CHUNK_FINDINGS = 8_192
#: what a piece of findings is dumped in (``json_pieces``): before and after its items
_LIST_OPENS, _LIST_CLOSES = b'{\n  "findings": [\n', b"\n  ]\n}"
#: in such a piece, before the first finding's lines, between two findings', after the last's: a
#: JSON text holds no raw newline inside a string, and only the findings' own braces are
#: indented by four spaces (their values' by six and more), so these bytes separate nothing else
_ITEM_OPENS, _ITEM_SEP, _ITEM_CLOSES = b"    {\n", b"\n    },\n    {\n", b"\n    }"


# a city's 185k findings make ~600k dicts and lists, all alive until written (then freed by
# reference counting): no collection need scan them
@collector_paused(freeze=True)
def as_dict(result: CheckResult, options: ReportOptions) -> dict:
    findings = options.selected(result)
    return _document(result, options, findings, [f.to_json() for f in findings])


def _document(result: CheckResult, options: ReportOptions, findings: list[Finding], listed: Any) -> dict:
    """The report with ``listed`` as its findings."""
    people = {p.id: p.name for p in result.workspace.org.people}
    data: dict[str, Any] = {
        "tool": {"name": "lianfang", "version": __version__},
        "summary": result.summary(),
        "findings": listed,
        "people": {pid: people[pid] for pid in sorted(set().union(*map(_ACCOUNTABLE, findings))) if pid in people},
        # expired and stale waivers (issue 4); always present so consumers need not probe
        "waiver_problems": [p.to_json() for p in result.waiver_problems],
        # warnings about the user's files (each also printed on stderr), e.g. a record that
        # matches nothing because its period has the wrong granularity (SPEC §3.1 point 1)
        "warnings": [
            {"file": n.file, "where": n.where, "message": n.en if result.lang == "en" else n.zh}
            for n in result.notices()
        ],
    }
    if options.by_owner:
        from lianfang.checker.report.owners import by_owner

        data["by_owner"] = [section.to_json() for section in by_owner(result, findings)]
    return data


@register("json")
def write_json(result: CheckResult, stream: TextIO, options: ReportOptions) -> None:
    """``dumps_bytes(as_dict(result, options))``, byte for byte, made and written in pieces: the
    document around the findings, then the findings ``CHUNK_FINDINGS`` at a time, each given to
    orjson as the finding holds its values (``Finding.json_fields``). A thread writes each piece
    while the next is made (a write leaves the GIL): a city's 175 MB are written meanwhile, and
    its 185k findings' dicts never all exist at once."""
    write_json_pieces(stream, json_pieces(result, options))


def json_pieces(result: CheckResult, options: ReportOptions) -> Iterator[bytes | memoryview]:
    """The pieces of ``write_json``'s output, in order (some are views of a larger bytes)."""
    import orjson

    findings = options.selected(result)
    if not findings:
        yield dumps_bytes(_document(result, options, findings, []))
        return
    # (each piece's dicts are freed by reference counting once it is written: no collection)
    with collector_paused():
        around = dumps_bytes(_document(result, options, findings, orjson.Fragment(_FINDINGS_HERE)))
        head, tail = around.split(_FINDINGS_HERE)
        yield head + b"[\n"
        for start in range(0, len(findings), CHUNK_FINDINGS):
            chunk = findings[start : start + CHUNK_FINDINGS]
            if start:
                yield b",\n"
            if any(map(_JSON_ITEM, chunk)):  # (findings a share made: see ``json_items``)
                fresh = iter(json_items([f for f in chunk if f.json_item is None]))
                items = [f.json_item if f.json_item is not None else next(fresh) for f in chunk]
                yield _ITEM_OPENS
                yield _ITEM_SEP.join(items)
                yield _ITEM_CLOSES
            else:
                yield memoryview(_listed(chunk))[len(_LIST_OPENS) : -len(_LIST_CLOSES)]
        yield b"\n  ]" + tail


def _listed(findings: list[Finding]) -> bytes:
    """The findings dumped as a list where it stands in the document, one level down, so that
    orjson indents the items as the whole document's: they are then a slice of its bytes, written
    without a copy (a city's 175 MB re-indented and copied took ~0.4 s)."""
    import orjson

    return _escaped(orjson.dumps({"findings": [f.json_fields() for f in findings]}, option=orjson.OPT_INDENT_2))


_JSON_ITEM = attrgetter("json_item")


def json_items(findings: list[Finding]) -> list[bytes]:
    """Each finding's item as ``json_pieces`` writes it, its lines between its braces, escaped
    (``Finding.json_item``): what a share of a large check sends instead of the evidence ids
    (checker/shares.py), so that the check's own process neither reads those nor makes their JSON."""
    if not findings:
        return []
    items = _listed(findings).split(_ITEM_SEP)
    if len(items) != len(findings):  # (cannot happen: see ``_ITEM_SEP``)
        raise AssertionError(f"{len(findings)} findings dumped as {len(items)} JSON items")
    items[0] = items[0][len(_LIST_OPENS) + len(_ITEM_OPENS) :]
    items[-1] = items[-1][: -len(_ITEM_CLOSES) - len(_LIST_CLOSES)]
    return items


def dumps_bytes(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` and a newline, as UTF-8, byte for byte,
    by orjson: the standard encoder falls back to pure Python with ``indent`` (9 s for a city's
    180k findings, against 1 s)."""
    import orjson

    return _escaped(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def _escaped(raw: bytes) -> bytes:
    """The same escapes as every JSON output (checker.escape.json_text): DEL, C1 controls, line
    separators and bidi overrides as \\uXXXX, so a name cannot change how the file displays;
    looked for in the UTF-8 bytes first (a city's report is 175 MB: no decoding without need).
    Any whole number of characters of a JSON text can be escaped on its own."""
    if not _has_json_raw(raw):
        return raw
    text = raw.decode("utf-8")
    return json_text(text).encode("utf-8") if JSON_RAW.search(text) else raw


#: ``checker.escape.JSON_RAW``'s characters in UTF-8: DEL, U+0080–U+009F, U+2028–U+202E,
#: U+2066–U+2069 (a test keeps the two in step)
_JSON_RAW_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


#: the bytes ``_JSON_RAW_UTF8``'s matches start with
_JSON_RAW_LEADS = (b"\x7f", b"\xc2", b"\xe2")
#: how many bytes that start no match (U+2014 "—" starts with \xe2) are stepped over one by
#: one before the regex takes the whole text instead
NEAR_MISSES = 10_000


def _has_json_raw(raw: bytes) -> bool:
    """Whether ``_JSON_RAW_UTF8`` matches anywhere in ``raw``.

    ``bytes.find`` finds each byte a match starts with at memory speed, where the regex
    steps through every byte (1.3 s for a city's report, ~0.1 s this way); each such byte
    is then tried with the regex where it stands. A text with very many of them (dashes,
    quotes) falls back to the regex: never slower than it by more than the misses stepped.
    """
    for lead in _JSON_RAW_LEADS:
        at = raw.find(lead)
        for _ in range(NEAR_MISSES):
            if at == -1:
                break
            if _JSON_RAW_UTF8.match(raw, at):
                return True
            at = raw.find(lead, at + 1)
        else:
            return _JSON_RAW_UTF8.search(raw) is not None
    return False


def dumps(data: Any) -> str:
    return dumps_bytes(data).decode("utf-8")


def write_json_bytes(stream: TextIO, payload: bytes) -> None:
    """Write UTF-8 JSON to a text stream, as ``write_json_pieces`` writes it in one piece."""
    write_json_pieces(stream, (payload,))


def write_json_pieces(stream: TextIO, pieces: Iterable[bytes | memoryview], size: int | None = None) -> None:
    """Write pieces of UTF-8 JSON to a text stream, each by a thread while the next is made
    (``checker.write_behind``): to its byte buffer when it has one (a city's report is 175 MB:
    no second copy as text), ``size`` bytes at a time. By default 64 KiB (a pipe's buffer) to a
    pipe: one huge write to a pipe whose reader went away (``| head``) can end without the
    BrokenPipeError that says the output was cut short, which is raised here. To a regular file
    1 MiB: in 8 KiB writes the thread wanted the GIL back after each of a city's 21k writes, and
    the making waited for it at the end (~0.4 s)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(b"".join(pieces).decode("utf-8"))
        return
    stream.flush()
    if size is None:
        size = (1 << 20) if _regular_file(buffer) else 65536

    def write(piece: bytes | memoryview) -> None:
        view = memoryview(piece)
        for start in range(0, len(view), size):
            buffer.write(view[start : start + size])

    write_behind(pieces, write, buffer.flush)


def _regular_file(buffer: Any) -> bool:
    import os
    import stat

    try:
        return stat.S_ISREG(os.fstat(buffer.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # (no file descriptor: a test's stream)
        return False
