"""The cell and signature summary rows get a unique index on their whole key too (a missing programme as 0), so that
a write reads and replaces the rows of the keys it changed through it, instead of reading and rewriting its
partition's rows whole (revision 0019 did the same for the phrase rows). Rows that share a key (no write makes
them) are recomputed first, with the live maintenance code, as revision 0016 did.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

LAST = {"finding_cells": "kind", "finding_signatures": "signature"}


def upgrade() -> None:
    for table, last in LAST.items():
        key = f"model_version, agency_id, programme_id, date, region, industry, category, {last}"
        shared = f"SELECT 1 FROM {table} GROUP BY {key} HAVING COUNT(*) > 1"  # GROUP BY takes NULLs as equal
        if op.get_bind().execute(sa.text(shared)).first() is not None:
            from analyzer.store.summaries import rebuild_all  # the live maintenance code, run once over existing data

            rebuild_all(op.get_bind(), logged=False)
            break
    for table, last in LAST.items():
        op.create_index(
            f"ux_{table}_key",
            table,
            [
                "agency_id",
                sa.func.coalesce(sa.column("programme_id"), sa.literal_column("0")),
                "date",
                "industry",
                "model_version",
                "region",
                "category",
                last,
            ],
            unique=True,
        )


def downgrade() -> None:
    for table in LAST:
        op.drop_index(f"ux_{table}_key", table)
