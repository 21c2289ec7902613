"""What meetings contribute to the findings' summary rows (:mod:`analyzer.store.summary_tables`).

A *partition* is the meetings of one (agency, programme, meeting date). For meetings of one partition,
:func:`contribution` computes from their label rows, per model version and (effective) region, over every unit
(industry ``''``) and over the units of each (effective) industry, as if they were every unit (an industry filter
then reads its own rows, as a filter on the other columns reads a subset of the rows over every unit):

* ``finding_cells`` per (category, kind) of the summary kinds (pain points and requests): units, the score
  contributions under meeting normalisation (weights ``1 / pairs of the meeting``, and ``1 / pairs of the meeting in
  this region`` for a region filter), and meeting counts arranged so that sums stay distinct counts
  (``meetings_region``: a meeting counts once per region and category, in its first kind; ``meetings_all``: once
  per category, in its first region and kind); per kind of every unit (``category = ''``): units, needs review,
  corrected, the same meeting counts and the distinct effective industries;
* ``finding_phrases`` the same per (category, phrase), ``''`` being every unit of the summary kinds;
* ``finding_signatures`` per recurring-issue signature.

Organisations are bitsets over ``organisation_keys`` (a union of rows is an OR, so distinct counts stay exact).
Every number is a sum over meetings (weights and first-flags depend on their own meeting alone), and organisations
and industries are also kept as counts (``organisation_counts``, ``industry_counts``: how many of the row's units
carry each), so a partition's rows are the sum of its meetings' contributions: a write subtracts what its meetings
contributed before it and adds what they contribute after (:mod:`analyzer.store.summaries`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from analyzer.store.cells import SUMMARY_KINDS, Partition, bitset, chunks, encode_counts, organisation_ids
from analyzer.store.tables import (
    effective_region,
    meetings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)


def _read(conn: Connection, ids: list[int]) -> tuple[list[Any], list[Any], list[Any]]:
    """The label rows of the meetings *ids*: units (per model version, with their effective region and industry),
    category rows of the summary kinds, key-phrase rows."""
    tagged: list[Any] = []
    labels: list[Any] = []
    phrases: list[Any] = []
    for batch in chunks(ids):
        tagged += conn.execute(
            select(
                unit_tags.c.unit_id,
                unit_tags.c.model_version,
                unit_tags.c.meeting_id,
                unit_tags.c.kind,
                unit_tags.c.needs_review,
                unit_tags.c.corrected,
                units.c.organisation,
                effective_region(),
                unit_tags.c.industry,
            )
            .join(units, units.c.id == unit_tags.c.unit_id)
            .join(meetings, meetings.c.id == unit_tags.c.meeting_id)
            .where(unit_tags.c.meeting_id.in_(batch))
        ).all()
        labels += conn.execute(
            select(
                unit_categories.c.unit_id,
                unit_categories.c.model_version,
                unit_categories.c.category,
                unit_categories.c.signature,
            ).where(unit_categories.c.meeting_id.in_(batch), unit_categories.c.kind.in_(SUMMARY_KINDS))
        ).all()
        phrases += conn.execute(
            select(unit_phrases.c.unit_id, unit_phrases.c.phrase).where(unit_phrases.c.meeting_id.in_(batch))
        ).all()
    return tagged, labels, phrases


@dataclass
class _Row:
    """One summary row being summed: units, the other sums, the meetings seen, organisation and industry counts."""

    units: int = 0
    sums: Counter[str] = field(default_factory=Counter)
    meetings: set[int] = field(default_factory=set)
    organisations: Counter[int] = field(default_factory=Counter)
    industries: Counter[str] = field(default_factory=Counter)

    def add(self, meeting: int, organisation: int, **sums: float) -> None:
        self.units += 1
        self.meetings.add(meeting)
        if organisation > 0:
            self.organisations[organisation] += 1
        if sums:
            self.sums.update(sums)

    def record(self, names: dict[str, Any], *, with_industries: bool = True) -> dict[str, Any]:
        found = {**names, "units": self.units, "organisations": bitset(np.asarray(sorted(self.organisations)))}
        found["organisation_counts"] = encode_counts(self.organisations)
        if with_industries:
            found["industries"] = "\n".join(sorted(self.industries))
            found["industry_counts"] = encode_counts(self.industries)
        return found


def _first(seen: dict[Any, Any], group: Any, order: Any) -> None:
    """Keep in *seen* the smallest *order* of each *group* (where a group's meeting is counted once)."""
    if group not in seen or order < seen[group]:
        seen[group] = order


Contribution = dict[str, list[dict[str, Any]]]


def contribution(conn: Connection, partition: Partition, ids: list[int]) -> Contribution:
    """The summary rows that the meetings *ids* (all of *partition*) contribute, per table name (``cells``,
    ``phrases``, ``signatures``), as records of the tables' columns: the rows over every unit (``industry`` ``''``)
    and, per effective industry, the rows over that industry's units alone."""
    tagged, labels, phrases = _read(conn, ids) if ids else ([], [], [])
    organisations = organisation_ids(conn, (" ".join(str(row[6] or "").split()) for row in tagged))
    where = {"agency_id": partition[0], "programme_id": partition[1], "date": partition[2]}
    found = _slice(tagged, labels, phrases, organisations, {**where, "industry": ""})
    industry_of = {row[0]: str(row[8] or "") for row in tagged}
    named = set(industry_of.values())
    if len(named) == 1 and "" not in named:  # every unit in one industry: its rows are those over every unit
        (industry,) = named
        return {name: [*rows, *({**row, "industry": industry} for row in rows)] for name, rows in found.items()}
    parts: dict[str, tuple[list[Any], list[Any], list[Any]]] = defaultdict(lambda: ([], [], []))
    for at, rows in enumerate((tagged, labels, phrases)):
        for row in rows:
            parts[industry_of.get(row[0], "")][at].append(row)
    for industry in sorted(named - {""}):
        for name, rows in _slice(*parts[industry], organisations, {**where, "industry": industry}).items():
            found[name] += rows
    return found


def _slice(
    tagged: list[Any], labels: list[Any], phrases: list[Any], organisations: dict[str, int], where: dict[str, Any]
) -> Contribution:
    """The summary rows of the units *tagged* (with their *labels* and *phrases*), each with the columns *where*."""
    # (unit, version) -> (meeting, kind, organisation id, region)
    unit_of: dict[tuple[int, str], tuple[int, str, int, str]] = {}
    totals: dict[tuple[str, str, str], _Row] = defaultdict(_Row)
    first_region: dict[tuple[Any, ...], str] = {}
    first_all: dict[tuple[Any, ...], tuple[str, str]] = {}
    for unit_id, version, meeting, kind, review, corrected, name, region, industry in tagged:
        organisation = organisations.get(" ".join(str(name or "").split()), 0)
        unit_of[(unit_id, version)] = (meeting, kind, organisation, region)
        row = totals[(version, region, kind)]
        row.add(meeting, organisation, needs_review=int(bool(review)), corrected=int(bool(corrected)))
        if industry:
            row.industries[str(industry)] += 1
        _first(first_region, (version, meeting, region), kind)
        _first(first_all, (version, meeting), (region, kind))
    for (version, _, region), kind in first_region.items():
        totals[(version, region, kind)].sums["meetings_region"] += 1
    for (version, _), (region, kind) in first_all.items():
        totals[(version, region, kind)].sums["meetings_all"] += 1
    cells = [
        row.record({**where, "model_version": v, "region": r, "category": "", "kind": k, **row.sums})
        for (v, r, k), row in totals.items()
    ]
    pairs = [
        (unit_id, v, category, signature, *unit_of[(unit_id, v)])
        for unit_id, v, category, signature in labels
        if (unit_id, v) in unit_of
    ]
    cells += _category_rows(pairs, where)
    return {
        "cells": [_cell_defaults(record) for record in cells],
        "phrases": _phrase_rows(unit_of, pairs, phrases, where),
        "signatures": _signature_rows(pairs, where),
    }


def _cell_defaults(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "needs_review": 0,
        "corrected": 0,
        "meetings_region": 0,
        "meetings_all": 0,
        "score": 0.0,
        "score_region": 0.0,
        "industries": "",
        "industry_counts": "[]",
        **record,
    }


def _category_rows(pairs: list[tuple[Any, ...]], where: dict[str, Any]) -> list[dict[str, Any]]:
    """Cells per (version, region, category, kind) of the (unit, category) *pairs*: meeting-normalised scores."""
    per_meeting = Counter((v, meeting) for _, v, _, _, meeting, _, _, _ in pairs)
    per_region = Counter((v, meeting, region) for _, v, _, _, meeting, _, _, region in pairs)
    rows: dict[tuple[str, str, str, str], _Row] = defaultdict(_Row)
    first_region: dict[tuple[Any, ...], str] = {}
    first_all: dict[tuple[Any, ...], tuple[str, str]] = {}
    for _, v, category, _, meeting, kind, organisation, region in pairs:
        rows[(v, region, category, kind)].add(
            meeting,
            organisation,
            score=1.0 / per_meeting[(v, meeting)],
            score_region=1.0 / per_region[(v, meeting, region)],
        )
        _first(first_region, (v, meeting, region, category), kind)
        _first(first_all, (v, meeting, category), (region, kind))
    for (v, _, region, category), kind in first_region.items():
        rows[(v, region, category, kind)].sums["meetings_region"] += 1
    for (v, _, category), (region, kind) in first_all.items():
        rows[(v, region, category, kind)].sums["meetings_all"] += 1
    return [
        row.record(
            {**where, "model_version": v, "region": r, "category": c, "kind": k, **row.sums}, with_industries=False
        )
        for (v, r, c, k), row in rows.items()
    ]


def _phrase_rows(
    unit_of: dict[tuple[int, str], tuple[int, str, int, str]],
    pairs: list[tuple[Any, ...]],
    phrases: list[Any],
    where: dict[str, Any],
) -> list[dict[str, Any]]:
    """Phrase rows per (version, category or ``''``, phrase, region) of the units of the summary kinds."""
    versions: dict[int, list[str]] = defaultdict(list)
    for unit_id, v in unit_of:
        versions[unit_id].append(v)
    categories: dict[tuple[int, str], list[str]] = defaultdict(list)
    for unit_id, v, category, *_ in pairs:
        categories[(unit_id, v)].append(category)
    units: Counter[tuple[str, str, str, str]] = Counter()  # no organisations or sums: counts and sets alone
    meetings: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    first_all: dict[tuple[Any, ...], str] = {}
    for unit_id, phrase in phrases:
        for v in versions.get(unit_id, ()):
            meeting, kind, _, region = unit_of[(unit_id, v)]
            if kind not in SUMMARY_KINDS:
                continue
            for category in ("", *categories.get((unit_id, v), ())):
                units[(v, category, phrase, region)] += 1
                meetings[(v, category, phrase, region)].add(meeting)
                _first(first_all, (v, category, phrase, meeting), region)
    meetings_all = Counter((v, category, phrase, region) for (v, category, phrase, _), region in first_all.items())
    return [
        {
            **where,
            "model_version": v,
            "category": c,
            "phrase": p,
            "region": r,
            "units": count,
            "meetings_region": len(meetings[(v, c, p, r)]),
            "meetings_all": meetings_all[(v, c, p, r)],
        }
        for (v, c, p, r), count in units.items()
    ]


def _signature_rows(pairs: list[tuple[Any, ...]], where: dict[str, Any]) -> list[dict[str, Any]]:
    """``finding_signatures``: units, meetings (as the phrase rows count them) and organisations per signature."""
    rows: dict[tuple[str, str, int, str], _Row] = defaultdict(_Row)
    first_all: dict[tuple[Any, ...], str] = {}
    for _, v, category, signature, meeting, _, organisation, region in pairs:
        if signature:
            rows[(v, category, signature, region)].add(meeting, organisation)
            _first(first_all, (v, category, signature, meeting), region)
    for (v, category, signature, _), region in first_all.items():
        rows[(v, category, signature, region)].sums["meetings_all"] += 1
    return [
        row.record(
            {
                **where,
                "model_version": v,
                "category": c,
                "signature": g,
                "region": r,
                "meetings_region": len(row.meetings),
                "meetings_all": row.sums["meetings_all"],
            },
            with_industries=False,
        )
        for (v, c, g, r), row in rows.items()
    ]
