"""The findings' summary rows kept in step with every write, by difference.

A write that can change what the findings count (analysis results, corrections and their remaps, deletions, a
meeting's fields) runs inside :func:`maintained` with the meetings it touches. It bumps the data version, takes what
those meetings contribute to the summary rows before the write (:func:`analyzer.store.contribution.contribution`) and
after it, and adds the difference to the stored rows of the keys that changed, in the same transaction. Every
stored number is a sum over meetings and organisations and industries are kept as counts, so the result equals a
rebuild from scratch (:func:`rebuild_all`, the migration's backfill and the tests' reference) while a correction
reads one meeting and rewrites the few rows whose counts moved, whatever the size of its partition. The partitions a
write changed are logged under its data version (``summary_changes``) for the processes that hold every row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, Table, bindparam, delete, insert, select, tuple_

from analyzer.store.bulk import add_tuples, insert_plain, insert_tuples
from analyzer.store.cells import Partition, bitset, by_partition, decode_counts, encode_counts, in_partition
from analyzer.store.contribution import Contribution, contribution
from analyzer.store.summary_tables import (
    finding_cells,
    finding_phrases,
    finding_signatures,
    phrase_key,
    summary_changes,
)
from analyzer.store.tables import meetings
from analyzer.store.versions import bump

PARTITION = ("agency_id", "programme_id", "date")
#: Changed keys of one partition up to which its rows are read and rewritten by key (beyond: the whole partition).
BY_KEY = 300
#: Data versions whose partitions stay in the change log; every :data:`FOLD_EVERY` versions the older entries are
#: folded into one entry for every partition (a process holding rows from before then reads them all again).
KEEP_CHANGES, FOLD_EVERY = 10_000, 1_000


@dataclass(frozen=True)
class Shape:
    """A summary table: its key columns after the partition's, its summed columns, and its count columns with the
    set column each derives (organisation bitsets, industry lists); a table of sums only has a unique index on its
    whole key (*unique*), through which the database adds a write's changes."""

    table: Table
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    counts: tuple[tuple[str, str], ...] = ()
    unique: tuple[ColumnElement[Any], ...] = ()


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
        unique=tuple(phrase_key(finding_phrases)),
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
    """Add *changes* to the stored rows of their keys: rows that reach zero units go, new keys are inserted.

    A partition's industry (the first key after the partition's) with few changed keys is read and rewritten by key;
    one with many (a long document's new phrases) is read and rewritten whole, one statement each instead of
    thousands of keys in ``IN`` lists. Rows stay tuples in the table's column order: a rewrite of the whole passes
    the untouched rows back as they were read. A table of sums only is :func:`_added` to instead."""
    if shape.unique:
        _added(conn, shape, changes)
        return
    grouped: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for key in changes:
        grouped.setdefault(key[:4], []).append(key[3:])
    table, layout = shape.table, _Layout(shape)
    for (agency, programme, date, industry), tails in sorted(grouped.items(), key=repr):
        partition, whole = (agency, programme, date), len(tails) > BY_KEY
        where = [in_partition(table, partition), table.c.industry == industry]
        if not whole:
            where.append(tuple_(*(table.c[name] for name in shape.keys[1:])).in_([tail[1:] for tail in tails]))
        stored = {layout.key(row): tuple(row) for row in conn.execute(select(table).where(*where)).all()}
        conn.execute(delete(table).where(*where))
        rows = dict(stored) if whole else {}  # a part rewritten whole keeps its untouched rows
        for tail in tails:
            rows[tail] = layout.merged(partition, tail, stored.get(tail), changes[(*partition, *tail)])
        insert_tuples(conn, table, [row for row in rows.values() if row[layout.units] > 0])


def _added(conn: Connection, shape: Shape, changes: dict[tuple[Any, ...], Change]) -> None:
    """Add *changes* to a table of sums only in one upsert through its unique key: a key's stored row gains the
    change, a new key's row is inserted, and the rows a change left without units go. The work follows the
    changed keys, not the size of their partition."""
    table = shape.table
    # a change's key then its sums, reordered as the table's columns
    order = itemgetter(*(list((*PARTITION, *shape.keys, *shape.sums)).index(c.name) for c in table.columns))
    rows = [order((*key, *change.sums.values())) for key, change in changes.items()]
    add_tuples(conn, table, shape.unique, shape.sums, rows)
    # a change's key is the partition's then the table's key columns: the unique key's order (programme as stored)
    emptied = [(key[0], key[1] or 0, *key[2:]) for key, change in changes.items() if change.sums["units"] < 0]
    if emptied:
        names = [f"key_{number}" for number in range(len(shape.unique))]
        matches = [column == bindparam(name) for column, name in zip(shape.unique, names, strict=True)]
        gone = delete(table).where(*matches, table.c.units <= 0)
        conn.execute(gone, [dict(zip(names, key, strict=True)) for key in emptied])


class _Layout:
    """Where a summary table's columns sit in its row tuples, and how a change merges into a row."""

    def __init__(self, shape: Shape) -> None:
        names = [column.name for column in shape.table.columns]
        self.shape, self.width = shape, len(names)
        self.key = itemgetter(*(names.index(name) for name in shape.keys))
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
