"""The units the taxonomy covers poorly: pain points and requests with no category, or only weak ones."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from analyzer.store.effective import tagged_units
from analyzer.store.engine import reader

POOL_COLUMNS = ("unit_id", "meeting_id", "text", "keyphrases", "organisation", "categories", "kind")


def uncovered_units(
    engine: Engine,
    agency_id: int | None,
    model_version: str,
    *,
    kinds: tuple[str, ...] = ("pain_point", "request"),
    weak_probability: float = 0.5,
) -> pd.DataFrame:
    """Units of *kinds* tagged by *model_version* whose effective categories are empty, or (not corrected by a
    person) whose every category has a probability below *weak_probability*. Columns: :data:`POOL_COLUMNS`."""
    tagged = tagged_units(model_version).subquery("tagged")
    query = select(*(tagged.c[name] for name in (*POOL_COLUMNS, "probabilities", "corrected"))).where(
        tagged.c.kind.in_(kinds)
    )
    if agency_id is not None:
        query = query.where(tagged.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        rows = conn.execute(query.order_by(tagged.c.unit_id)).mappings().all()
    kept: list[dict[str, Any]] = [
        {name: row[name] for name in POOL_COLUMNS}
        for row in rows
        if not row["categories"]
        or (
            not row["corrected"]
            and all(float((row["probabilities"] or {}).get(c, 0.0)) < weak_probability for c in row["categories"])
        )
    ]
    return pd.DataFrame(kept, columns=list(POOL_COLUMNS))
