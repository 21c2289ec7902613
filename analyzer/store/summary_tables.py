"""Summary rows of the findings, on the one metadata of :mod:`analyzer.store.tables`.

Kept by :mod:`analyzer.store.summaries` in the transactions that write label rows. ``finding_cells`` and
``finding_phrases`` count the units per (model version, agency, programme, meeting date, region, industry, category,
kind or phrase), ``finding_signatures`` per recurring-issue signature (``unit_categories.signature``). The industry
``''`` marks the rows over every unit, any other industry the rows over its units alone
(:mod:`analyzer.store.contribution`): a process holds the former and reads an industry's rows when a filter asks for
them. Organisations are bitsets over ``organisation_keys`` (and, with industries, also counts per key, so that a
write can subtract what it changes). The findings read thousands of rows, not a million.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Float,
    FromClause,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    func,
    literal_column,
    text,
)

from analyzer.store.tables import metadata


def _summary_key() -> list[Column[Any]]:
    """The leading key columns of the summary tables: model version, partition, region, industry, category."""
    return [
        Column("model_version", String(100), nullable=False),
        Column("agency_id", Integer, nullable=False),
        Column("programme_id", Integer, nullable=True),
        Column("date", String(10), nullable=False),
        Column("region", Text, nullable=False),
        Column("industry", Text, nullable=False, server_default=text("''")),
        Column("category", Text, nullable=False),
    ]


finding_cells = Table(
    "finding_cells",
    metadata,
    *_summary_key(),
    Column("kind", String(32), nullable=False),
    Column("units", Integer, nullable=False),
    Column("needs_review", Integer, nullable=False),
    Column("corrected", Integer, nullable=False),
    Column("meetings_region", Integer, nullable=False),
    Column("meetings_all", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("score_region", Float, nullable=False),
    Column("organisations", LargeBinary, nullable=False),
    Column("industries", Text, nullable=False),
    Column("organisation_counts", Text, nullable=False),
    Column("industry_counts", Text, nullable=False),
    Index("ix_finding_cells_partition", "agency_id", "programme_id", "date"),
    Index("ix_finding_cells_model", "model_version", "industry", "agency_id"),
)

finding_phrases = Table(
    "finding_phrases",
    metadata,
    *_summary_key(),
    Column("phrase", Text, nullable=False),
    Column("units", Integer, nullable=False),
    Column("meetings_region", Integer, nullable=False),
    Column("meetings_all", Integer, nullable=False),
    Index("ix_finding_phrases_partition", "agency_id", "programme_id", "date"),
    Index("ix_finding_phrases_model", "model_version", "industry", "agency_id"),
)

finding_signatures = Table(
    "finding_signatures",
    metadata,
    *_summary_key(),
    Column("signature", BigInteger, nullable=False),
    Column("units", Integer, nullable=False),
    Column("meetings_region", Integer, nullable=False),
    Column("meetings_all", Integer, nullable=False),
    Column("organisations", LargeBinary, nullable=False),
    Column("organisation_counts", Text, nullable=False),
    Index("ix_finding_signatures_partition", "agency_id", "programme_id", "date"),
    Index("ix_finding_signatures_model", "model_version", "industry", "agency_id"),
)


def summary_key(table: FromClause) -> list[ColumnElement[Any]]:
    """The key of a summary row, as its table's unique index holds it (a missing programme as 0: NULLs are distinct
    in a unique index): the partition, the industry, model version, region and category, then the kind, phrase or
    signature. A write reads, adds to and replaces the rows of the keys it changed through this index."""
    last = next(name for name in ("kind", "phrase", "signature") if name in table.c)
    return [
        table.c.agency_id,
        func.coalesce(table.c.programme_id, literal_column("0")),
        table.c.date,
        table.c.industry,
        table.c.model_version,
        table.c.region,
        table.c.category,
        table.c[last],
    ]


#: Each summary table's unique index on its key.
UNIQUE_INDEXES = tuple(
    Index(f"ux_{table.name}_key", *summary_key(table), unique=True)
    for table in (finding_cells, finding_phrases, finding_signatures)
)

#: The partitions whose summary rows each write changed, by data version, so that a process holding every summary
#: row (:mod:`analyzer.store.summary_read`) re-reads those partitions only. A row without an agency stands for every
#: partition (a rebuild).
summary_changes = Table(
    "summary_changes",
    metadata,
    Column("version", BigInteger, nullable=False),
    Column("agency_id", Integer, nullable=True),
    Column("programme_id", Integer, nullable=True),
    Column("date", String(10), nullable=True),
    Index("ix_summary_changes_version", "version"),
)

organisation_keys = Table(
    "organisation_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
)
