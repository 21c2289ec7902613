"""The counting findings from summary rows (:func:`counting_findings`, arrays and records) equal the same findings
computed with pandas over the rows (the previous formulation, kept here as the reference) byte for byte: the same
JSON and the same key-phrase table, on random rows with ties, names differing only in spacing, missing values,
malformed dates, categories the taxonomy lacks and kinds beyond the default ones."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest

from analyzer.aggregate.bundle import json_ready, kind_counts, records
from analyzer.aggregate.cell_counts import Coded, group_codes, key_codes, organisation_counts, organisation_matrix
from analyzer.aggregate.issues import rank_breakdown, rank_top
from analyzer.aggregate.phrases import PHRASE_COLUMNS, rank_phrases
from analyzer.aggregate.summary import SCORE_DIGITS, SUMMARY_BREAKDOWNS, counting_findings
from analyzer.aggregate.trends import trend_table
from analyzer.aggregate.units import DEFAULT_KINDS, UNKNOWN, _clean, period_labels
from analyzer.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()


def _grouped(cells: pd.DataFrame, keys: list[str], meetings: str, score: str) -> pd.DataFrame:
    """Per group of *keys* (in order of first appearance): units, meetings, organisations, rounded score."""
    codes, firsts = group_codes(cells, keys)
    size = len(firsts)
    return pd.DataFrame(
        {
            **{key: cells[key].to_numpy(dtype=object)[firsts] for key in keys},
            "units": np.bincount(codes, cells["units"].to_numpy(dtype="int64"), size).astype("int64"),
            "meetings": np.bincount(codes, cells[meetings].to_numpy(dtype="int64"), size).astype("int64"),
            "organisations": organisation_counts(cells["organisations"].tolist(), codes),
            "score": np.round(np.bincount(codes, cells[score].to_numpy(dtype=float), size), SCORE_DIGITS),
        }
    )


def _reference(cells: pd.DataFrame, phrases: pd.DataFrame, region_filtered: bool, period: str) -> tuple[str, str]:
    """The counting findings with pandas groupbys (JSON) and the key-phrase table (JSON with its dtypes)."""
    meetings = "meetings_region" if region_filtered else "meetings_all"
    score = "score_region" if region_filtered else "score"
    cells = cells[cells["units"] > 0].reset_index(drop=True)
    cells = cells.assign(
        **{name: _clean(cells[name]) for name in ("agency", "programme", "region", "kind")},
        period=period_labels(cells["date"], period) if len(cells) else pd.Series(dtype=object),  # type: ignore[arg-type]
    )
    every = cells["category"] == ""
    units, pairs = cells[every], cells[~every]
    per_kind = pairs.pivot_table(index="category", columns="kind", values="units", aggfunc="sum", fill_value=0)
    top = rank_top(_grouped(pairs, ["category"], meetings, score), per_kind, TAXONOMY, DEFAULT_KINDS)
    breakdowns = {
        by: records(
            rank_breakdown(
                _grouped(
                    pairs.assign(value=pairs[by].replace("", UNKNOWN)),
                    ["value", "category"],
                    "meetings_region" if by == "region" else meetings,
                    score,
                ),
                TAXONOMY,
            )
        )
        for by in SUMMARY_BREAKDOWNS
    }
    dates = pd.to_datetime(pd.Series(units["date"].unique()), format="ISO8601", errors="coerce").dropna()
    totals = {
        "units": int(units["units"].sum()),
        "meetings": int(units[meetings].sum()),
        "organisations": int(organisation_counts(units["organisations"].tolist(), np.zeros(len(units), int))[0])
        if len(units)
        else 0,
        "needs_review": int(units["needs_review"].sum()),
        "corrected": int(units["corrected"].sum()),
        "kinds": kind_counts(units.groupby("kind", sort=False)["units"].sum()),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
    }
    dated = units[units["period"] != UNKNOWN]
    present = sorted(set(dated["period"]))
    trends = []
    if present:
        counts = pairs[pairs["period"].isin(present[-12:])].groupby(["category", "period"])["units"].sum()
        exposures = dated.groupby("period")[meetings].sum()
        trends = records(trend_table(counts[counts > 0], exposures, present, TAXONOMY, 5, 0.05))
    found = {
        "parameters": json_ready(
            {"kinds": DEFAULT_KINDS, "normalise": "meeting", "period": period, "exposure": "meetings", "alpha": 0.05}
        ),
        "totals": totals,
        "top": records(top),
        "breakdowns": breakdowns,
        "trends": trends,
    }
    totals_by_phrase = phrases[phrases["category"] == ""].groupby("phrase")["units"].sum()
    inside = phrases[phrases["category"] != ""]
    stats = inside.groupby(["category", "phrase"]).agg(units=("units", "sum"), meetings=(meetings, "sum"))
    stats = stats[stats["units"] >= 2].reset_index()
    if stats.empty:
        stats = pd.DataFrame({name: pd.Series(dtype=object) for name in ["category", *PHRASE_COLUMNS]})
    else:
        selected = int(units.loc[units["kind"].isin(DEFAULT_KINDS), "units"].sum())
        with np.errstate(divide="ignore", invalid="ignore"):  # random rows may count more pairs than units
            stats = rank_phrases(stats, pairs.groupby("category")["units"].sum(), totals_by_phrase, selected)
    return json.dumps(found, ensure_ascii=False), _table(stats)


def _table(stats: pd.DataFrame) -> str:
    return stats.to_json() + json.dumps([str(dtype) for dtype in stats.dtypes]) + str(stats.index)


def _rows(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random summary rows and phrase rows: few values so that groups, ties and merges happen."""
    rng = random.Random(seed)
    categories = [*list(TAXONOMY.category_ids)[:5], "unknown_id"]
    dates = ["2024-01-03", "2024-02-10", "2024-02-28", "2024-04-01", "2024-13-01", "", "2023-12-31"]
    cells = []
    for _ in range(rng.randrange(0, 120)):
        category = rng.choice(["", "", *categories])
        cells.append(
            {
                "agency": rng.choice(["기관 가", "기관  가", "기관나"]),
                "programme": rng.choice([None, "사업1", " 사업1 ", "사업2"]),
                "date": rng.choice(dates[: rng.randrange(1, len(dates) + 1)]),
                "region": rng.choice(["", "경북", "대구", UNKNOWN]),
                "category": category,
                "kind": rng.choice(["pain_point", "request", "positive", ""] if category == "" else DEFAULT_KINDS),
                "units": rng.choice([0, 1, 1, 2, 3, 7]),
                "needs_review": rng.randrange(3),
                "corrected": rng.randrange(2),
                "meetings_region": rng.randrange(3),
                "meetings_all": rng.randrange(3),
                "score": rng.choice([0.5, 1 / 3, 0.1, 0.2, 0.7]),
                "score_region": rng.choice([0.25, 1 / 7, 0.3]),
                "organisations": bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12))),
            }
        )
    phrases = [
        {
            "category": rng.choice(["", *categories]),
            "phrase": rng.choice(["인력 부족", "장비", "자금", "수출"]),
            "units": rng.randrange(1, 6),
            "meetings_region": rng.randrange(4),
            "meetings_all": rng.randrange(4),
        }
        for _ in range(rng.randrange(0, 30))
    ]
    return pd.DataFrame(cells), pd.DataFrame(phrases)


@pytest.mark.parametrize("seed", range(40))
def test_counting_findings_equal_the_pandas_formulation(seed: int) -> None:
    cells, phrases = _rows(seed)
    if cells.empty or phrases.empty:
        cells, phrases = _rows(seed + 1000)
    for region_filtered in (False, True):
        for period in ("M", "Q"):
            found, stats = counting_findings(cells, phrases, TAXONOMY, region_filtered=region_filtered, period=period)
            expected = _reference(cells, phrases, region_filtered, period)
            assert (json.dumps(found, ensure_ascii=False), _table(stats)) == expected


def test_codes_merge_names_that_clean_alike_and_number_groups_by_first_appearance() -> None:
    coded = Coded.of(pd.Series(["b", "a  x", "a x", None, "b"]), np.ones(5, dtype=bool))
    cleaned = coded.renamed(_clean(pd.Series(coded.names)))
    assert cleaned.values().tolist() == ["b", "a x", "a x", "", "b"]
    assert len(cleaned.names) == 3
    codes, firsts = key_codes([cleaned, np.asarray([1, 2, 2, 1, 3])], 5)
    assert codes.tolist() == [0, 1, 1, 2, 3] and firsts.tolist() == [0, 1, 3, 4]


def test_organisation_counts_are_the_sizes_of_the_unions() -> None:
    rng = random.Random(3)
    sets = [set(rng.sample(range(130), rng.randrange(0, 20))) for _ in range(60)]
    groups = np.asarray([rng.randrange(7) for _ in sets])
    bitsets = [
        bytes(sum(1 << (bit % 8) for bit in members if bit // 8 == byte) for byte in range(max(members) // 8 + 1))
        if members
        else b""
        for members in sets
    ]
    expected = [len(set().union(*(s for s, g in zip(sets, groups, strict=True) if g == k))) for k in range(7)]
    assert organisation_counts(bitsets, groups).tolist() == expected
    assert organisation_counts(organisation_matrix(bitsets), groups).tolist() == expected
    assert organisation_matrix(bitsets).shape[1] % 8 == 0
