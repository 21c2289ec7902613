"""All findings in one JSON-ready mapping for the API, dashboard and reports."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analyzer.aggregate.issues import Dimension, breakdown_of, top_issues_of
from analyzer.aggregate.phrases import PHRASE_COLUMNS, phrase_stats
from analyzer.aggregate.quotes import quotes_from
from analyzer.aggregate.recurring import recurring_of
from analyzer.aggregate.trends import Exposure, trends_of
from analyzer.aggregate.units import DEFAULT_KINDS, Normalise, Period, category_pairs, prepare_units
from analyzer.taxonomy import Taxonomy

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def json_ready(value: object) -> JsonValue:
    """Plain Python for ``json.dumps``: numpy scalars unwrapped, NaN/NA/infinity as ``None``, arrays as lists."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray | pd.Series):
        return [json_ready(item) for item in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def records(table: pd.DataFrame) -> list[JsonValue]:
    """The rows of ``table`` as JSON-ready dicts."""
    return [json_ready(row) for row in table.to_dict(orient="records")]


def totals_of(units: pd.DataFrame) -> dict[str, JsonValue]:
    """Units, meetings, organisations, units needing review or corrected, units per kind, first and last day."""
    dates = pd.to_datetime(pd.Series(units["meeting_date"].unique()), format="ISO8601", errors="coerce").dropna()
    return {
        "units": len(units),
        "meetings": int(units["meeting_id"].nunique()),
        "organisations": int(units["organisation"][units["organisation"] != ""].nunique()),
        "needs_review": int(units["needs_review"].sum()),
        "corrected": int(units["corrected"].sum()),
        "kinds": json_ready(units["kind"].value_counts().to_dict()),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
    }


def findings(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    normalise: Normalise = "meeting",
    period: Period = "M",
    min_count: int = 5,
    alpha: float = 0.05,
    exposure: Exposure = "meetings",
    breakdowns: Sequence[Dimension] = ("region", "agency", "programme", "period"),
    quotes: int = 5,
    phrases: int = 10,
    quote_candidates: int = 500,
    min_meetings: int = 2,
    similarity: float = 0.55,
    recurring_max_units: int = 1000,
    seed: int = 0,
) -> dict[str, JsonValue]:
    """Totals, top issues, breakdowns, trends, recurring issues, and quotes and key phrases per category.

    Everything is plain JSON (no numpy types, ``None`` for NaN). Quotes draw at most ``quote_candidates`` texts
    per category and recurring issues at most ``recurring_max_units`` (see their modules); an empty frame gives
    zero totals and empty lists.
    """
    units = prepare_units(frame)
    top = top_issues_of(units, taxonomy, kinds, normalise)
    rows_of = category_pairs(units, kinds).groupby("category")["row"].agg(list)
    stats = phrase_stats(units, kinds)
    by_category: dict[str, JsonValue] = {}
    for category, label in zip(top["category"], top["label"], strict=True):
        members = units.iloc[rows_of[category]]
        by_category[category] = {
            "label": label,
            "quotes": records(quotes_from(members, quotes, max_candidates=quote_candidates, seed=seed)),
            "key_phrases": records(stats[stats["category"] == category][PHRASE_COLUMNS].head(phrases)),
        }
    return {
        "options": json_ready(
            {"kinds": kinds, "normalise": normalise, "period": period, "exposure": exposure, "alpha": alpha}
        ),
        "totals": totals_of(units),
        "top": records(top),
        "breakdowns": {by: records(breakdown_of(units, taxonomy, by, period, kinds, normalise)) for by in breakdowns},
        "trends": records(trends_of(units, taxonomy, period, kinds, min_count, alpha, exposure)),
        "recurring": records(
            recurring_of(units, taxonomy, min_meetings, similarity, kinds, recurring_max_units, seed=seed)
        ),
        "by_category": by_category,
    }
