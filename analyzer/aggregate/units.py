"""The tagged-units frame every aggregate starts from: column checks, defaults, (unit, category) pairs, periods."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analyzer.taxonomy import Taxonomy

Normalise = Literal["meeting", "respondent"] | None
Period = Literal["M", "Q"]

UNKNOWN = "미상"
"""Shown for a missing dimension value (no region, no organisation, no usable meeting date)."""

DEFAULT_KINDS: tuple[str, ...] = ("pain_point", "request")
REQUIRED = ("unit_id", "meeting_id", "text", "categories", "kind")
TEXT_COLUMNS = (
    "meeting_title",
    "meeting_date",
    "agency",
    "programme",
    "region",
    "industry",
    "organisation",
    "speaker",
)
FLAG_COLUMNS = ("needs_review", "corrected")
QUOTE_SOURCE = ("unit_id", "meeting_id", "meeting_title", "meeting_date", "organisation", "kind", "text")


def text_view(units: pd.DataFrame) -> pd.DataFrame:
    """The columns text passes read (quotes, recurring issues), so slicing rows copies little."""
    return units[[name for name in (*QUOTE_SOURCE, "needs_review", "text_key") if name in units.columns]]


def _clean(values: pd.Series, strip: bool = True) -> np.ndarray:
    """Strings with missing values as "" (cleaned once per distinct value, so cheap on repetitive columns)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    cleaned = [" ".join(str(value).split()) if strip else str(value) for value in uniques]
    return np.asarray([*cleaned, ""], dtype=object)[codes]


def prepare_units(frame: pd.DataFrame) -> pd.DataFrame:
    """A clean copy of ``frame``: the known columns only, missing ones and missing values filled with defaults.

    Text columns become strings ("" when missing; whitespace collapsed except in ``text``); ``categories`` and
    ``keyphrases`` stay list-like cells, read by :func:`explode_values`. An empty frame may lack any column; a
    non-empty one without the :data:`REQUIRED` columns raises ``ValueError``.
    """
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing and len(frame):
        raise ValueError(f"tagged-units frame lacks columns: {', '.join(missing)}")
    size = len(frame)

    def column(name: str, default: object) -> pd.Series:
        if name in frame.columns:
            return frame[name].reset_index(drop=True)
        return pd.Series([default] * size, dtype=object)

    return pd.DataFrame(
        {
            "unit_id": column("unit_id", 0).astype("int64"),
            "meeting_id": column("meeting_id", 0).astype("int64"),
            "text": _clean(column("text", ""), strip=False),
            "categories": column("categories", None).astype(object),
            "kind": _clean(column("kind", "")),
            **{name: _clean(column(name, "")) for name in TEXT_COLUMNS},
            **{name: column(name, False).fillna(False).astype(bool) for name in FLAG_COLUMNS},
            "keyphrases": column("keyphrases", None).astype(object),
        }
    )


def explode_values(units: pd.DataFrame, column: str, positions: np.ndarray) -> pd.DataFrame:
    """``row`` (position in ``units``) and ``value`` for each distinct non-empty item of a list-like column.

    Items are stripped, inner whitespace collapsed; ``None``, NaN and empty lists give no rows, and a plain string
    counts as a one-item list.
    """
    cells = pd.Series(units[column].to_numpy()[positions], index=positions, dtype=object).explode()
    cells = cells[cells.notna()]
    values = _clean(cells)
    keep = values != ""
    exploded = pd.DataFrame({"row": cells.index.to_numpy()[keep], "value": values[keep]})
    return exploded.drop_duplicates(ignore_index=True)


def kind_mask(units: pd.DataFrame, kinds: Sequence[str] | str | None) -> np.ndarray:
    """Which units have a kind in ``kinds`` (a kind id, several, or ``None`` for every kind)."""
    if kinds is None:
        return np.ones(len(units), dtype=bool)
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    return units["kind"].isin(wanted).to_numpy()


def category_pairs(units: pd.DataFrame, kinds: Sequence[str] | str | None) -> pd.DataFrame:
    """One row per (unit, category) of the selected kinds, with ``row`` = the unit's position in ``units``."""
    exploded = explode_values(units, "categories", np.flatnonzero(kind_mask(units, kinds)))
    rows = exploded["row"].to_numpy()
    pairs = units.iloc[rows][["unit_id", "meeting_id", "kind", "organisation", "speaker", "meeting_date"]]
    return pairs.assign(row=rows, category=exploded["value"].to_numpy()).reset_index(drop=True)


def period_labels(dates: pd.Series, period: Period) -> pd.Series:
    """``YYYY-MM`` (``M``) or ``YYYYQn`` (``Q``) per ISO date; empty or malformed dates give :data:`UNKNOWN`."""
    if period not in ("M", "Q"):
        raise ValueError(f"period must be 'M' or 'Q', not {period!r}")
    uniques = pd.Series(pd.unique(dates.astype(str)), dtype=object)
    parsed = pd.to_datetime(uniques, format="ISO8601", errors="coerce")
    labels = parsed.dt.to_period(period).astype(str).where(parsed.notna(), UNKNOWN)
    return dates.astype(str).map(dict(zip(uniques, labels, strict=True))).astype(object)


def category_labels(taxonomy: Taxonomy, ids: Iterable[str]) -> list[str]:
    """The Korean label of each id; an id the taxonomy does not know labels itself."""
    known = {category.id: category.label for category in taxonomy.categories}
    return [known.get(category_id, category_id) for category_id in ids]


def category_order(taxonomy: Taxonomy, observed: Iterable[str]) -> list[str]:
    """Taxonomy categories in their order, then ids seen in the data that the taxonomy lacks, sorted."""
    known = list(taxonomy.category_ids)
    return known + sorted(set(observed) - set(known))


def stored_units(
    unit_rows: pd.DataFrame, labels: pd.DataFrame, phrases: pd.DataFrame, kinds: Sequence[str] | str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """What :func:`prepare_units`, :func:`category_pairs` and the key-phrase rows give, from stored label rows.

    *unit_rows* has one row per unit (``unit_id``, ``meeting_id``, ``kind``, the flags, the text columns and the
    stored ``text_key`` hash, no text), *labels* ``unit_id``/``category`` (further columns, such as the stored
    ``signature`` and ``quote_rank``, pass to the pairs) and *phrases* ``unit_id``/``phrase`` of the units of
    *kinds*. Returns the units, their pairs, the distinct ``(row, phrase)`` and how many units are of
    *kinds*.
    """
    size = len(unit_rows)
    frame = unit_rows.reset_index(drop=True)
    units = pd.DataFrame(
        {
            "unit_id": frame["unit_id"].astype("int64") if size else pd.Series(dtype="int64"),
            "meeting_id": frame["meeting_id"].astype("int64") if size else pd.Series(dtype="int64"),
            "kind": _clean(frame["kind"]) if size else np.asarray([], dtype=object),
            **{
                name: _clean(frame[name]) if name in frame.columns and size else np.asarray([""] * size, dtype=object)
                for name in TEXT_COLUMNS
            },
            **{name: frame[name].astype(bool) if size else pd.Series(dtype=bool) for name in FLAG_COLUMNS},
            "text_key": frame["text_key"].astype("int64") if size else pd.Series(dtype="int64"),
        }
    )
    index = pd.Index(units["unit_id"])
    label_rows = index.get_indexer(labels["unit_id"])
    order = np.lexsort((labels["category"].to_numpy(dtype=object).astype(str), label_rows))
    rows = label_rows[order]
    pairs = units.iloc[rows][["unit_id", "meeting_id", "kind", "organisation", "speaker", "meeting_date"]]
    extra = {name: labels[name].to_numpy()[order] for name in labels.columns if name not in ("unit_id", "category")}
    pairs = pairs.assign(row=rows, category=labels["category"].to_numpy(dtype=object)[order], **extra)
    pairs = pairs.reset_index(drop=True)
    phrase_rows = pd.DataFrame(
        {"row": index.get_indexer(phrases["unit_id"]), "value": phrases["phrase"].to_numpy(dtype=object)}
    )
    phrase_rows = phrase_rows.sort_values(["row", "value"], kind="stable").rename(columns={"value": "phrase"})
    return units, pairs, phrase_rows.reset_index(drop=True), int(kind_mask(units, kinds).sum())
