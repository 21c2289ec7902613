"""The label rows indexed by model version and industry, covering what the findings' reads through an industry
return and filter on: under a selective industry filter the quotes and representatives read that industry's label
rows instead of visiting every index entry of each category in quote order.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

THROUGH = ["kind", "category", "quote_rank", "draw", "unit_id", "signature"]
PLACE = ["agency_id", "programme_id", "date", "region"]


def upgrade() -> None:
    columns = ["model_version", "industry", *THROUGH, *PLACE]
    op.create_index("ix_unit_categories_model_industry_cover", "unit_categories", columns)


def downgrade() -> None:
    op.drop_index("ix_unit_categories_model_industry_cover", "unit_categories")
