"""Taggings and corrections record their taxonomy (name@version); taggings keep their review margin.

Rows written before this revision were made under the default taxonomy, the only one the shipped model knows, so
they get ``moksori-default@1``. Their margin stays empty until the documents are re-analysed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EARLIER_TAXONOMY = "moksori-default@1"


def upgrade() -> None:
    for table in ("taggings", "corrections"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("taxonomy", sa.String(100), nullable=False, server_default=EARLIER_TAXONOMY))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("taxonomy", server_default=None, existing_type=sa.String(100), existing_nullable=False)
    with op.batch_alter_table("taggings") as batch:
        batch.add_column(sa.Column("margin", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("taggings") as batch:
        batch.drop_column("margin")
        batch.drop_column("taxonomy")
    with op.batch_alter_table("corrections") as batch:
        batch.drop_column("taxonomy")
