"""A claim on an alert's webhook delivery (``alerts.delivery_claimed_until``): several web processes scan for
alerts at once, and each alert must be sent once; a process that dies holding a claim leaves the alert to the first
scan after it expires.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("delivery_claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("delivery_claimed_until")
