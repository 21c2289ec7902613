"""Summary rows as plain arrays, grouped with NumPy: the sums behind the counting findings without frame overhead.

A findings call reads a few thousand summary rows (:mod:`analyzer.store.cells`); with so few rows a pandas
operation costs far more than its data, so the rows are held as arrays (:class:`CellRows`), groups are numbered by
factorised keys and summed with :func:`numpy.bincount` in row order (the same float sums as the frame path), and
organisations are counted as the popcount of each group's OR of bitsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.aggregate.bundle import JsonValue, kind_counts
from analyzer.aggregate.units import UNKNOWN, Period, _clean

SCORE_DIGITS = 12
CLEANED = ("agency", "programme", "region", "kind")
COUNT_COLUMNS = ("units", "needs_review", "corrected", "meetings_region", "meetings_all")
SCORE_COLUMNS = ("score", "score_region")


def organisation_matrix(bitsets: Sequence[bytes]) -> np.ndarray:
    """The *bitsets* padded to one width (a multiple of 8 bytes, so rows can be ORed as words), one row each."""
    width = -(-max(map(len, bitsets), default=0) // 8) * 8 or 8
    padded = b"".join([bytes(bits).ljust(width, b"\0") for bits in bitsets])
    return np.frombuffer(padded, dtype=np.uint8).reshape(len(bitsets), width)


def organisation_counts(bitsets: Sequence[bytes] | np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Distinct organisations per group: the popcount of the OR of each group's *bitsets* (or their
    :func:`organisation_matrix`; *groups* numbers each row's group 0..n-1)."""
    size = int(groups.max()) + 1 if len(groups) else 0
    matrix = bitsets if isinstance(bitsets, np.ndarray) else organisation_matrix(bitsets)
    order = np.argsort(groups, kind="stable")
    rows = np.ascontiguousarray(matrix[order])
    words = rows.view(np.uint64) if rows.shape[1] % 8 == 0 else rows
    starts = np.flatnonzero(np.r_[True, np.diff(groups[order]) != 0]) if len(order) else order
    merged = np.bitwise_or.reduceat(words, starts, axis=0) if len(order) else words[:0]
    counts = np.zeros(size, dtype="int64")
    counts[groups[order][starts]] = np.bitwise_count(merged).sum(axis=1)
    return counts


def key_codes(columns: Sequence[np.ndarray | Coded], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each of *size* rows' group of equal values across *columns* (arrays of values, or :class:`Coded`), groups
    numbered in order of first appearance (as a sort-free groupby numbers them), and each group's first row."""
    combined = np.zeros(size, dtype=np.int64)
    for column in columns:
        part, seen = (column.codes, column.names) if isinstance(column, Coded) else pd.factorize(column)
        combined = combined * (len(seen) + 1) + part
    codes, _ = pd.factorize(combined)
    return codes, np.unique(codes, return_index=True)[1]


def group_codes(rows: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`key_codes` of the columns *keys* of *rows*."""
    return key_codes([rows[key].to_numpy(dtype=object) for key in keys], len(rows))


def sums_by(keys: Sequence[np.ndarray], weights: np.ndarray) -> dict[tuple[object, ...], int]:
    """The sum of the integer *weights* per distinct tuple of *keys* (one array per key, one value per row)."""
    codes, firsts = key_codes(keys, len(weights))
    sums = np.bincount(codes, weights, len(firsts)).astype("int64").tolist()
    return dict(zip(zip(*(key[firsts].tolist() for key in keys), strict=True), sums, strict=True))


@dataclass(frozen=True)
class Coded:
    """A text column as each row's code into its distinct values *names* (factorised once per call)."""

    codes: np.ndarray
    names: np.ndarray

    @classmethod
    def of(cls, values: pd.Series, keep: np.ndarray) -> Coded:
        """The codes of the *values* where *keep* holds (missing values are a name of their own)."""
        codes, names = pd.factorize(values, use_na_sentinel=False)
        return cls(codes[keep], np.asarray(names, dtype=object))

    def renamed(self, names: np.ndarray) -> Coded:
        """The same rows under new *names* (one per old name), equal new names merged into one code."""
        index: dict[object, int] = {}
        remap = np.asarray([index.setdefault(name, len(index)) for name in names.tolist()], dtype=np.intp)
        return Coded(remap[self.codes], np.asarray(list(index), dtype=object))

    def take(self, mask: np.ndarray) -> Coded:
        """The rows where *mask* holds."""
        return Coded(self.codes[mask], self.names)

    def values(self) -> np.ndarray:
        """Each row's value."""
        return self.names[self.codes]


@dataclass(frozen=True)
class CellRows:
    """Summary rows with units: text columns :class:`Coded` (``category``, ``date``, the cleaned dimensions and
    ``period``), the counts and scores as numbers, organisations as one padded bitset matrix."""

    texts: dict[str, Coded]
    numbers: dict[str, np.ndarray]
    bits: np.ndarray
    parsed: pd.DatetimeIndex  # per distinct date (``texts["date"].names``), NaT where unusable

    def __len__(self) -> int:
        return len(self.bits)

    def take(self, mask: np.ndarray) -> CellRows:
        """The rows where *mask* holds, in order."""
        return CellRows(
            {name: values.take(mask) for name, values in self.texts.items()},
            {name: values[mask] for name, values in self.numbers.items()},
            self.bits[mask],
            self.parsed,
        )


def cell_rows(cells: pd.DataFrame, period: Period) -> CellRows:
    """The summary rows with units, dimension values cleaned as the unit frame's and the meeting date's period."""
    keep = cells["units"].to_numpy() > 0
    texts = {name: Coded.of(cells[name], keep) for name in ("category", "date", *CLEANED)}
    texts.update({name: texts[name].renamed(_clean(pd.Series(texts[name].names))) for name in CLEANED})
    parsed, labels = _date_periods(texts["date"].names, period)
    texts["period"] = texts["date"].renamed(labels)
    numbers = {
        **{name: cells[name].to_numpy(dtype="int64")[keep] for name in COUNT_COLUMNS},
        **{name: cells[name].to_numpy(dtype=float)[keep] for name in SCORE_COLUMNS},
    }
    bits = organisation_matrix(cells["organisations"].to_numpy(dtype=object)[keep].tolist())
    return CellRows(texts, numbers, bits, parsed)


def _date_periods(dates: np.ndarray, period: Period) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The distinct *dates* parsed (NaT when empty or malformed) and their :func:`period_labels`."""
    if period not in ("M", "Q"):
        raise ValueError(f"period must be 'M' or 'Q', not {period!r}")
    parsed = pd.DatetimeIndex(pd.to_datetime(dates.astype(str), format="ISO8601", errors="coerce"))
    labels = np.asarray(parsed.to_period(period).astype(str), dtype=object)
    return parsed, np.where(parsed.isna(), UNKNOWN, labels)


@dataclass(frozen=True)
class GroupSums:
    """Per group: its first row, units, meetings, distinct organisations and score (rounded)."""

    firsts: np.ndarray
    units: np.ndarray
    meetings: np.ndarray
    organisations: np.ndarray
    score: np.ndarray


def group_sums(rows: CellRows, codes: np.ndarray, firsts: np.ndarray, meetings: str, score: str) -> GroupSums:
    """Units, meetings (column *meetings*), organisations and score (column *score*) per group of *codes*."""
    size = len(firsts)
    return GroupSums(
        firsts,
        np.bincount(codes, rows.numbers["units"], size).astype("int64"),
        np.bincount(codes, rows.numbers[meetings], size).astype("int64"),
        organisation_counts(rows.bits, codes),
        # rounded: sums of partial sums differ from one sum in the last bits, which must not reorder ties
        np.round(np.bincount(codes, rows.numbers[score], size), SCORE_DIGITS),
    )


def totals_of_cells(units: CellRows, meetings: str) -> dict[str, JsonValue]:
    """:func:`~analyzer.aggregate.bundle.totals_of` from the every-unit rows (``category == ''``)."""
    dates = units.parsed[np.unique(units.texts["date"].codes)].dropna()
    kinds = units.texts["kind"]
    per_kind = np.bincount(kinds.codes, units.numbers["units"], len(kinds.names)).astype("int64")
    merged = np.bitwise_or.reduce(units.bits.view(np.uint64), axis=0) if len(units) else None
    return {
        "units": int(units.numbers["units"].sum()),
        "meetings": int(units.numbers[meetings].sum()),
        "organisations": int(np.bitwise_count(merged).sum()) if merged is not None else 0,
        "needs_review": int(units.numbers["needs_review"].sum()),
        "corrected": int(units.numbers["corrected"].sum()),
        "kinds": kind_counts(pd.Series(per_kind, kinds.names)[per_kind > 0]),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
    }
