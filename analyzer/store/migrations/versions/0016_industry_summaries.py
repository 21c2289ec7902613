"""The findings under an industry filter read stored aggregates: the summary rows gain an industry (``''`` for the
rows over every unit, else the rows over that industry's units alone), and the label rows carry their unit's
effective industry in the indexes the quotes and representatives read. Every summary row is rebuilt here by the live
maintenance code (:func:`analyzer.store.summaries.rebuild_all`; the backfill of revisions 0007 and 0010 moved
here: the code writes the columns this revision adds).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PLACE = ["kind", "agency_id", "programme_id", "date", "region"]
BY_MEETING = ["model_version", "meeting_id", "kind", "category", "quote_rank", "draw", "unit_id", "signature"]
SUMMARIES = ("finding_cells", "finding_phrases", "finding_signatures")


def _label_indexes(place: list[str]) -> None:
    """The label rows' covering indexes over the filters' columns *place* (as revision 0014 made them)."""
    for name, columns in (
        (
            "ix_unit_categories_quote",
            ["model_version", "category", "quote_rank", "draw", *place, "unit_id", "signature"],
        ),
        ("ix_unit_categories_signature", ["model_version", "category", "signature", "quote_rank", "unit_id", *place]),
        ("ix_unit_categories_model_meeting_cover", [*BY_MEETING, *place[4:]]),
    ):
        op.drop_index(name, "unit_categories")
        op.create_index(name, "unit_categories", columns)


def upgrade() -> None:
    op.add_column(
        "unit_categories", sa.Column("industry", sa.String(100), nullable=False, server_default=sa.text("''"))
    )
    op.execute(
        "UPDATE unit_categories SET industry = (SELECT unit_tags.industry FROM unit_tags WHERE unit_tags.unit_id = "
        "unit_categories.unit_id AND unit_tags.model_version = unit_categories.model_version)"
    )
    _label_indexes([*PLACE, "industry"])
    for table in SUMMARIES:
        op.add_column(table, sa.Column("industry", sa.Text(), nullable=False, server_default=sa.text("''")))
        op.drop_index(f"ix_{table}_model", table)
        op.create_index(f"ix_{table}_model", table, ["model_version", "industry", "agency_id"])
    from analyzer.store.summaries import rebuild_all  # the live maintenance code, run once over existing data

    rebuild_all(op.get_bind(), logged=False)  # the processes that hold summary rows start after the migrations


def downgrade() -> None:
    for table in SUMMARIES:
        op.drop_index(f"ix_{table}_model", table)
        op.create_index(f"ix_{table}_model", table, ["model_version", "agency_id"])
        op.execute(f"DELETE FROM {table} WHERE industry <> ''")
        with op.batch_alter_table(table) as batch:
            batch.drop_column("industry")
    _label_indexes(PLACE)
    with op.batch_alter_table("unit_categories") as batch:
        batch.drop_column("industry")
