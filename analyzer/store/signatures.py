"""The text passes' reads: the signature summary rows passing the filters and the texts (and meetings) of given
units (the representatives of recurring issues are read by :mod:`analyzer.store.shown`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, select

from analyzer.store.cells import chunks
from analyzer.store.counting import _frame, summary_query
from analyzer.store.engine import reader, reading
from analyzer.store.summary_tables import finding_signatures
from analyzer.store.tables import units

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


def signature_frame(
    source: Engine | Connection, agency_id: int | None, model_version: str, chosen: Mapping[str, str | None]
) -> pd.DataFrame:
    """The ``finding_signatures`` rows of *model_version* passing *chosen* (all filters but ``industry``)."""
    with reading(source) as conn:
        query = summary_query(finding_signatures, SIGNATURE_COLUMNS, agency_id, model_version, chosen)
        return _frame(conn, query, SIGNATURE_COLUMNS)


def unit_texts(engine: Engine, unit_ids: Sequence[int]) -> dict[int, str]:
    """The (masked) text of each unit of *unit_ids* that exists."""
    found: dict[int, str] = {}
    with reader(engine).connect() as conn:
        for batch in chunks(int(unit_id) for unit_id in unit_ids):
            found.update(
                (row.id, row.text)
                for row in conn.execute(select(units.c.id, units.c.text).where(units.c.id.in_(batch)))
            )
    return found


def meetings_and_texts(engine: Engine, unit_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """The meeting and (masked) text of each unit of *unit_ids* that exists."""
    found: dict[int, tuple[int, str]] = {}
    with reader(engine).connect() as conn:
        for batch in chunks(sorted({int(unit_id) for unit_id in unit_ids})):
            query = select(units.c.id, units.c.meeting_id, units.c.text).where(units.c.id.in_(batch))
            found.update((row.id, (row.meeting_id, row.text)) for row in conn.execute(query))
    return found
