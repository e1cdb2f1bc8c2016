"""Record files read as columns, validated column-wise: the loading path for large volumes.

``read_records`` hands a large file's columns (``models.sources.csv_columns``) here. Each
column is checked as a whole — required values present, kinds known, dates and periods
parsed once per *distinct* value — with the very functions the row path uses. Rows of
counted kinds (the diary, SPEC R201) are not turned into ``Record`` objects: they are kept
as ids and day numbers per (kind, subject, month) in ``CountedEntries``, which is all the
check needs. Every other row becomes a ``Record`` with its place, as from the row path.

A table with anything the row path would report is refused (``absorb`` returns False) and
the file is read row by row instead, so bad input gets the row path's messages, word for word.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any, NamedTuple

from lianfang.models.calendar import Period
from lianfang.models.dates import DateError, parse_date
from lianfang.models.limits import MAX_FIELD_CHARS
from lianfang.models.records import KINDS_BY_LABEL, REQUIRED_COLUMNS, Place, Record
from lianfang.models.sources.values import MULTILINE_COLUMNS

#: kind -> results that do not count (SPEC R201: ``incomplete``)
Counting = dict[str, frozenset[str]]


class CountedGroup(NamedTuple):
    """The entries of one kind, subject and month, sorted by day then id (a tuple: a city has
    120k of them, built and unpacked once each)."""

    kind: str
    subject: str
    label: str
    days: Sequence[int]  # date.toordinal(), an array("i") slice
    ids: tuple[str, ...]


@dataclass
class CountedEntries:
    """Entries of counted kinds read in bulk: ids and day numbers per (kind, subject, month).

    An entry whose ``period`` is not a month is not here: it stays a ``Record`` (with its
    place, for a message naming its row). Entries whose result does not count are dropped.
    """

    _parts: list[dict[str, Any]] = field(default_factory=list)
    _files: list[str] = field(default_factory=list)
    _groups: _Groups | None = None
    _places: dict[str, tuple[int, int]] | None = None
    size: int = 0

    def add(self, display: str, columns: dict[str, Any]) -> None:
        """One file's counted rows: ``kind`` and ``subject`` as indices into the lists
        ``kind_names`` and ``subject_names``, ``month`` (``month_number``), ``day``, ``id``, and
        ``position`` (the row's index in the file: row ``position + 2``, after the header)."""
        self._files.append(display)
        self._parts.append({**columns, "file": len(self._files) - 1})
        self.size += len(columns["id"])
        self._groups = None

    def up_to(self, as_of: date, subjects: Container[str] | None = None) -> Iterator[CountedGroup]:
        """Each group restricted to the entries dated on or before ``as_of`` (empty ones
        skipped), in the order of (kind, subject, month label); with ``subjects`` (a share of
        a large check), only their groups, sorted out of the columns for that share alone."""
        if subjects is not None and self._groups is None:
            groups = _build_groups(self._parts, subjects)
        else:  # (every group, or those of the subjects when every group is built already)
            if self._groups is None:
                self._groups = _build_groups(self._parts)
            groups = self._groups
        days, ids = groups.days, groups.ids
        limit = as_of.toordinal()
        for kind, subject, label, start, end in groups.bounds:
            if subjects is not None and subject not in subjects:
                continue
            # (the group's entries are days[start:end]: sliced here, not kept, so that the
            # groups cost one tuple each while they wait)
            if days[end - 1] > limit:
                end = bisect_right(days, limit, start, end)
                if end == start:
                    continue
            yield CountedGroup(kind, subject, label, days[start:end], ids[start:end])

    def place(self, record_id: str) -> Place | None:
        """Where an entry was read (built on first use: only reports that point at rows need it)."""
        if self._places is None:
            self._places = {}
            for part in self._parts:
                rows = (position + 2 for position in part["position"].to_pylist())
                for rid, row in zip(part["id"].to_pylist(), rows, strict=True):
                    self._places[rid] = (part["file"], row)
        found = self._places.get(record_id)
        return None if found is None else Place(self._files[found[0]], found[1], "row")


def month_number(day: date) -> int:
    """The month ``day`` is in as one number (``year * 12 + month - 1``): months compare as
    their labels ``YYYY-MM`` do."""
    return day.year * 12 + day.month - 1


def _month_label(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year}-{month + 1:02d}"  # as ``Period.month(year, month).label``


@dataclass
class _Groups:
    """Every entry sorted by (kind, subject, month, day, id): ``days`` and ``ids`` in that
    order, and each group's kind, subject, month label and bounds in them, in that order."""

    days: array[int]
    ids: tuple[str, ...]
    bounds: list[tuple[str, str, str, int, int]]


def _build_groups(parts: list[dict[str, Any]], only: Container[str] | None = None) -> _Groups:
    """One sort (in C++) of every entry by an integer group number, then day and id, and one
    conversion of the days and ids to Python; a group is a range of those two sequences.

    Kinds, subjects and months are numbered by their rank among the names or labels sorted:
    so the group numbers, and the groups, come in the order of their (kind, subject, label),
    the order the evidence is built in, without sorting 120k keys in Python.

    With ``only``, the entries of those subjects alone (the columns are kept); without, of
    every subject, and then the columns only ``place`` needs are all that is kept.
    """
    filled = [part for part in parts if len(part["id"])]
    if not filled:
        return _Groups(array("i"), (), [])  # (without importing pyarrow: a small unit never needs it)
    import pyarrow as pa
    import pyarrow.compute as pc

    if only is not None:
        filled = [kept for part in filled if len((kept := _of_subjects(part, only))["id"])]
        if not filled:
            return _Groups(array("i"), (), [])

    kinds = sorted({name for part in filled for name in part["kind_names"]})
    subjects = sorted({name for part in filled for name in part["subject_names"]})
    kind_rank = {name: rank for rank, name in enumerate(kinds)}
    subject_rank = {name: rank for rank, name in enumerate(subjects)}
    # months are numbered by the rank of their label, as a sort of the labels would order
    # them (the same as by date for years of four digits)
    labels = sorted({_month_label(m) for part in filled for m in pc.unique(part["month"]).to_pylist()})
    first_month = min(pc.min(part["month"]).as_py() for part in filled)
    last_month = max(pc.max(part["month"]).as_py() for part in filled)
    label_rank = {label: rank for rank, label in enumerate(labels)}
    month_rank = pa.array([label_rank.get(_month_label(m), 0) for m in range(first_month, last_month + 1)], pa.int64())
    months = len(labels)

    numbers = []
    for part in filled:
        # each file's own numbering of kinds and subjects, mapped to the ranks (a take)
        kind = pc.take(pa.array([kind_rank[n] for n in part["kind_names"]], pa.int64()), part["kind"])
        subject = pc.take(pa.array([subject_rank[n] for n in part["subject_names"]], pa.int64()), part["subject"])
        month = pc.take(month_rank, pc.subtract(part["month"], first_month))
        numbers.append(pc.add(pc.multiply(pc.add(pc.multiply(kind, len(subjects)), subject), months), month))
    group = pa.concat_arrays(numbers)
    day = pa.concat_arrays([part["day"] for part in filled])
    ids = pa.concat_arrays([part["id"] for part in filled])
    order = pc.sort_indices(
        pa.table({"g": group, "day": day, "id": ids}),
        sort_keys=[("g", "ascending"), ("day", "ascending"), ("id", "ascending")],
    )
    runs = pc.run_end_encode(pc.take(group, order))
    ends = runs.run_ends.to_pylist()
    values = runs.values.to_pylist()
    # days as a compact array of C ints (bisect and slices work on it), copied from the
    # sorted column's buffer rather than through 2.4M Python ints
    sorted_days = pc.take(day, order)
    days = array("i")
    assert days.itemsize == 4  # the column is int32
    offset = sorted_days.offset
    days.frombytes(memoryview(sorted_days.buffers()[1])[4 * offset : 4 * (offset + len(sorted_days))])
    id_tuple = tuple(pc.take(ids, order).to_pylist())
    if only is None:  # only what ``place`` needs is kept
        for part in parts:
            for name in ("kind", "kind_names", "subject", "subject_names", "month", "day"):
                part.pop(name, None)
    bounds = []
    start = 0
    for end, value in zip(ends, values, strict=True):
        rest, month = divmod(value, months)
        kind, subject = divmod(rest, len(subjects))
        bounds.append((kinds[kind], subjects[subject], labels[month], start, end))
        start = end
    return _Groups(days, id_tuple, bounds)


def _of_subjects(part: dict[str, Any], subjects: Container[str]) -> dict[str, Any]:
    """A file's counted rows of ``subjects`` alone (its subject column holds indices into
    ``subject_names``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pa.array([i for i, name in enumerate(part["subject_names"]) if name in subjects], part["subject"].type)
    mask = pc.is_in(part["subject"], value_set=wanted)
    columns = ("kind", "subject", "month", "day", "id")
    return {**part, **{name: pc.filter(part[name], mask) for name in columns}}


@dataclass
class BulkState:
    """What ``absorb`` accumulates over the files of one workspace."""

    counted: CountedEntries = field(default_factory=CountedEntries)
    #: the id columns of every absorbed file, for one uniqueness check at the end
    ids: list[Any] = field(default_factory=list)
    #: subjects named by absorbed rows, checked once the organisation is known
    subjects: set[str] = field(default_factory=set)
    #: ``by`` values of the counted rows (they are not Records, so not resolved as names later)
    bys: set[str] = field(default_factory=set)
    #: ids of the records read row by row (for the same check)
    row_ids: list[str] = field(default_factory=list)
    _dates: dict[str, date | None] = field(default_factory=dict)
    _periods: dict[str, Period | None] = field(default_factory=dict)


def _parse_dates(values: list[str], cache: dict[str, date | None]) -> list[date | None]:
    out = []
    for value in values:
        if value not in cache:
            try:
                cache[value] = parse_date(value)
            except DateError:
                cache[value] = None
        out.append(cache[value])
    return out


def _parse_periods(values: list[str], cache: dict[str, Period | None]) -> list[Period | None]:
    out = []
    for value in values:
        if value not in cache:
            try:
                cache[value] = Period.parse(value)
            except ValueError:
                cache[value] = None
        out.append(cache[value])
    return out


#: ``models.sources.values.value_problem``'s tests in RE2 syntax (pyarrow): control characters
#: (C0 but tab, line feed and carriage return; DEL; C1), and for one-line columns line breaks too
_CONTROL_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x{9f}]"
_CONTROL_OR_BREAK_RE2 = r"[\x00-\x1f\x7f-\x{9f}\x{2028}\x{2029}]"


def _values_allowed(cols: dict[str, Any], may_have_controls: bool = True) -> bool:
    """False when any value would get a problem from ``value_problem`` on the row path."""
    import pyarrow.compute as pc

    for name, column in ((name, _values(column)) for name, column in cols.items()):
        # a value's characters are no more than its UTF-8 bytes, and the byte lengths come
        # from the offsets alone: characters are counted only where the bytes are too many
        if (
            pc.any(pc.greater(pc.binary_length(column), MAX_FIELD_CHARS)).as_py()
            and pc.any(pc.greater(pc.utf8_length(column), MAX_FIELD_CHARS)).as_py()
        ):
            return False
        if not may_have_controls:
            continue  # the file has no byte of a refused character (csv_columns looked)
        pattern = _CONTROL_RE2 if name in MULTILINE_COLUMNS else _CONTROL_OR_BREAK_RE2
        if pc.any(pc.match_substring_regex(column, pattern)).as_py():
            return False
    return True


def _values(column: Any) -> Any:
    """The values to check of a column: a dictionary-encoded column's dictionary (each value
    its rows hold, once: ``csv_columns``), else the column itself."""
    import pyarrow as pa

    return column.dictionary if pa.types.is_dictionary(column.type) else column


def _distinct(column: Any) -> tuple[list[str], Any]:
    """A column's distinct values and, per row, the index of its value among them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    return encoded.dictionary.to_pylist(), encoded.indices


def _python_values(column: Any, positions: Any) -> list[str]:
    """The values of a column at ``positions`` as Python strings (a dictionary column's
    through its dictionary: converting its rows one by one is slow, and the strings are
    shared)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        return pc.take(column, positions).to_pylist()
    names = column.dictionary.to_pylist()
    return [names[i] for i in pc.take(column.indices, positions).to_pylist()]


def absorb(table: Any, known_kinds: set[str], counting: Counting, state: BulkState, records: list[Record]) -> bool:
    """Validate one file's columns; on success append its records and counted entries.

    Returns False, changing nothing, when any row has something the row path would report
    (or a value it would have to strip): the caller then reads the file row by row.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = table.columns
    n = table.rows
    if n == 0:
        return True
    if not _values_allowed(cols, table.may_have_controls):
        return False  # a value the row path refuses (models.sources.values): it names the cell
    if table.may_need_strip:
        for column in map(_values, cols.values()):
            if pc.any(pc.not_equal(column, pc.utf8_trim_whitespace(column))).as_py():
                return False  # a value with spaces around it: the row path strips (and may skip) it
    for name in REQUIRED_COLUMNS:
        if name not in cols or pc.any(pc.equal(_values(cols[name]), "")).as_py():
            return False  # an empty required value (or an empty row): the row path names it

    kind_values, kind_index = _distinct(cols["kind"])
    kinds = [KINDS_BY_LABEL.get(v, v) for v in kind_values]
    if any(k not in known_kinds for k in kinds):
        return False
    date_values, date_index = _distinct(cols["date"])
    dates = _parse_dates(date_values, state._dates)
    if any(d is None for d in dates):
        return False
    period_column = cols.get("period")
    if period_column is not None:
        period_values, period_index = _distinct(period_column)
        periods = [
            None if v == "" else p
            for v, p in zip(period_values, _parse_periods(period_values, state._periods), strict=True)
        ]
        if any(p is None and v != "" for v, p in zip(period_values, periods, strict=True)):
            return False
    else:
        period_values, periods, period_index = [""], [None], pa.repeat(pa.scalar(0, pa.int32()), n)
    ids = cols["id"]  # unique across every file: checked once at the end (``ids_unique``)

    # a row is counted in bulk when its kind is counted, its result counts and its period is
    # a month or empty; anything else stays a Record. All of it is decided per distinct value
    # (kind, period, date) and spread to the rows as integer codes, not string by string.
    counted_codes = [code for code, k in enumerate(kinds) if k in counting]
    if counted_codes:
        # per distinct period: its ``month_number``, -1 when empty (the entry's date says
        # which month), null for a quarter, half-year or year (such a row stays a Record)
        period_month = [
            -1 if v == "" else (month_number(p.start) if p is not None and p.granularity == "month" else None)
            for v, p in zip(period_values, periods, strict=True)
        ]
        month = pc.take(pa.array(period_month, pa.int32()), period_index)
        is_counted = pc.and_(pc.is_in(kind_index, pa.array(counted_codes, kind_index.type)), pc.is_valid(month))
        result = cols.get("result")
        counted_kinds = {kinds[code] for code in counted_codes}
        excluded = pa.array(sorted({r for k in counted_kinds for r in counting[k]}), pa.string())
        # entries whose result does not count are dropped (they are still checked and unique)
        if result is not None:
            result_values, result_index = _distinct(result)
            not_counting = pc.take(pc.is_in(pa.array(result_values, pa.string()), excluded), result_index)
            dropped = pc.and_(is_counted, not_counting)
        else:
            dropped = None
    else:
        is_counted = pa.repeat(pa.scalar(False), n)
        dropped = None

    state.ids.append(ids)
    if counted_codes:
        # the counted rows do not become Records: their subject must be an id (a name, resolved
        # for Records, sends the file down the row path) and so must ``by``, where given
        subject_names, subject_index = _distinct(cols["subject"])
        named = pc.unique(pc.filter(subject_index, is_counted)).to_pylist()
        state.subjects.update(subject_names[i] for i in named)
        if "by" in cols:
            by_names, by_index = _distinct(cols["by"])
            state.bys.update(by_names[i] for i in pc.unique(pc.filter(by_index, is_counted)).to_pylist())
        keep = is_counted if dropped is None else pc.and_(is_counted, pc.invert(dropped))
        date_month = pa.array([month_number(d) if d is not None else 0 for d in dates], pa.int32())
        month = pc.if_else(pc.equal(month, -1), pc.take(date_month, date_index), month)
        day_of_value = pa.array([d.toordinal() if d is not None else 0 for d in dates], pa.int32())
        state.counted.add(
            table.display,
            {
                "kind_names": kinds,
                "kind": pc.filter(kind_index, keep),
                "subject_names": subject_names,
                "subject": pc.filter(subject_index, keep),
                "month": pc.filter(month, keep),
                "day": pc.filter(pc.take(day_of_value, date_index), keep),
                "id": pc.filter(ids, keep),
                # row numbers are found only when a report points at an entry (``place``)
                "position": pc.indices_nonzero(keep),
            },
        )
    rest = pc.invert(is_counted)
    if pc.any(rest).as_py():
        at = pc.indices_nonzero(rest)
        positions = at.to_pylist()
        taken = {name: _python_values(column, at) for name, column in cols.items()}
        kind_at = pc.take(kind_index, at).to_pylist()
        date_at = pc.take(date_index, at).to_pylist()
        period_at = pc.take(period_index, at).to_pylist()
        blank = [""] * len(positions)
        for i, position in enumerate(positions):
            number = position + 2
            day = dates[date_at[i]]
            assert day is not None
            records.append(
                Record(
                    id=taken["id"][i],
                    kind=kinds[kind_at[i]],
                    date=day,
                    subject=taken["subject"][i],
                    period=periods[period_at[i]],
                    by=taken.get("by", blank)[i],
                    result=taken.get("result", blank)[i],
                    ref=taken.get("ref", blank)[i],
                    note=taken.get("note", blank)[i],
                    file=table.display,
                    line=number,
                    place=Place(table.display, number, "row"),
                )
            )
    return True


def ids_unique(state: BulkState, other_ids: list[str]) -> bool:
    """No id twice across every absorbed file and the records read row by row.

    Ledgers usually number their rows in order: when every file's ids increase strictly and
    the files' ranges do not overlap, that proves it without hashing millions of ids (a city:
    0.02 s against 1.3 s); otherwise one sort (in C++) and a look at neighbours.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(set(other_ids)) != len(other_ids):
        return False
    arrays = [a for a in state.ids if len(a)]
    if all(_increasing(a) for a in arrays):
        ranges = sorted((a[0].as_py(), a[-1].as_py()) for a in arrays)
        if all(previous[1] < following[0] for previous, following in pairwise(ranges)):
            if not other_ids or not arrays:
                return True
            return not pc.any(pc.is_in(pa.chunked_array(arrays, pa.string()), pa.array(other_ids, pa.string()))).as_py()
    combined = pa.concat_arrays([*arrays, pa.array(other_ids, pa.string())])
    ordered = pc.take(combined, pc.sort_indices(combined))
    if len(ordered) < 2:
        return True
    return not pc.any(pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))).as_py()


def _increasing(ids: Any) -> bool:
    """Whether the ids of one file increase strictly (as strings)."""
    import pyarrow.compute as pc

    return len(ids) < 2 or bool(pc.all(pc.greater(ids.slice(1), ids.slice(0, len(ids) - 1))).as_py())
