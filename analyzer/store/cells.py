"""Summary rows of the findings, kept in the transaction that writes label rows, corrections or deletions.

A *partition* is the meetings of one (agency, programme, meeting date). For each partition, model version and
(effective) region, ``finding_cells`` holds:

* per (category, kind) of the summary kinds (pain points and requests): units, the score contributions under
  meeting normalisation (weights ``1 / pairs of the meeting``, and ``1 / pairs of the meeting in this region`` for
  a region filter), and meeting counts arranged so that sums stay distinct counts (``meetings_region``: a meeting
  counts once per region and category, in its first kind; ``meetings_all``: once per category, in its first
  region and kind);
* per kind of every unit (``category = ''``): units, needs review, corrected, the same meeting counts and the
  distinct effective industries.

Organisations are bitsets over ``organisation_keys`` (a union of rows is an OR, so distinct counts stay exact).
``finding_phrases`` holds the same per (category, phrase), ``''`` being every unit of the summary kinds. A write
rebuilds the few partitions it touched from their label rows (a few meetings, not the table).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, select

from analyzer.store.summary_tables import finding_cells, finding_phrases, finding_signatures, organisation_keys
from analyzer.store.tables import (
    meetings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)
from analyzer.store.versions import bump

#: Units per statement (keeps IN lists and parameter counts well inside both databases' limits).
CHUNK = 500
#: The kinds whose categories and phrases are summarised (the findings' default kinds).
SUMMARY_KINDS = ("pain_point", "request")
Partition = tuple[int, int | None, str]


def chunks(values: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
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


def partitions_of(conn: Connection, meeting_ids: Iterable[int]) -> set[Partition]:
    """The partitions of *meeting_ids* (those that exist)."""
    found: set[Partition] = set()
    for batch in chunks(sorted(set(meeting_ids))):
        query = select(meetings.c.agency_id, meetings.c.programme_id, meetings.c.date).where(meetings.c.id.in_(batch))
        found.update((row[0], row[1], row[2]) for row in conn.execute(query.distinct()))
    return found


def refresh_cells(conn: Connection, meeting_ids: Iterable[int], extra: Iterable[Partition] = ()) -> None:
    """Rebuild the summary rows of the partitions of *meeting_ids* and of *extra* (partitions a change left), and
    bump the data version (the findings' cache key) in the same transaction.

    The bump comes first: on PostgreSQL it locks the version's row, so every writer takes that lock before any
    summary row's (a transaction rebuilding twice, e.g. results then a meeting's new date, cannot deadlock with
    another writer holding the second partition's rows)."""
    bump(conn)
    for partition in sorted(partitions_of(conn, meeting_ids) | set(extra), key=repr):
        rebuild_partition(conn, partition)


def rebuild_all(conn: Connection) -> None:
    """Rebuild every summary row (a migration's backfill; the benchmark's bulk fill). The data version is not
    bumped: revision 0008 runs this before the version's table exists; a bulk fill runs before any server."""
    conn.execute(delete(finding_cells))
    conn.execute(delete(finding_phrases))
    conn.execute(delete(finding_signatures))
    query = select(meetings.c.agency_id, meetings.c.programme_id, meetings.c.date).distinct()
    for row in conn.execute(query).all():
        rebuild_partition(conn, (row[0], row[1], row[2]), cleared=True)


def _in_partition(table: Any, partition: Partition) -> ColumnElement[bool]:
    agency_id, programme_id, date = partition
    return and_(
        table.c.agency_id == agency_id, table.c.programme_id.is_not_distinct_from(programme_id), table.c.date == date
    )


def _frame(conn: Connection, query: Any, names: Sequence[str]) -> pd.DataFrame:
    rows = conn.execute(query).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns, strict=True)})


def _read(conn: Connection, ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    unit_names = ("unit_id", "model_version", "meeting_id", "kind", "needs_review", "corrected", "org", "region")
    parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    for batch in chunks(ids):
        tagged = _frame(
            conn,
            select(
                unit_tags.c.unit_id,
                unit_tags.c.model_version,
                unit_tags.c.meeting_id,
                unit_tags.c.kind,
                unit_tags.c.needs_review,
                unit_tags.c.corrected,
                units.c.organisation,
                func.coalesce(func.nullif(units.c.region, ""), meetings.c.region),
                func.coalesce(func.nullif(units.c.industry, ""), meetings.c.industry).label("industry"),
            )
            .join(units, units.c.id == unit_tags.c.unit_id)
            .join(meetings, meetings.c.id == unit_tags.c.meeting_id)
            .where(unit_tags.c.meeting_id.in_(batch)),
            (*unit_names, "industry"),
        )
        labels = _frame(
            conn,
            select(
                unit_categories.c.unit_id,
                unit_categories.c.model_version,
                unit_categories.c.category,
                unit_categories.c.signature,
            ).where(unit_categories.c.meeting_id.in_(batch), unit_categories.c.kind.in_(SUMMARY_KINDS)),
            ("unit_id", "model_version", "category", "signature"),
        )
        phrases = _frame(
            conn,
            select(unit_phrases.c.unit_id, unit_phrases.c.phrase).where(unit_phrases.c.meeting_id.in_(batch)),
            ("unit_id", "phrase"),
        )
        parts.append((tagged, labels, phrases))
    return tuple(pd.concat(frames, ignore_index=True) for frames in zip(*parts, strict=True))


def _organisation_ids(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(names) - {""})
    known: dict[str, int] = {}
    for batch in (wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)):
        query = select(organisation_keys.c.name, organisation_keys.c.id).where(organisation_keys.c.name.in_(batch))
        known.update((row[0], row[1]) for row in conn.execute(query))
    missing = [name for name in wanted if name not in known]
    if missing:
        conn.execute(insert(organisation_keys), [{"name": name} for name in missing])
        return _organisation_ids(conn, wanted)
    return known


def bitset(ids: np.ndarray) -> bytes:
    """The set of positive integer *ids* as packed bits (bit ``i`` set for id ``i``)."""
    ids = ids[ids > 0]
    if not len(ids):
        return b""
    bits = np.zeros(int(ids.max()) + 1, dtype=bool)
    bits[ids] = True
    return np.packbits(bits).tobytes()


def _flag_first(frame: pd.DataFrame, within: list[str], order: list[str]) -> np.ndarray:
    """1 on the first row of each group *within* when ordered by *order*, else 0 (so sums count groups once)."""
    ranked = frame.sort_values([*within, *order], kind="stable")
    first = ~ranked.duplicated(within)
    return first.reindex(frame.index).to_numpy(dtype="int64")


def _summarise(frame: pd.DataFrame, keys: list[str], extra: dict[str, tuple[str, str]]) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=False)
    table = grouped.agg(units=("unit_id", "size"), **extra).reset_index()
    table["organisations"] = grouped["org_id"].agg(lambda ids: bitset(ids.to_numpy())).to_numpy()
    return table


def rebuild_partition(conn: Connection, partition: Partition, *, cleared: bool = False) -> None:
    """Recompute the summary rows of one partition from its label rows."""
    if not cleared:
        conn.execute(delete(finding_cells).where(_in_partition(finding_cells, partition)))
        conn.execute(delete(finding_phrases).where(_in_partition(finding_phrases, partition)))
        conn.execute(delete(finding_signatures).where(_in_partition(finding_signatures, partition)))
    ids = list(conn.execute(select(meetings.c.id).where(_in_partition(meetings, partition))).scalars())
    if not ids:  # a partition its last meeting left
        return
    tagged, labels, phrases = _read(conn, ids)
    if tagged.empty:
        return
    tagged["org"] = [" ".join(str(name).split()) for name in tagged["org"]]
    known = _organisation_ids(conn, tagged["org"])
    tagged["org_id"] = np.asarray([known.get(name, 0) for name in tagged["org"]], dtype="int64")
    tagged[["needs_review", "corrected"]] = tagged[["needs_review", "corrected"]].astype("int64")
    version = ["model_version"]
    tagged["meetings_region"] = _flag_first(tagged, [*version, "meeting_id", "region"], ["kind"])
    tagged["meetings_all"] = _flag_first(tagged, [*version, "meeting_id"], ["region", "kind"])
    totals = _summarise(
        tagged,
        [*version, "region", "kind"],
        {name: (name, "sum") for name in ("needs_review", "corrected", "meetings_region", "meetings_all")},
    )
    totals["industries"] = (
        tagged.groupby([*version, "region", "kind"], sort=False)["industry"]
        .agg(lambda values: "\n".join(sorted({str(value) for value in values if value})))
        .to_numpy()
    )
    totals = totals.assign(category="", score=0.0, score_region=0.0)

    where = {"agency_id": partition[0], "programme_id": partition[1], "date": partition[2]}
    if labels.empty:
        conn.execute(insert(finding_cells), _records(totals.assign(**where), finding_cells))
        return
    pairs = labels.merge(tagged.drop(columns=["meetings_region", "meetings_all"]), on=["unit_id", "model_version"])
    _signature_rows(conn, pairs, where)
    pairs["weight"] = 1.0 / pairs.groupby([*version, "meeting_id"])["unit_id"].transform("size")
    pairs["weight_region"] = 1.0 / pairs.groupby([*version, "meeting_id", "region"])["unit_id"].transform("size")
    pairs["meetings_region"] = _flag_first(pairs, [*version, "meeting_id", "region", "category"], ["kind"])
    pairs["meetings_all"] = _flag_first(pairs, [*version, "meeting_id", "category"], ["region", "kind"])
    sums = {"meetings_region": ("meetings_region", "sum"), "meetings_all": ("meetings_all", "sum")}
    categories = _summarise(
        pairs,
        [*version, "region", "category", "kind"],
        {**sums, "score": ("weight", "sum"), "score_region": ("weight_region", "sum")},
    ).assign(needs_review=0, corrected=0, industries="")
    rows = pd.concat([totals, categories], ignore_index=True).assign(**where)
    conn.execute(insert(finding_cells), _records(rows, finding_cells))
    _phrase_rows(conn, tagged, pairs, phrases, where)


def _phrase_rows(
    conn: Connection, tagged: pd.DataFrame, pairs: pd.DataFrame, phrases: pd.DataFrame, where: dict[str, Any]
) -> None:
    selected = tagged.loc[tagged["kind"].isin(SUMMARY_KINDS), ["unit_id", "model_version", "meeting_id", "region"]]
    rows = phrases.merge(selected, on="unit_id")
    if rows.empty:
        return
    both = pd.concat(
        [rows.assign(category=""), rows.merge(pairs[["unit_id", "model_version", "category"]])], ignore_index=True
    )
    keys = ["model_version", "category", "phrase"]
    both["meetings_all"] = _flag_first(both, [*keys, "meeting_id"], ["region"])
    grouped = both.groupby([*keys, "region"], sort=False)
    table = grouped.agg(
        units=("unit_id", "size"), meetings_region=("meeting_id", "nunique"), meetings_all=("meetings_all", "sum")
    ).reset_index()
    conn.execute(insert(finding_phrases), _records(table.assign(**where), finding_phrases))


def _signature_rows(conn: Connection, pairs: pd.DataFrame, where: dict[str, Any]) -> None:
    """``finding_signatures``: units, meetings (as the phrase rows count them) and organisations per signature."""
    rows = pairs[pairs["signature"] != 0]
    if rows.empty:
        return
    keys = ["model_version", "category", "signature"]
    rows = rows.assign(meetings_all=_flag_first(rows, [*keys, "meeting_id"], ["region"]))
    table = _summarise(
        rows, [*keys, "region"], {"meetings_region": ("meeting_id", "nunique"), "meetings_all": ("meetings_all", "sum")}
    )
    conn.execute(insert(finding_signatures), _records(table.assign(**where), finding_signatures))


def _records(frame: pd.DataFrame, table: Any) -> list[dict[str, Any]]:
    names = [column.name for column in table.columns]
    records = frame[names].to_dict(orient="records")
    for record in records:
        for name, value in record.items():
            if isinstance(value, np.integer):
                record[name] = int(value)
            elif isinstance(value, np.floating):
                record[name] = float(value)
        if record["programme_id"] is not None and pd.isna(record["programme_id"]):
            record["programme_id"] = None
    return records
