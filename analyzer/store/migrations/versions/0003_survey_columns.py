"""Documents keep the survey answer columns named at upload, so the worker reads the file with them.

Documents stored before this revision had none named: their columns were guessed from the headers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy-and-move) rebuild of ``documents`` on SQLite would cascade-delete its units.
    op.add_column("documents", sa.Column("survey_columns", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("survey_columns")
