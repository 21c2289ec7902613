"""The label rows' index by (model version, meeting) covers what the findings read through the meetings (kind,
category, quote order, unit, signature), so that read visits the index alone; it replaces the narrower index by
(model version, meeting, unit), whose reads it serves as well.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COVERING = ["model_version", "meeting_id", "kind", "category", "quote_rank", "draw", "unit_id", "signature"]


def upgrade() -> None:
    op.create_index("ix_unit_categories_model_meeting_cover", "unit_categories", COVERING)
    op.drop_index("ix_unit_categories_model_meeting", "unit_categories")


def downgrade() -> None:
    op.create_index("ix_unit_categories_model_meeting", "unit_categories", ["model_version", "meeting_id", "unit_id"])
    op.drop_index("ix_unit_categories_model_meeting_cover", "unit_categories")
