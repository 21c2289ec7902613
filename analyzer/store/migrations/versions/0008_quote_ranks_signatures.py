"""Quotes and recurring issues from stored values: each category row's ``quote_rank`` (first copies of a text
first, then one minus the model's probability of the category, 1 for a corrected label) and ``signature`` (the hash
of the unit's most specific key phrase, else its exact-duplicate key), indexed, and ``finding_signatures`` (units,
meetings and organisations per signature and partition); the category rows are backfilled here, the summary rows
by revision 0010.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from analyzer.textkeys import clean_labels, signature_of

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 5000

# Frozen views of the tables at this revision (a migration never imports live models).
_categories = sa.table(
    "unit_categories",
    sa.column("unit_id", sa.Integer),
    sa.column("model_version", sa.String),
    sa.column("category", sa.Text),
    sa.column("quote_rank", sa.Float),
    sa.column("signature", sa.BigInteger),
)
_units = sa.table("units", sa.column("id", sa.Integer), sa.column("keyphrases", sa.JSON), sa.column("text_key"))
_taggings = sa.table("taggings", sa.column("unit_id"), sa.column("model_version"), sa.column("probabilities", sa.JSON))
_tags = sa.table("unit_tags", sa.column("unit_id"), sa.column("model_version"), sa.column("corrected", sa.Boolean))


def _backfill(conn: sa.Connection) -> None:
    """``quote_rank`` and ``signature`` of every category row, as :mod:`analyzer.store.labels` computes them."""
    copy = sa.func.row_number().over(
        partition_by=(_categories.c.model_version, _categories.c.category, _units.c.text_key),
        order_by=_categories.c.unit_id,
    )
    query = (
        sa.select(
            _categories.c.unit_id,
            _categories.c.model_version,
            _categories.c.category,
            _taggings.c.probabilities,
            _tags.c.corrected,
            _units.c.keyphrases,
            _units.c.text_key,
            copy - 1,
        )
        .join(_units, _units.c.id == _categories.c.unit_id)
        .join(
            _taggings,
            sa.and_(
                _taggings.c.unit_id == _categories.c.unit_id, _taggings.c.model_version == _categories.c.model_version
            ),
        )
        .join(
            _tags,
            sa.and_(_tags.c.unit_id == _categories.c.unit_id, _tags.c.model_version == _categories.c.model_version),
        )
    )
    update = (
        sa.update(_categories)
        .where(
            _categories.c.unit_id == sa.bindparam("b_unit"),
            _categories.c.model_version == sa.bindparam("b_version"),
            _categories.c.category == sa.bindparam("b_category"),
        )
        .values(quote_rank=sa.bindparam("b_rank"), signature=sa.bindparam("b_signature"))
    )
    rows = conn.execute(query).all()
    for start in range(0, len(rows), BATCH):
        values: list[dict[str, Any]] = []
        for unit_id, version, category, probabilities, corrected, phrases, key, ordinal in rows[start : start + BATCH]:
            probability = 1.0 if corrected else float((probabilities or {}).get(category, 0.0))
            values.append(
                {
                    "b_unit": unit_id,
                    "b_version": version,
                    "b_category": category,
                    "b_rank": (ordinal if key else 0) + 1.0 - min(max(probability, 0.0), 1.0),
                    "b_signature": signature_of(clean_labels(phrases), key or 0),
                }
            )
        conn.execute(update, values)


def upgrade() -> None:
    with op.batch_alter_table("unit_categories") as batch:
        batch.add_column(sa.Column("quote_rank", sa.Float, nullable=False, server_default="1.0"))
        batch.add_column(sa.Column("signature", sa.BigInteger, nullable=False, server_default="0"))
    op.create_index("ix_units_text_key", "units", ["text_key"])
    op.create_index("ix_unit_categories_quote", "unit_categories", ["model_version", "category", "quote_rank", "draw"])
    op.create_index(
        "ix_unit_categories_signature", "unit_categories", ["model_version", "category", "signature", "quote_rank"]
    )
    op.create_table(
        "finding_signatures",
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.Integer, nullable=True),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("signature", sa.BigInteger, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in ("units", "meetings_region", "meetings_all")),
        sa.Column("organisations", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_finding_signatures_partition", "finding_signatures", ["agency_id", "programme_id", "date"])
    op.create_index("ix_finding_signatures_model", "finding_signatures", ["model_version", "agency_id"])
    _backfill(op.get_bind())  # the summary rows are rebuilt by revision 0010 (the live code writes its columns)


def downgrade() -> None:
    op.drop_index("ix_finding_signatures_model", "finding_signatures")
    op.drop_index("ix_finding_signatures_partition", "finding_signatures")
    op.drop_table("finding_signatures")
    op.drop_index("ix_unit_categories_signature", "unit_categories")
    op.drop_index("ix_unit_categories_quote", "unit_categories")
    op.drop_index("ix_units_text_key", "units")
    with op.batch_alter_table("unit_categories") as batch:
        batch.drop_column("signature")
        batch.drop_column("quote_rank")
