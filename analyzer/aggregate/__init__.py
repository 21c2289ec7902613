"""Findings for leadership from tagged units: top issues, breakdowns, trends, quotes, key phrases, recurrences.

Every function is pure: a DataFrame of tagged units (effective labels, corrections applied) in, a DataFrame (or,
for :func:`findings`, JSON-ready plain Python) out. The input needs ``unit_id``, ``meeting_id``, ``text``,
``categories`` and ``kind``; the other columns (meeting title and date, agency, programme, region, industry,
organisation, speaker, needs_review, keyphrases, corrected) default to empty when absent.
"""

from analyzer.aggregate.bundle import findings, json_ready
from analyzer.aggregate.issues import DIMENSIONS, breakdown, top_issues
from analyzer.aggregate.phrases import key_phrases
from analyzer.aggregate.quotes import representative_quotes
from analyzer.aggregate.recurring import recurring_issues
from analyzer.aggregate.trends import trends
from analyzer.aggregate.units import UNKNOWN, prepare_units

__all__ = [
    "DIMENSIONS",
    "UNKNOWN",
    "breakdown",
    "findings",
    "json_ready",
    "key_phrases",
    "prepare_units",
    "recurring_issues",
    "representative_quotes",
    "top_issues",
    "trends",
]
