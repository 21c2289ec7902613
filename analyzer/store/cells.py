"""What meetings contribute to the findings' summary rows (:mod:`analyzer.store.summary_tables`).

A *partition* is the meetings of one (agency, programme, meeting date). For meetings of one partition,
:func:`contribution` computes from their label rows, per model version and (effective) region:

* ``finding_cells`` per (category, kind) of the summary kinds (pain points and requests): units, the score
  contributions under meeting normalisation (weights ``1 / pairs of the meeting``, and ``1 / pairs of the meeting in
  this region`` for a region filter), and meeting counts arranged so that sums stay distinct counts
  (``meetings_region``: a meeting counts once per region and category, in its first kind; ``meetings_all``: once
  per category, in its first region and kind); per kind of every unit (``category = ''``): units, needs review,
  corrected, the same meeting counts and the distinct effective industries;
* ``finding_phrases`` the same per (category, phrase), ``''`` being every unit of the summary kinds;
* ``finding_signatures`` per recurring-issue signature.

Organisations are bitsets over ``organisation_keys`` (a union of rows is an OR, so distinct counts stay exact).
Every number is a sum over meetings (weights and first-flags depend on their own meeting alone), and organisations
and industries are also kept as counts (``organisation_counts``, ``industry_counts``: how many of the row's units
carry each), so a partition's rows are the sum of its meetings' contributions: a write subtracts what its meetings
contributed before it and adds what they contribute after (:mod:`analyzer.store.summaries`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, func, insert, select

from analyzer.store.summary_tables import finding_cells, finding_phrases, finding_signatures, organisation_keys
from analyzer.store.tables import (
    meetings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)

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


def encode_counts(counts: Mapping[Any, int]) -> str:
    """*counts* (organisation id or industry -> units) as canonical JSON: ``[[key, count], ...]`` sorted by key,
    zero counts left out."""
    return json.dumps(sorted([key, int(count)] for key, count in counts.items() if count), separators=(",", ":"))


def decode_counts(text: str) -> dict[Any, int]:
    """The counts :func:`encode_counts` wrote."""
    return {key: count for key, count in json.loads(text or "[]")}


def _count_ids(ids: pd.Series) -> str:
    return encode_counts(Counter(int(value) for value in ids.to_numpy() if value > 0))


def _count_names(names: pd.Series) -> str:
    return encode_counts(Counter(str(value) for value in names if value))


def _flag_first(frame: pd.DataFrame, within: list[str], order: list[str]) -> np.ndarray:
    """1 on the first row of each group *within* when ordered by *order*, else 0 (so sums count groups once)."""
    ranked = frame.sort_values([*within, *order], kind="stable")
    first = ~ranked.duplicated(within)
    return first.reindex(frame.index).to_numpy(dtype="int64")


def _summarise(frame: pd.DataFrame, keys: list[str], extra: dict[str, tuple[str, str]]) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=False)
    table = grouped.agg(units=("unit_id", "size"), **extra).reset_index()
    table["organisations"] = grouped["org_id"].agg(lambda ids: bitset(ids.to_numpy())).to_numpy()
    table["organisation_counts"] = grouped["org_id"].agg(_count_ids).to_numpy()
    return table


Contribution = dict[str, list[dict[str, Any]]]


def contribution(conn: Connection, partition: Partition, ids: list[int]) -> Contribution:
    """The summary rows that the meetings *ids* (all of *partition*) contribute, per table name (``cells``,
    ``phrases``, ``signatures``), as records of the tables' columns."""
    found: Contribution = {"cells": [], "phrases": [], "signatures": []}
    tagged, labels, phrases = _read(conn, ids) if ids else (pd.DataFrame(),) * 3
    if tagged.empty:
        return found
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
    grouped = tagged.groupby([*version, "region", "kind"], sort=False)["industry"]
    totals["industries"] = grouped.agg(
        lambda values: "\n".join(sorted({str(value) for value in values if value}))
    ).to_numpy()
    totals["industry_counts"] = grouped.agg(_count_names).to_numpy()
    totals = totals.assign(category="", score=0.0, score_region=0.0)
    where = {"agency_id": partition[0], "programme_id": partition[1], "date": partition[2]}
    if labels.empty:  # no category: the totals, and the phrases of every unit of the summary kinds
        found["cells"] = _records(totals.assign(**where), finding_cells)
        found["phrases"] = _phrase_rows(
            tagged, pd.DataFrame(columns=["unit_id", "model_version", "category"]), phrases, where
        )
        return found
    pairs = labels.merge(tagged.drop(columns=["meetings_region", "meetings_all"]), on=["unit_id", "model_version"])
    found["signatures"] = _signature_rows(pairs, where)
    pairs["weight"] = 1.0 / pairs.groupby([*version, "meeting_id"])["unit_id"].transform("size")
    pairs["weight_region"] = 1.0 / pairs.groupby([*version, "meeting_id", "region"])["unit_id"].transform("size")
    pairs["meetings_region"] = _flag_first(pairs, [*version, "meeting_id", "region", "category"], ["kind"])
    pairs["meetings_all"] = _flag_first(pairs, [*version, "meeting_id", "category"], ["region", "kind"])
    sums = {"meetings_region": ("meetings_region", "sum"), "meetings_all": ("meetings_all", "sum")}
    categories = _summarise(
        pairs,
        [*version, "region", "category", "kind"],
        {**sums, "score": ("weight", "sum"), "score_region": ("weight_region", "sum")},
    ).assign(needs_review=0, corrected=0, industries="", industry_counts="[]")
    rows = pd.concat([totals, categories], ignore_index=True).assign(**where)
    found["cells"] = _records(rows, finding_cells)
    found["phrases"] = _phrase_rows(tagged, pairs, phrases, where)
    return found


def _phrase_rows(
    tagged: pd.DataFrame, pairs: pd.DataFrame, phrases: pd.DataFrame, where: dict[str, Any]
) -> list[dict[str, Any]]:
    selected = tagged.loc[tagged["kind"].isin(SUMMARY_KINDS), ["unit_id", "model_version", "meeting_id", "region"]]
    rows = phrases.merge(selected, on="unit_id")
    if rows.empty:
        return []
    both = pd.concat(
        [rows.assign(category=""), rows.merge(pairs[["unit_id", "model_version", "category"]])], ignore_index=True
    )
    keys = ["model_version", "category", "phrase"]
    both["meetings_all"] = _flag_first(both, [*keys, "meeting_id"], ["region"])
    grouped = both.groupby([*keys, "region"], sort=False)
    table = grouped.agg(
        units=("unit_id", "size"), meetings_region=("meeting_id", "nunique"), meetings_all=("meetings_all", "sum")
    ).reset_index()
    return _records(table.assign(**where), finding_phrases)


def _signature_rows(pairs: pd.DataFrame, where: dict[str, Any]) -> list[dict[str, Any]]:
    """``finding_signatures``: units, meetings (as the phrase rows count them) and organisations per signature."""
    rows = pairs[pairs["signature"] != 0]
    if rows.empty:
        return []
    keys = ["model_version", "category", "signature"]
    rows = rows.assign(meetings_all=_flag_first(rows, [*keys, "meeting_id"], ["region"]))
    table = _summarise(
        rows, [*keys, "region"], {"meetings_region": ("meeting_id", "nunique"), "meetings_all": ("meetings_all", "sum")}
    )
    return _records(table.assign(**where), finding_signatures)


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
