"""Partitions of the findings' summary rows (:mod:`analyzer.store.summary_tables`) and the encodings of their sets.

A *partition* is the meetings of one (agency, programme, meeting date). Organisations are bitsets over
``organisation_keys`` (a union of rows is an OR, so distinct counts stay exact) and, with industries, also counts
per row (:func:`encode_counts`), so that a write can subtract what it changes (:mod:`analyzer.store.summaries`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import ColumnElement, Connection, and_, insert, select

from analyzer.store.summary_tables import organisation_keys
from analyzer.store.tables import meetings, units

#: Units per statement (keeps IN lists and parameter counts well inside both databases' limits).
CHUNK = 500
#: The kinds whose categories and phrases are summarised (the findings' default kinds).
SUMMARY_KINDS = ("pain_point", "request")
Partition = tuple[int, int | None, str]
T = TypeVar("T")


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """*values* in lists of at most *size*."""
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def meetings_of(conn: Connection, unit_ids: Sequence[int]) -> list[int]:
    """The meetings of *unit_ids*."""
    found: set[int] = set()
    for batch in chunks(sorted(set(unit_ids))):
        found.update(conn.execute(select(units.c.meeting_id).where(units.c.id.in_(batch)).distinct()).scalars())
    return sorted(found)


def by_partition(conn: Connection, meeting_ids: Iterable[int]) -> dict[Partition, list[int]]:
    """The existing meetings of *meeting_ids*, per partition."""
    found: dict[Partition, list[int]] = {}
    for batch in chunks(sorted(set(meeting_ids))):
        query = select(meetings.c.agency_id, meetings.c.programme_id, meetings.c.date, meetings.c.id)
        for row in conn.execute(query.where(meetings.c.id.in_(batch))):
            found.setdefault((row[0], row[1], row[2]), []).append(row[3])
    return found


def in_partition(table: Any, partition: Partition) -> ColumnElement[bool]:
    """The rows of *table* (``agency_id``, ``programme_id``, ``date`` columns) in *partition*."""
    agency_id, programme_id, date = partition
    return and_(
        table.c.agency_id == agency_id, table.c.programme_id.is_not_distinct_from(programme_id), table.c.date == date
    )


def bitset(ids: np.ndarray) -> bytes:
    """The set of positive integer *ids* as packed bits (bit ``i`` set for id ``i``)."""
    ids = ids[ids > 0]
    if not len(ids):
        return b""
    bits = np.zeros(int(ids.max()) + 1, dtype=bool)
    bits[ids] = True
    return np.packbits(bits).tobytes()


def encode_counts(counts: Mapping[Any, int]) -> str:
    """*counts* (organisation id or industry -> units) as canonical JSON: ``[[key, count], ...]`` sorted by key,
    zero counts left out."""
    return json.dumps(sorted([key, int(count)] for key, count in counts.items() if count), separators=(",", ":"))


def decode_counts(text: str) -> dict[Any, int]:
    """The counts :func:`encode_counts` wrote."""
    return {key: count for key, count in json.loads(text or "[]")}


def organisation_ids(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    """The ``organisation_keys`` ids of the organisation *names* (``''`` aside), the missing ones added."""
    wanted = sorted(set(names) - {""})
    known: dict[str, int] = {}
    for batch in chunks(wanted):
        query = select(organisation_keys.c.name, organisation_keys.c.id).where(organisation_keys.c.name.in_(batch))
        known.update((row[0], row[1]) for row in conn.execute(query))
    missing = [name for name in wanted if name not in known]
    if missing:
        conn.execute(insert(organisation_keys), [{"name": name} for name in missing])
        return organisation_ids(conn, wanted)
    return known
