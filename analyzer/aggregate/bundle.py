"""All findings in one JSON-ready mapping for the API, dashboard and reports."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analyzer.aggregate.issues import Dimension, breakdown_from, top_issues_from
from analyzer.aggregate.phrases import PHRASE_COLUMNS, phrase_stats_from
from analyzer.aggregate.quotes import QUOTE_COLUMNS, quote_columns
from analyzer.aggregate.recurring import recurring_from
from analyzer.aggregate.similarity import TextReader, with_text_keys
from analyzer.aggregate.trends import Exposure, trends_from
from analyzer.aggregate.units import (
    DEFAULT_KINDS,
    Normalise,
    Period,
    category_pairs,
    explode_values,
    kind_mask,
    prepare_units,
    text_view,
)
from analyzer.taxonomy import Taxonomy

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def kind_counts(counts: pd.Series) -> JsonValue:
    """Units per kind, most first, ties by kind (the same order whatever order the rows came in)."""
    return json_ready(dict(sorted(counts.to_dict().items(), key=lambda pair: (-pair[1], pair[0]))))


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


def _column(values: pd.Series | np.ndarray) -> list[JsonValue]:
    """A column as plain Python: numbers and booleans converted at once, anything else item by item."""
    kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else "O"
    if kind in "iub":
        return list(np.asarray(values).tolist())
    if kind == "f":
        return [item if math.isfinite(item) else None for item in np.asarray(values).tolist()]
    return [json_ready(item) for item in values.tolist()]


def records(table: pd.DataFrame) -> list[JsonValue]:
    """The rows of ``table`` as JSON-ready dicts (built column by column: far fewer conversions than per row)."""
    names = [str(name) for name in table.columns]
    columns = [_column(table.iloc[:, position]) for position in range(len(names))]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if names else [{}] * len(table)


def quote_records(table: Mapping[str, np.ndarray]) -> list[JsonValue]:
    """:func:`records` of the quotes table *table* (columns as arrays, :data:`QUOTE_COLUMNS`)."""
    if not len(table["unit_id"]):
        return []
    columns = [_column(table[name]) for name in QUOTE_COLUMNS]
    return [dict(zip(QUOTE_COLUMNS, row, strict=True)) for row in zip(*columns, strict=True)]


def totals_of(units: pd.DataFrame) -> dict[str, JsonValue]:
    """Units, meetings, organisations, units needing review or corrected, units per kind, first and last day."""
    dates = pd.to_datetime(pd.Series(units["meeting_date"].unique()), format="ISO8601", errors="coerce").dropna()
    return {
        "units": len(units),
        "meetings": int(units["meeting_id"].nunique()),
        "organisations": int(units["organisation"][units["organisation"] != ""].nunique()),
        "needs_review": int(units["needs_review"].sum()),
        "corrected": int(units["corrected"].sum()),
        "kinds": kind_counts(units["kind"].value_counts()),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
    }


def findings(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    **options: Any,
) -> dict[str, JsonValue]:
    """Totals, top issues, breakdowns, trends, recurring issues, and quotes and key phrases per category.

    Everything is plain JSON (no numpy types, ``None`` for NaN or infinity). Quotes draw at most
    ``quote_candidates`` texts per category and recurring issues cluster at most ``recurring_max_units`` per
    category (see their modules) and list the ``recurring_top`` spanning most meetings. An empty frame gives zero
    totals and empty lists. *options* are those of :func:`findings_from`.
    """
    units = prepare_units(frame)
    pairs = category_pairs(units, kinds)
    positions = np.flatnonzero(kind_mask(units, kinds))
    phrase_rows = explode_values(units, "keyphrases", positions).rename(columns={"value": "phrase"})
    units = with_text_keys(units, pairs["row"].unique())
    return findings_from(units, pairs, phrase_rows, len(positions), taxonomy, kinds=kinds, **options)


def findings_from(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    phrase_rows: pd.DataFrame,
    selected: int,
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
    recurring_top: int = 50,
    seed: int = 0,
    texts: TextReader | None = None,
    with_recurring: bool = True,
) -> dict[str, JsonValue]:
    """:func:`findings` from prepared units (with ``text_key``; without ``text`` when *texts* reads it for the
    few units the text passes draw), their category pairs of *kinds*, the distinct ``(row, phrase)`` of the
    *selected* units of *kinds*."""
    top = top_issues_from(pairs, taxonomy, kinds, normalise)
    stats = phrase_stats_from(phrase_rows, selected, pairs)
    by_category, recurring = text_findings(
        units,
        pairs,
        top,
        stats,
        taxonomy,
        quotes=quotes,
        phrases=phrases,
        quote_candidates=quote_candidates,
        min_meetings=min_meetings,
        similarity=similarity,
        recurring_max_units=recurring_max_units,
        recurring_top=recurring_top,
        seed=seed,
        texts=texts,
        with_recurring=with_recurring,
    )
    return {
        "parameters": json_ready(
            {"kinds": kinds, "normalise": normalise, "period": period, "exposure": exposure, "alpha": alpha}
        ),
        "totals": totals_of(units),
        "top": records(top),
        "breakdowns": {by: records(breakdown_from(units, pairs, taxonomy, by, period, normalise)) for by in breakdowns},
        "trends": records(trends_from(units, pairs, taxonomy, period, kinds, min_count, alpha, exposure)),
        "recurring": recurring,
        "by_category": by_category,
    }


def text_findings(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    top: pd.DataFrame,
    stats: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    quotes: int = 5,
    phrases: int = 10,
    quote_candidates: int = 500,
    min_meetings: int = 2,
    similarity: float = 0.55,
    recurring_max_units: int = 1000,
    recurring_top: int = 50,
    seed: int = 0,
    texts: TextReader | None = None,
    with_recurring: bool = True,
) -> tuple[dict[str, JsonValue], JsonValue]:
    """Per category of *top* its label, quotes and key phrases (from the phrase statistics *stats*), and the
    recurring issues (an empty list without *with_recurring*: the caller reads them from stored signatures), from
    prepared *units* (with ``text_key``) and their category *pairs*."""
    rows_of = pairs.groupby("category")["row"].agg(list)
    view = text_view(units)
    arrays = {str(name): view[name].to_numpy() for name in view.columns}  # sliced per category, no frame copies
    key_phrases: dict[str, list[JsonValue]] = {}  # the first *phrases* rows of each category, in *stats* order
    for category, row in zip(stats["category"].tolist(), records(stats[PHRASE_COLUMNS]), strict=True):
        kept = key_phrases.setdefault(category, [])
        if len(kept) < phrases:
            kept.append(row)
    by_category: dict[str, JsonValue] = {}
    for category, label in zip(top["category"].tolist(), top["label"].tolist(), strict=True):
        rows = np.asarray(rows_of[category], dtype=np.int64)
        members = {name: values[rows] for name, values in arrays.items()}
        chosen = quote_columns(members, quotes, max_candidates=quote_candidates, seed=seed, texts=texts)
        by_category[category] = {
            "label": label,
            "quotes": quote_records(chosen),
            "key_phrases": key_phrases.get(category, []),
        }
    if not with_recurring:
        return by_category, []
    recurring = recurring_from(
        units, pairs, taxonomy, min_meetings, similarity, recurring_max_units, seed=seed, texts=texts
    )
    return by_category, records(recurring.head(recurring_top))
