"""The partitions each write changed (``summary_changes``), by data version: a process holding every summary row
re-reads the changed partitions after a write instead of every row.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summary_changes",
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.String(10), nullable=True),
    )
    op.create_index("ix_summary_changes_version", "summary_changes", ["version"])


def downgrade() -> None:
    op.drop_index("ix_summary_changes_version", "summary_changes")
    op.drop_table("summary_changes")
