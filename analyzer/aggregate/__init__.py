"""Findings for leadership from tagged units: top issues, breakdowns, trends, quotes, key phrases, recurrences.

Every function is pure: a DataFrame of tagged units (effective labels, corrections applied) in, a DataFrame (or,
for :func:`findings`, JSON-ready plain Python) out. The input needs ``unit_id``, ``meeting_id``, ``text``,
``categories`` and ``kind``; the other columns (meeting title and date, agency, programme, region, industry,
organisation, speaker, needs_review, keyphrases, corrected) default to empty when absent.

Modules: ``units`` (input checks, (unit, category) pairs, periods), ``issues`` (top issues, breakdowns and their
normalisation), ``trends`` (exact Poisson rate test), ``quotes``, ``phrases``, ``recurring``, ``similarity`` and
``vectorise`` (char n-gram TF-IDF, sparse neighbours) and ``bundle`` (:func:`findings`, JSON conversion).

Cost on 100 000 units (2-core machine): each table function well under a second; :func:`findings` about two
seconds, of which recurring issues take half. The text passes are capped so they stay bounded: quotes vectorise
at most ``max_candidates`` texts per category, recurring issues cluster at most ``max_units`` per category (a
seeded draw weighted by how often a text repeats; exact repeats always count in full).
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
