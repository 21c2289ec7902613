"""The phrase summary rows get a unique index on their whole key (a missing programme as 0), so that a write adds
its counts to the rows of the keys it changed in one upsert, instead of reading and rewriting its partition's
phrase rows whole (whose cost grew with every meeting of the partition).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ux_finding_phrases_key",
        "finding_phrases",
        [
            "agency_id",
            sa.func.coalesce(sa.column("programme_id"), sa.literal_column("0")),
            "date",
            "industry",
            "model_version",
            "region",
            "category",
            "phrase",
        ],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_finding_phrases_key", "finding_phrases")
