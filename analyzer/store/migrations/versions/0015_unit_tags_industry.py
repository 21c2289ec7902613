"""The units' tag rows carry their effective industry (the unit's, else its meeting's), indexed by model version: the
findings under an industry filter (a per-unit value the summary rows do not carry) read the passing units' label
rows through that index instead of every unit of the model joined to its meeting.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("unit_tags", sa.Column("industry", sa.String(100), nullable=False, server_default=sa.text("''")))
    op.execute(
        "UPDATE unit_tags SET industry = (SELECT coalesce(nullif(units.industry, ''), meetings.industry) FROM units "
        "JOIN meetings ON meetings.id = units.meeting_id WHERE units.id = unit_tags.unit_id)"
    )
    op.create_index("ix_unit_tags_model_industry", "unit_tags", ["model_version", "industry", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_unit_tags_model_industry", "unit_tags")
    op.drop_column("unit_tags", "industry")
