"""From an :class:`~analyzer.analyze.Analysis` to plain rows for :func:`analyzer.store.jobs.complete`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analyzer.records import Meeting, Unit

#: Keys of ``Unit.meta`` that have columns of their own.
_META_COLUMNS = ("region", "industry")


def unit_rows(units: Sequence[Unit], keyphrases: Sequence[Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """One row per (already masked) unit; ``keyphrases[i]`` belongs to ``units[i]``."""
    phrases = keyphrases if keyphrases is not None else [[] for _ in units]
    if len(phrases) != len(units):
        raise ValueError(f"{len(units)} units but {len(phrases)} key-phrase lists")
    rows = []
    for unit, found in zip(units, phrases, strict=True):
        meta = {str(key): str(value) for key, value in unit.meta.items()}
        rows.append(
            {
                "seq": unit.seq,
                "unit_kind": unit.unit_kind,
                "text": unit.text,
                "start": unit.start,
                "end_offset": unit.end,
                "turn": unit.turn,
                "speaker": unit.speaker,
                "title": unit.title,
                "organisation": unit.organisation,
                **{name: meta.pop(name, "") for name in _META_COLUMNS},
                "keyphrases": [str(phrase) for phrase in found],
                "meta": meta,
            }
        )
    return rows


def tagging_rows(tags: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One JSON-ready row per unit's tags (numpy scalars, where a caller has them, become Python ones)."""
    return [
        {
            "categories": [str(category) for category in row["categories"]],
            "probabilities": {str(key): float(value) for key, value in row["probabilities"].items()},
            "kind": str(row["kind"]),
            "kind_confidence": float(row["kind_confidence"]),
            "needs_review": bool(row["needs_review"]),
            "margin": float(row["margin"]),
            "taxonomy": str(row["taxonomy"]),
        }
        for row in tags
    ]


def meeting_updates(meeting: Meeting) -> dict[str, str]:
    """What the document itself says about its meeting (the header of minutes, or that it is a survey)."""
    return {
        "title": meeting.title,
        "date": meeting.date,
        "place": meeting.place,
        "region": meeting.region,
        "kind": meeting.kind,
    }
