"""Summary rows of the findings: finding_cells and finding_phrases per (model version, agency, programme, meeting
date, region, category, kind or phrase), organisations as bitsets over organisation_keys, and each category row's
sampling order (``unit_categories.draw``), backfilled from the label rows.

The summary rows are backfilled by revision 0016, which calls :func:`analyzer.store.summaries.rebuild_all` (the
same code that keeps the rows in step with writes) once the columns that code reads and writes exist.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DRAW_MULTIPLIER = 2654435761  # analyzer.store.labels.DRAW_MULTIPLIER at this revision


def _partition() -> list[sa.Column[object]]:
    """The key columns both summary tables start with (new objects per table)."""
    return [
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.Integer, nullable=True),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("unit_categories") as batch:
        batch.add_column(sa.Column("draw", sa.BigInteger, nullable=False, server_default="0"))
    op.execute(f"UPDATE unit_categories SET draw = (unit_id * {DRAW_MULTIPLIER}) % 4294967296")
    op.create_index("ix_unit_categories_draw", "unit_categories", ["model_version", "category", "draw"])
    op.create_table(
        "organisation_keys",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisation_keys"),
        sa.UniqueConstraint("name", name="uq_organisation_keys_name"),
    )
    op.create_table(
        "finding_cells",
        *_partition(),
        sa.Column("kind", sa.String(32), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in ("units", "needs_review", "corrected")),
        *(sa.Column(name, sa.Integer, nullable=False) for name in ("meetings_region", "meetings_all")),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("score_region", sa.Float, nullable=False),
        sa.Column("organisations", sa.LargeBinary, nullable=False),
        sa.Column("industries", sa.Text, nullable=False),
    )
    op.create_table(
        "finding_phrases",
        *_partition(),
        sa.Column("phrase", sa.Text, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in ("units", "meetings_region", "meetings_all")),
    )
    for table in ("finding_cells", "finding_phrases"):
        op.create_index(f"ix_{table}_partition", table, ["agency_id", "programme_id", "date"])
        op.create_index(f"ix_{table}_model", table, ["model_version", "agency_id"])


def downgrade() -> None:
    for table in ("finding_phrases", "finding_cells"):
        op.drop_index(f"ix_{table}_model", table)
        op.drop_index(f"ix_{table}_partition", table)
        op.drop_table(table)
    op.drop_table("organisation_keys")
    op.drop_index("ix_unit_categories_draw", "unit_categories")
    with op.batch_alter_table("unit_categories") as batch:
        batch.drop_column("draw")
