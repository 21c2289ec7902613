"""Follow-up actions (조치) with their units and append-only history, and alerts stored once per agency and key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen copies of the types and value lists in analyzer.store at this revision (a migration never imports live models).
Timestamp = sa.DateTime(timezone=True)
STATUSES = "'received', 'reviewing', 'accepted', 'partly_accepted', 'long_term', 'declined', 'done'"
KINDS = "'rising', 'candidate', 'overdue'"


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("due_date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_actions_status"),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_actions_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
    )
    for column in ("agency_id", "department", "status"):
        op.create_index(f"ix_actions_{column}", "actions", [column])
    op.create_table(
        "action_units",
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name="fk_action_units_action_id_actions", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_action_units_unit_id_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "unit_id", name="pk_action_units"),
    )
    op.create_index("ix_action_units_unit_id", "action_units", ["unit_id"])
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name="fk_action_history_action_id_actions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_action_history"),
    )
    op.create_index("ix_action_history_action_id", "action_history", ["action_id"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("acknowledged_at", Timestamp, nullable=True),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        sa.Column("delivered_at", Timestamp, nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_alerts_kind"),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_alerts_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("agency_id", "key", name="uq_alerts_agency_id_key"),
    )
    op.create_index("ix_alerts_agency_id", "alerts", ["agency_id"])


def downgrade() -> None:
    op.drop_index("ix_alerts_agency_id", "alerts")
    op.drop_table("alerts")
    op.drop_index("ix_action_history_action_id", "action_history")
    op.drop_table("action_history")
    op.drop_index("ix_action_units_unit_id", "action_units")
    op.drop_table("action_units")
    for column in ("status", "department", "agency_id"):
        op.drop_index(f"ix_actions_{column}", "actions")
    op.drop_table("actions")
