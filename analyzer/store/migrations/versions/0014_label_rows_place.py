"""The label rows carry what the findings filter on: their meeting's agency, programme and date and their unit's
effective region (the unit's, else its meeting's); the quote-order and signature indexes cover those, the kind and
what the reads return, so a filtered read checks each index entry where it stands, with no join or subquery per
entry. The index by (model version, meeting) covers the region too, for the reads through the meetings.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

PLACE = ["kind", "agency_id", "programme_id", "date", "region"]
QUOTE = ["model_version", "category", "quote_rank", "draw", *PLACE, "unit_id", "signature"]
SIGNATURE = ["model_version", "category", "signature", "quote_rank", "unit_id", *PLACE]
BY_MEETING = ["model_version", "meeting_id", "kind", "category", "quote_rank", "draw", "unit_id", "signature"]


def upgrade() -> None:
    for column in (
        sa.Column("agency_id", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.String(10), nullable=False, server_default=sa.text("''")),
        sa.Column("region", sa.String(100), nullable=False, server_default=sa.text("''")),
    ):
        op.add_column("unit_categories", column)
    meeting = "(SELECT meetings.{} FROM meetings WHERE meetings.id = unit_categories.meeting_id)"
    region = (
        "(SELECT coalesce(nullif(units.region, ''), meetings.region) FROM units JOIN meetings "
        "ON meetings.id = units.meeting_id WHERE units.id = unit_categories.unit_id)"
    )
    op.execute(
        f"UPDATE unit_categories SET agency_id = {meeting.format('agency_id')}, "
        f"programme_id = {meeting.format('programme_id')}, date = {meeting.format('date')}, region = {region}"
    )
    for name, columns in (
        ("ix_unit_categories_quote", QUOTE),
        ("ix_unit_categories_signature", SIGNATURE),
        ("ix_unit_categories_model_meeting_cover", [*BY_MEETING, "region"]),
    ):
        op.drop_index(name, "unit_categories")
        op.create_index(name, "unit_categories", columns)


def downgrade() -> None:
    for name, columns in (
        ("ix_unit_categories_quote", QUOTE[:4]),
        ("ix_unit_categories_signature", SIGNATURE[:4]),
        ("ix_unit_categories_model_meeting_cover", BY_MEETING),
    ):
        op.drop_index(name, "unit_categories")
        op.create_index(name, "unit_categories", columns)
    for name in ("region", "date", "programme_id", "agency_id"):
        op.drop_column("unit_categories", name)
