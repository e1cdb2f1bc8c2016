"""Large CSV record files read column by column (pyarrow), for volume.

A city's diary ledgers are millions of rows: one Python dict per row is where the time and
memory went. This reader parses a whole file into string columns in C++ and hands them on
as columns; ``models.bulk`` validates them column-wise. It reads only files it can read
*exactly* as the row reader (``csv_source``) would: UTF-8 (with or without BOM), a header
``read_header`` accepts, every row with as many fields as the header and no blank line.
For anything else it returns None and the row reader reads the file, so every message about
a bad file stays the row reader's, word for word.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianfang.models.sources.header import read_header

#: files smaller than this are read row by row: starting the columnar reader costs more
BULK_MIN_BYTES = 512 * 1024
_BOM = b"\xef\xbb\xbf"
#: UTF-8 of every character ``str.strip`` removes but a line break outside quotes: ASCII spaces
#: and controls, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000
#: (the file is valid UTF-8, so each sequence starts at a character)
_SPACE_BYTES = b" \t\x0b\x0c\x1c\x1d\x1e\x1f"
_SPACE_SEQUENCES = (b"\xc2\x85", b"\xc2\xa0", b"\xe1\x9a\x80", b"\xe2\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80")
#: UTF-8 of what ``models.sources.values.value_problem`` refuses in some column: C0 controls
#: but line feed and carriage return (a tab is refused in one-line columns), DEL, C1, U+2028/9
_REFUSED_BYTES = bytes(range(0x0A)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_REFUSED_SEQUENCES = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")
#: a carriage return that does not end a line (pyarrow would keep it in a value)
_BARE_CR = re.compile(rb"\r(?!\n)")


#: record columns read dictionary-encoded: few distinct values over many rows (a kind, a date,
#: a person), so that ``models.bulk`` checks and parses each distinct value once. The
#: dictionary holds exactly the values the rows hold, each once.
DICTIONARY_COLUMNS = ("kind", "date", "subject", "period", "by", "result")


def _has_byte(raw: bytes, chars: bytes) -> bool:
    """Whether ``raw`` holds any of the single bytes ``chars`` (one pass in C, no regex)."""
    return len(raw.translate(None, chars)) != len(raw)


@dataclass
class ColumnTable:
    """One record file as columns: each record column present as a pyarrow string array, or
    for ``DICTIONARY_COLUMNS`` a dictionary array of strings.

    Row ``i`` of the arrays is the file's row ``i + 2`` (row 1 is the header).
    """

    display: str
    columns: dict[str, Any]
    rows: int
    #: False when the file holds no byte of any whitespace Python's ``str.strip`` removes, so
    #: no value can need stripping and the check of every value can be skipped
    may_need_strip: bool = True
    #: False when no value can hold a character the row path refuses (no such byte in the
    #: file, no quote, every carriage return part of a line end), so the per-value check of
    #: controls and line breaks can be skipped
    may_have_controls: bool = True


#: a file is parsed in blocks of this size by pyarrow's threads: a city's diary (150 MB) is
#: read while the YAML files load and is what the loading waits for (measured: the whole load
#: 2.7-2.9 s wall against 3.1-3.4 s in one block on one thread, for the same CPU). A row longer
#: than a block cannot be parsed so: that file is read by the row reader.
BLOCK_BYTES = 1 << 22


def csv_columns(path: Path, display: str) -> ColumnTable | None:
    """The file as columns, or None when only the row reader can read it exactly."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    raw = path.read_bytes()
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    end = raw.find(b"\n")
    first = raw[: end if end >= 0 else len(raw)]
    if b'"' in first:
        return None  # a quoted header: rare, and the row reader handles every form of it
    try:
        header = next(csv.reader([first.decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, StopIteration):
        return None
    columns = read_header(header)
    if columns.problem is not None:
        return None
    names = [f"c{i}" for i in range(len(header))]
    text, encoded = pa.string(), pa.dictionary(pa.int32(), pa.string())
    types = {
        name: (encoded if column in DICTIONARY_COLUMNS else text)
        for name, column in zip(names, columns.columns, strict=True)
    }
    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            # in blocks parsed by pyarrow's threads (see ``BLOCK_BYTES``); joined below
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True, block_size=BLOCK_BYTES),
            # fields with a newline inside quotes are one row, as for Python's csv module
            parse_options=pacsv.ParseOptions(newlines_in_values=b'"' in raw, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None  # a row with too many or too few fields, a blank line, text that is not UTF-8
    out = {}
    for name, column in zip(names, columns.columns, strict=True):
        if column is not None:
            chunks = table.column(name)
            out[column] = chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()
    quoted = b'"' in raw
    quoted_cr = quoted and b"\r" in raw  # a value ending in \r inside quotes
    # one pass for every single byte of interest; the multi-byte sequences only outside ASCII
    ascii_only = raw.isascii()
    special = _has_byte(raw, _SPACE_BYTES + _REFUSED_BYTES)
    may_need_strip = (
        quoted_cr
        or (special and _has_byte(raw, _SPACE_BYTES))
        or (not ascii_only and any(b in raw for b in _SPACE_SEQUENCES))
    )
    may_have_controls = (
        quoted
        or (b"\r" in raw and _BARE_CR.search(raw) is not None)  # (the regex steps through every byte)
        or (special and _has_byte(raw, _REFUSED_BYTES))
        or (not ascii_only and _REFUSED_SEQUENCES.search(raw) is not None)
    )
    return ColumnTable(display, out, table.num_rows, may_need_strip, may_have_controls)
