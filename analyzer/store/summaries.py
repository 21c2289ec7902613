"""The findings' summary rows kept in step with every write, by difference.

A write that can change what the findings count (analysis results, corrections and their remaps, deletions, a
meeting's fields) runs inside :func:`maintained` with the meetings it touches. It bumps the data version, takes what
those meetings contribute to the summary rows before the write (:func:`analyzer.store.contribution.contribution`) and
after it, and adds the difference to the stored rows of the keys that changed, in the same transaction. Every
stored number is a sum over meetings and organisations and industries are kept as counts, so the result equals a
rebuild from scratch (:func:`rebuild_all`, the migration's backfill and the tests' reference) while a correction
reads one meeting and rewrites the few rows whose counts moved, whatever the size of its partition: every summary
table has a unique index on its key, through which a write reads, adds to and replaces the rows of the keys it
changed. The partitions a write changed are logged under its data version (``summary_changes``) for the processes
that hold every row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, Table, bindparam, delete, insert, select

from analyzer.store.bulk import insert_plain, upsert_tuples
from analyzer.store.cells import Partition, bitset, by_partition, decode_counts, encode_counts
from analyzer.store.contribution import Contribution, contribution
from analyzer.store.summary_tables import (
    finding_cells,
    finding_phrases,
    finding_signatures,
    summary_changes,
    summary_key,
)
from analyzer.store.tables import meetings
from analyzer.store.versions import bump

PARTITION = ("agency_id", "programme_id", "date")
#: Keys read in one statement.
READ_KEYS = 1000
#: Data versions whose partitions stay in the change log; every :data:`FOLD_EVERY` versions the older entries are
#: folded into one entry for every partition (a process holding rows from before then reads them all again).
KEEP_CHANGES, FOLD_EVERY = 10_000, 1_000


@dataclass(frozen=True)
class Shape:
    """A summary table: its key columns after the partition's, its summed columns, and its count columns with the
    set column each derives (organisation bitsets, industry lists)."""

    table: Table
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    counts: tuple[tuple[str, str], ...] = ()

    @cached_property
    def unique(self) -> list[ColumnElement[Any]]:
        """The table's unique key, in the order of a change's key (the partition's columns, then :attr:`keys`)."""
        return summary_key(self.table)


SHAPES = {
    "cells": Shape(
        finding_cells,
        ("industry", "model_version", "region", "category", "kind"),
        ("units", "needs_review", "corrected", "meetings_region", "meetings_all", "score", "score_region"),
        (("organisation_counts", "organisations"), ("industry_counts", "industries")),
    ),
    "phrases": Shape(
        finding_phrases,
        ("industry", "model_version", "region", "category", "phrase"),
        ("units", "meetings_region", "meetings_all"),
    ),
    "signatures": Shape(
        finding_signatures,
        ("industry", "model_version", "region", "category", "signature"),
        ("units", "meetings_region", "meetings_all"),
        (("organisation_counts", "organisations"),),
    ),
}


@dataclass
class Change:
    """What one key's row gains (negative: loses): summed columns and counts."""

    sums: dict[str, float]
    counts: dict[str, Counter[Any]]

    def moved(self) -> bool:
        return any(self.sums.values()) or any(any(counted.values()) for counted in self.counts.values())


def contributions(conn: Connection, meeting_ids: Iterable[int]) -> Contribution:
    """What the existing meetings of *meeting_ids* contribute to every summary table."""
    total: Contribution = {name: [] for name in SHAPES}
    for partition, ids in sorted(by_partition(conn, meeting_ids).items(), key=repr):
        for name, rows in contribution(conn, partition, ids).items():
            total[name] += rows
    return total


@contextmanager
def maintained(conn: Connection, meeting_ids: Iterable[int]) -> Iterator[None]:
    """Keep the summary rows in step with the writes of the ``with`` body to the meetings *meeting_ids* (in the
    caller's transaction; nothing is applied when the body raises).

    The data version is bumped first: on PostgreSQL it locks the version's row, so writers take that lock before
    any summary row's, and the stored rows read below cannot change under this transaction."""
    version = bump(conn)
    ids = sorted(set(meeting_ids))
    before = contributions(conn, ids)
    yield
    after = contributions(conn, ids)
    touched: set[Partition] = set()
    for name, shape in SHAPES.items():
        changes = _changes(shape, before[name], after[name])
        touched.update((key[0], key[1], key[2]) for key in changes)
        _apply(conn, shape, changes)
    if touched:
        rows = [dict(zip(("agency_id", "programme_id", "date"), partition, strict=True)) for partition in touched]
        conn.execute(insert(summary_changes), [{"version": version, **row} for row in sorted(rows, key=repr)])
    if version % FOLD_EVERY == 0 and version > KEEP_CHANGES:
        _fold_changes(conn, version - KEEP_CHANGES)


def _fold_changes(conn: Connection, upto: int) -> None:
    """Replace the change log's entries up to version *upto* with one entry for every partition at *upto*: a
    process whose rows are older reads them all again (as after a rebuild), a newer one finds every entry it
    needs, and the log stays bounded."""
    conn.execute(delete(summary_changes).where(summary_changes.c.version <= upto))
    conn.execute(insert(summary_changes).values(version=upto))


def _changes(
    shape: Shape, before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]
) -> dict[tuple[Any, ...], Change]:
    key_of, sums_of = itemgetter(*PARTITION, *shape.keys), itemgetter(*shape.sums)
    found: dict[tuple[Any, ...], Change] = {}
    for sign, rows in ((-1, before), (1, after)):
        for row in rows:
            key = key_of(row)
            change = found.get(key)
            if change is None:
                change = found[key] = Change(
                    dict.fromkeys(shape.sums, 0), {name: Counter() for name, _ in shape.counts}
                )
            sums = change.sums
            for name, value in zip(shape.sums, sums_of(row), strict=True):
                sums[name] += sign * value
            for name, _ in shape.counts:
                for item, count in decode_counts(row[name]).items():
                    change.counts[name][item] += sign * count
    return {key: change for key, change in found.items() if change.moved()}


def _apply(conn: Connection, shape: Shape, changes: dict[tuple[Any, ...], Change]) -> None:
    """Add *changes* to the stored rows of their keys through the table's unique key, whatever the size of their
    partition: a table of sums only in one upsert that adds them; the others read the stored rows of those keys,
    merge the counts here and write the merged rows back in one upsert. Rows left without units go."""
    if not changes:
        return
    table, layout = shape.table, _Layout(shape)
    names = [f"key_{number}" for number in range(len(shape.unique))]
    matches = [column == bindparam(name) for column, name in zip(shape.unique, names, strict=True)]
    if shape.counts:
        stored = _stored(conn, shape, list(changes))
        rows = [layout.merged(key[:3], key[3:], stored.get(key), change) for key, change in changes.items()]
        values = [column.name for column in table.columns if column.name not in (*PARTITION, *shape.keys)]
        upsert_tuples(conn, table, shape.unique, [row for row in rows if row[layout.units] > 0], replace=values)
        emptied = [key for key, row in zip(changes, rows, strict=True) if row[layout.units] <= 0 and key in stored]
        gone = delete(table).where(*matches)
    else:
        # a change's key then its sums, reordered as the table's columns
        order = itemgetter(*(list((*PARTITION, *shape.keys, *shape.sums)).index(c.name) for c in table.columns))
        added = [order((*key, *change.sums.values())) for key, change in changes.items()]
        upsert_tuples(conn, table, shape.unique, added, add=shape.sums)
        emptied = [key for key, change in changes.items() if change.sums["units"] < 0]
        gone = delete(table).where(*matches, table.c.units <= 0)  # the stored counts are known only there
    if emptied:
        conn.execute(gone, [dict(zip(names, _as_indexed(key), strict=True)) for key in emptied])


def _as_indexed(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A change's key as the unique index holds it (a missing programme as 0)."""
    return (key[0], key[1] or 0, *key[2:])


def _stored(conn: Connection, shape: Shape, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The stored rows of *keys* (a change's key → the row as a tuple in the table's column order), read through
    the unique index: the keys are a ``VALUES`` list joined to the table (an ``IN`` list of row values scans it)."""
    table, names = shape.table, (*PARTITION, *shape.keys)
    columns = ", ".join(f"t.{column.name}" for column in table.columns)
    literal = {"literal_binds": True}
    equal = " AND ".join(  # the index's own expressions, on the table named t
        f"{column.compile(dialect=conn.dialect, compile_kwargs=literal)} = k.column{at}"
        for at, column in enumerate(summary_key(table.alias("t")), 1)
    )
    # SQLite names a VALUES list's columns column1, column2…; PostgreSQL takes the same names as an alias
    numbered = "(" + ", ".join(f"column{at}" for at in range(1, len(names) + 1)) + ")"
    mark, alias = ("%s", numbered) if conn.dialect.name == "postgresql" else ("?", "")
    key_of = itemgetter(*(list(column.name for column in table.columns).index(name) for name in names))
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for start in range(0, len(keys), READ_KEYS):
        part = keys[start : start + READ_KEYS]
        listed = ", ".join(["(" + ", ".join([mark] * len(names)) + ")"] * len(part))
        query = f"SELECT {columns} FROM (VALUES {listed}) AS k{alias} JOIN {table.name} AS t ON {equal}"
        for row in conn.exec_driver_sql(query, tuple(value for key in part for value in _as_indexed(key))):
            found[key_of(row)] = tuple(row)
    return found


class _Layout:
    """Where a summary table's columns sit in its row tuples, and how a change merges into a row."""

    def __init__(self, shape: Shape) -> None:
        names = [column.name for column in shape.table.columns]
        self.shape, self.width = shape, len(names)
        self.partition = [names.index(name) for name in PARTITION]
        self.tail = [names.index(name) for name in shape.keys]
        self.sums = {name: names.index(name) for name in shape.sums}
        self.counts = [(names.index(name), names.index(derived), derived) for name, derived in shape.counts]
        self.units = names.index("units")

    def merged(
        self, partition: Partition, tail: tuple[Any, ...], stored: tuple[Any, ...] | None, change: Change
    ) -> tuple[Any, ...]:
        row: list[Any] = list(stored) if stored is not None else self._blank(partition, tail)
        for name, value in change.sums.items():
            row[self.sums[name]] += value
        for (at, derived_at, derived), (name, _) in zip(self.counts, self.shape.counts, strict=True):
            counts = Counter(decode_counts(row[at]))
            counts.update(change.counts[name])
            kept = {item: count for item, count in counts.items() if count > 0}
            row[at] = encode_counts(kept)
            row[derived_at] = (
                bitset(np.asarray(sorted(kept), dtype="int64"))
                if derived == "organisations"
                else "\n".join(sorted(kept))
            )
        return tuple(row)

    def _blank(self, partition: Partition, tail: tuple[Any, ...]) -> list[Any]:
        row: list[Any] = [None] * self.width
        for at, value in zip([*self.partition, *self.tail], [*partition, *tail], strict=True):
            row[at] = value
        for at in self.sums.values():
            row[at] = 0
        for at, _, _ in self.counts:
            row[at] = "[]"
        return row


def rebuild_all(conn: Connection, *, logged: bool = True) -> None:
    """Recompute every summary row from the label rows (the migration's backfill; the benchmark's bulk fill; the
    tests' reference), under a new data version logged as a change of every partition (not *logged*: a migration's
    backfill, which no process holding summary rows can have read before)."""
    if logged:
        conn.execute(insert(summary_changes).values(version=bump(conn)))
    for shape in SHAPES.values():
        conn.execute(delete(shape.table))
    query = select(meetings.c.agency_id, meetings.c.programme_id, meetings.c.date, meetings.c.id)
    grouped: dict[Partition, list[int]] = {}
    for row in conn.execute(query):
        grouped.setdefault((row[0], row[1], row[2]), []).append(row[3])
    for partition, ids in sorted(grouped.items(), key=repr):
        for name, rows in contribution(conn, partition, sorted(ids)).items():
            insert_plain(conn, SHAPES[name].table, rows)
