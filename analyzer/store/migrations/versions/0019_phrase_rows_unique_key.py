"""The phrase summary rows get a unique index on their whole key (a missing programme as 0), so that a write adds
its counts to the rows of the keys it changed in one upsert, instead of reading and rewriting its partition's
phrase rows whole (whose cost grew with every meeting of the partition). Rows that share a key (no write makes
them; a database that has any has them merged, their counts summed) are merged first.

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


KEY = "model_version, agency_id, programme_id, date, region, industry, category, phrase"
SUMS = "SUM(units) AS units, SUM(meetings_region) AS meetings_region, SUM(meetings_all) AS meetings_all"


def upgrade() -> None:
    shared = f"SELECT 1 FROM finding_phrases GROUP BY {KEY} HAVING COUNT(*) > 1"  # GROUP BY takes NULLs as equal
    if op.get_bind().execute(sa.text(shared)).first() is not None:
        op.execute(f"CREATE TEMPORARY TABLE merged_phrases AS SELECT {KEY}, {SUMS} FROM finding_phrases GROUP BY {KEY}")
        op.execute("DELETE FROM finding_phrases")
        op.execute(
            f"INSERT INTO finding_phrases ({KEY}, units, meetings_region, meetings_all) SELECT * FROM merged_phrases"
        )
        op.execute("DROP TABLE merged_phrases")
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
