"""Organisation and industry counts on the summary rows (``organisation_counts``, ``industry_counts``), so a write
updates the rows it changes by difference instead of rebuilding its partition, and label rows indexed by meeting
alone (what a write reads for every model version). The summary rows are rebuilt by revision 0016, which runs the
live maintenance code once the columns it writes exist.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("finding_cells", "finding_signatures"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organisation_counts", sa.Text, nullable=False, server_default="[]"))
    with op.batch_alter_table("finding_cells") as batch:
        batch.add_column(sa.Column("industry_counts", sa.Text, nullable=False, server_default="[]"))
    for table in ("unit_tags", "unit_categories"):
        op.create_index(f"ix_{table}_meeting", table, ["meeting_id", "unit_id"])


def downgrade() -> None:
    for table in ("unit_tags", "unit_categories"):
        op.drop_index(f"ix_{table}_meeting", table)
    with op.batch_alter_table("finding_cells") as batch:
        batch.drop_column("industry_counts")
    for table in ("finding_signatures", "finding_cells"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("organisation_counts")
