"""The text passes' reads: the signature summary rows passing the filters, the few recurring-issue
representatives shown (one indexed ``ORDER BY quote_rank LIMIT 1`` per issue) and the texts of the units shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine, select

from analyzer.store.cells import SUMMARY_KINDS, chunks
from analyzer.store.counting import _filtered, _frame, summary_query
from analyzer.store.engine import reader
from analyzer.store.summary_tables import finding_signatures
from analyzer.store.tables import unit_categories, units

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
    engine: Engine, agency_id: int | None, model_version: str, chosen: Mapping[str, str | None]
) -> pd.DataFrame:
    """The ``finding_signatures`` rows of *model_version* passing *chosen* (all filters but ``industry``)."""
    with reader(engine).connect() as conn:
        query = summary_query(finding_signatures, SIGNATURE_COLUMNS, agency_id, model_version, chosen)
        return _frame(conn, query, SIGNATURE_COLUMNS)


def representatives(
    engine: Engine,
    agency_id: int | None,
    model_version: str,
    chosen: Mapping[str, str | None],
    issues: Iterable[tuple[str, int]],
) -> list[int]:
    """Per (category, signature) of *issues*, the unit of the summary kinds passing *chosen* with the lowest
    ``(quote_rank, unit_id)`` (0 when none)."""
    found: list[int] = []
    with reader(engine).connect() as conn:
        for category, signature in issues:
            query = _filtered(
                select(unit_categories.c.unit_id)
                .select_from(unit_categories)
                .join(units, units.c.id == unit_categories.c.unit_id)
                .where(
                    unit_categories.c.model_version == model_version,
                    unit_categories.c.category == category,
                    unit_categories.c.signature == int(signature),
                    unit_categories.c.kind.in_(SUMMARY_KINDS),
                ),
                agency_id,
                chosen,
            )
            best = conn.execute(query.order_by(unit_categories.c.quote_rank, unit_categories.c.unit_id).limit(1))
            found.append(int(best.scalar() or 0))
    return found


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
