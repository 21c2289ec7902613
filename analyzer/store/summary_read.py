"""The findings' summary rows of one model version and industry, read whole and filtered in memory.

The summary tables hold thousands of rows whatever the number of units (:mod:`analyzer.store.cells`), so one read
of all of a model version's rows over every unit (or over one industry's units, for an industry filter), kept per
data version by the caller, serves every filter that follows until the next write: each then costs a mask over
those rows instead of three statements and the frames built from them. The mask filters by the rows' columns
(agency, programme, period, region); the industry chose the rows read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, false, func, or_, select

from analyzer.store.cells import in_partition
from analyzer.store.counting import _frame
from analyzer.store.engine import reading
from analyzer.store.summary_tables import finding_cells, finding_phrases, finding_signatures, summary_changes
from analyzer.store.tables import agencies, programmes
from analyzer.store.versions import current

#: The cell rows' columns (:mod:`analyzer.aggregate.summary`).
CELL_COLUMNS = (
    "agency",
    "programme",
    "date",
    "region",
    "category",
    "kind",
    "units",
    "needs_review",
    "corrected",
    "meetings_region",
    "meetings_all",
    "score",
    "score_region",
    "organisations",
    "industries",
)
#: Phrase rows as filtered: summed over the partitions and regions passing the filters (the key-phrase statistics need
#: no other dimension), so tens of rows per category instead of one per partition.
PHRASE_CELL_COLUMNS = ("category", "phrase", "units", "meetings_region", "meetings_all")
#: The signature rows' columns (:mod:`analyzer.aggregate.signatures`).
SIGNATURE_COLUMNS = (
    "agency",
    "programme",
    "date",
    "category",
    "signature",
    "units",
    "meetings_region",
    "meetings_all",
    "organisations",
)
#: The phrase rows' columns as stored (summed per category and phrase once filtered).
PHRASE_ROW_COLUMNS = ("agency", "programme", "date", "region", "category", "phrase", *PHRASE_CELL_COLUMNS[2:])
#: The signature rows' columns as stored.
SIGNATURE_ROW_COLUMNS = (*SIGNATURE_COLUMNS[:3], "region", *SIGNATURE_COLUMNS[3:])
#: Each table's rows and the key they are kept in order of (sums then run in one order in every process).
TABLES = {
    "cells": (finding_cells, CELL_COLUMNS, "kind"),
    "phrases": (finding_phrases, PHRASE_ROW_COLUMNS, "phrase"),
    "signatures": (finding_signatures, SIGNATURE_ROW_COLUMNS, "signature"),
}
#: Changed partitions up to which a refresh re-reads them (beyond: every row).
REFRESH_AT_MOST = 50
Partition = tuple[int, int | None, str]


@dataclass(frozen=True)
class SummaryTables:
    """Every summary row of one model version and *industry* (``''``: the rows over every unit) at data version
    *version*: ``cells`` (:data:`CELL_COLUMNS`), ``phrases`` (:data:`PHRASE_ROW_COLUMNS`) and ``signatures``
    (:data:`SIGNATURE_ROW_COLUMNS`), each with the rows' ``agency_id`` and ``programme_id`` (0 for none) first, in
    key order (agency, programme, date, region, category, then kind, phrase or signature)."""

    version: int
    cells: pd.DataFrame
    phrases: pd.DataFrame
    signatures: pd.DataFrame
    industry: str = ""


def _rows(
    conn: Connection, name: str, model_version: str, industry: str, partitions: list[Partition] | None = None
) -> pd.DataFrame:
    """Table *name*'s rows of *model_version* and *industry* (of *partitions* only, when given), in key order."""
    table, names, last = TABLES[name]
    columns = table.c
    query = (
        select(
            columns.agency_id,
            func.coalesce(columns.programme_id, 0),
            agencies.c.name,
            func.coalesce(programmes.c.name, ""),
            *(columns[column] for column in names[2:]),
        )
        .select_from(table)
        .join(agencies, agencies.c.id == columns.agency_id)
        .outerjoin(programmes, programmes.c.id == columns.programme_id)
        .where(columns.model_version == model_version, columns.industry == industry)
    )
    if partitions is not None:
        query = query.where(or_(false(), *(in_partition(table, partition) for partition in partitions)))
    rows = _frame(conn, query, ("agency_id", "programme_id", *names))
    return _ordered(rows, last)


def _ordered(rows: pd.DataFrame, last: str) -> pd.DataFrame:
    keys = ["agency_id", "programme", "date", "region", "category", last]
    return rows.sort_values(keys, kind="stable").reset_index(drop=True)


def read_summaries(
    source: Engine | Connection, model_version: str, since: SummaryTables | None = None, industry: str = ""
) -> SummaryTables:
    """All summary rows of *model_version* and *industry* and the data version they are at, in one snapshot: from
    *since* (the same rows at an earlier version) with the partitions changed after it re-read, when they are few."""
    with reading(source) as conn:
        version = current(conn)
        if since is not None and (since.version, since.industry) == (version, industry):
            return since
        changed = _changed(conn, since.version, version) if since is not None and since.industry == industry else None
        if since is None or changed is None:
            cells, phrases, signatures = (_rows(conn, name, model_version, industry) for name in TABLES)
            return SummaryTables(version, cells, phrases, signatures, industry)
        fresh = {name: _rows(conn, name, model_version, industry, changed) for name in TABLES}
    if not changed:
        return SummaryTables(version, since.cells, since.phrases, since.signatures, industry)
    keys = [(agency, programme or 0, date) for agency, programme, date in changed]
    merged = {name: _replaced(getattr(since, name), fresh[name], keys) for name in TABLES}
    return SummaryTables(version, merged["cells"], merged["phrases"], merged["signatures"], industry)


def _replaced(held: pd.DataFrame, fresh: pd.DataFrame, keys: list[tuple[int, int, str]]) -> pd.DataFrame:
    """*held* (in key order) with the rows of the partitions *keys* (``agency_id``, ``programme_id`` or 0, date)
    replaced by *fresh* (theirs, in key order), in key order. A partition's rows are contiguous in key order, so each
    fresh partition's rows go where its key falls among the rows kept: no sort of every row."""
    gone = np.zeros(len(held), dtype=bool)
    held_agency, held_programme = held["agency_id"].to_numpy(), held["programme_id"].to_numpy()
    held_date = held["date"].to_numpy(dtype=object)
    for at_agency, at_programme, at_date in keys:
        rows = np.flatnonzero((held_agency == at_agency) & (held_programme == at_programme))
        gone[rows[held_date[rows] == at_date]] = True
    kept = held[~gone]
    agency = kept["agency_id"].to_numpy()
    programme, date = (kept[name].to_numpy(dtype=object) for name in ("programme", "date"))
    places = np.empty(len(fresh))
    for (at_agency, at_programme, at_date), rows in fresh.groupby(["agency_id", "programme", "date"]).indices.items():
        before = (agency < at_agency) | (
            (agency == at_agency) & ((programme < at_programme) | ((programme == at_programme) & (date < at_date)))
        )
        places[rows] = before.sum() - 0.5
    order = np.argsort(np.r_[np.arange(len(kept), dtype=float), places], kind="stable")
    return pd.concat([kept, fresh], ignore_index=True).take(order).reset_index(drop=True)


def _changed(conn: Connection, after: int, upto: int) -> list[Partition] | None:
    """The partitions written after version *after* up to *upto*; ``None`` when that is every partition (a
    rebuild) or more than :data:`REFRESH_AT_MOST`."""
    log = summary_changes.c
    query = (
        select(log.agency_id, log.programme_id, log.date)
        .where(log.version > after, log.version <= upto)
        .distinct()
        .limit(REFRESH_AT_MOST + 1)
    )
    found = [(row[0], row[1], row[2]) for row in conn.execute(query)]
    if len(found) > REFRESH_AT_MOST or any(agency is None for agency, _, _ in found):
        return None
    return sorted(found, key=repr)


def passing(rows: pd.DataFrame, agency_id: int | None, chosen: Mapping[str, str | None]) -> np.ndarray:
    """Which summary *rows* (``agency_id``, ``agency``, ``programme``, ``date``, ``region`` columns) pass the
    caller's agency *agency_id* and the filters *chosen*, compared as the label rows' filters compare them."""
    mask = np.ones(len(rows), dtype=bool)
    if agency_id is not None:
        mask &= rows["agency_id"].to_numpy() == agency_id
    for name in ("agency", "programme", "region"):
        if chosen.get(name):
            mask &= (rows[name] == chosen[name]).to_numpy(dtype=bool)
    dates = rows["date"].to_numpy(dtype=object)  # texts, also when there are no rows
    if chosen.get("date_from"):
        mask &= dates >= chosen["date_from"]
    if chosen.get("date_to"):
        mask &= (dates <= chosen["date_to"]) & (dates != "")
    return mask


def filtered(
    tables: SummaryTables, agency_id: int | None, chosen: Mapping[str, str | None]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(cells, phrases, signatures)`` of *tables* passing the filters: cells with :data:`CELL_COLUMNS`, phrases
    summed per (category, phrase) (:data:`PHRASE_CELL_COLUMNS`), signatures with :data:`SIGNATURE_COLUMNS`."""
    cells = tables.cells[passing(tables.cells, agency_id, chosen)]
    phrases = tables.phrases[passing(tables.phrases, agency_id, chosen)]
    summed = phrases.groupby(["category", "phrase"], sort=True)[list(PHRASE_CELL_COLUMNS[2:])].sum().reset_index()
    signatures = tables.signatures[passing(tables.signatures, agency_id, chosen)]
    return (
        cells[list(CELL_COLUMNS)].reset_index(drop=True),
        summed[list(PHRASE_CELL_COLUMNS)],
        signatures[list(SIGNATURE_COLUMNS)].reset_index(drop=True),
    )
