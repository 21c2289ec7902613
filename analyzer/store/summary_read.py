"""The findings' summary rows of one model version, read whole and filtered in memory.

The summary tables hold thousands of rows whatever the number of units (:mod:`analyzer.store.cells`), so one read
of all of a model version's rows, kept per data version by the caller, serves every filter that follows until the
next write: each then costs a mask over those rows instead of three statements and the frames built from them.
Filters are those of the summary rows (agency, programme, period, region; not industry, a per-unit value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, func, select

from analyzer.store.counting import _frame
from analyzer.store.engine import reading
from analyzer.store.summary_tables import finding_cells, finding_phrases, finding_signatures
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
#: Each table's key after the model version (the order rows are read in).
KEYS = {
    "finding_cells": ("agency_id", "programme_id", "date", "region", "category", "kind"),
    "finding_phrases": ("agency_id", "programme_id", "date", "region", "category", "phrase"),
    "finding_signatures": ("agency_id", "programme_id", "date", "region", "category", "signature"),
}


@dataclass(frozen=True)
class SummaryTables:
    """Every summary row of one model version at data version *version*: ``cells`` (:data:`CELL_COLUMNS`),
    ``phrases`` (:data:`PHRASE_ROW_COLUMNS`) and ``signatures`` (:data:`SIGNATURE_ROW_COLUMNS`), each with the
    rows' ``agency_id`` first and in key order (:data:`KEYS`)."""

    version: int
    cells: pd.DataFrame
    phrases: pd.DataFrame
    signatures: pd.DataFrame


def _rows(conn: Connection, table: Table, names: tuple[str, ...], model_version: str) -> pd.DataFrame:
    """*table*'s rows of *model_version*: ``agency_id``, then *names* (agency and programme names, then the
    table's columns ``names[2:]``), in key order."""
    columns = table.c
    query = (
        select(
            columns.agency_id,
            agencies.c.name,
            func.coalesce(programmes.c.name, ""),
            *(columns[name] for name in names[2:]),
        )
        .select_from(table)
        .join(agencies, agencies.c.id == columns.agency_id)
        .outerjoin(programmes, programmes.c.id == columns.programme_id)
        .where(columns.model_version == model_version)
        .order_by(*(columns[name] for name in KEYS[table.name]))
    )
    return _frame(conn, query, ("agency_id", *names))


def read_summaries(source: Engine | Connection, model_version: str) -> SummaryTables:
    """All summary rows of *model_version* and the data version they are at, in one snapshot."""
    with reading(source) as conn:
        return SummaryTables(
            version=current(conn),
            cells=_rows(conn, finding_cells, CELL_COLUMNS, model_version),
            phrases=_rows(conn, finding_phrases, PHRASE_ROW_COLUMNS, model_version),
            signatures=_rows(conn, finding_signatures, SIGNATURE_ROW_COLUMNS, model_version),
        )


def passing(rows: pd.DataFrame, agency_id: int | None, chosen: Mapping[str, str | None]) -> np.ndarray:
    """Which summary *rows* (``agency_id``, ``agency``, ``programme``, ``date``, ``region`` columns) pass the
    caller's agency *agency_id* and the filters *chosen*, compared as the label rows' filters compare them."""
    mask = np.ones(len(rows), dtype=bool)
    if agency_id is not None:
        mask &= rows["agency_id"].to_numpy() == agency_id
    for name in ("agency", "programme", "region"):
        if chosen.get(name):
            mask &= (rows[name] == chosen[name]).to_numpy(dtype=bool)
    dates = rows["date"]
    if chosen.get("date_from"):
        mask &= (dates >= chosen["date_from"]).to_numpy(dtype=bool)
    if chosen.get("date_to"):
        mask &= ((dates <= chosen["date_to"]) & (dates != "")).to_numpy(dtype=bool)
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


def summary_frames(
    source: Engine | Connection, agency_id: int | None, model_version: str, chosen: Mapping[str, str | None]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cells and summed phrase rows of *model_version* passing the filters (:func:`filtered`), read now."""
    cells, phrases, _ = filtered(read_summaries(source, model_version), agency_id, chosen)
    return cells, phrases
