"""The units' tag rows keep their effective industry (what the summary rows are kept by) without the index by model
version and industry: the findings read an industry's summary rows and label rows (revisions 0016 and 0017), not
its units' tag rows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_unit_tags_model_industry", "unit_tags")


def downgrade() -> None:
    op.create_index("ix_unit_tags_model_industry", "unit_tags", ["model_version", "industry", "unit_id"])
