"""The initial schema: agencies, programmes, meetings, documents, units, taggings, corrections, jobs, api_keys.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the types in analyzer.store.tables at this revision (a migration never imports live models).
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agencies"),
        sa.UniqueConstraint("name", name="uq_agencies_name"),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_programmes_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_programmes"),
        sa.UniqueConstraint("agency_id", "name", name="uq_programmes_agency_id_name"),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.Integer, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.CheckConstraint("kind IN ('roundtable', 'survey')", name="ck_meetings_kind"),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_meetings_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name="fk_meetings_programme_id_programmes", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
    )
    op.create_index("ix_meetings_agency_id", "meetings", ["agency_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("blob_path", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_documents_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_documents_meeting_id_meetings", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("agency_id", "sha256", name="uq_documents_agency_id_sha256"),
    )
    op.create_index("ix_documents_meeting_id", "documents", ["meeting_id"])
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("unit_kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("speaker", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("keyphrases", sa.JSON, nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_units_document_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_units_meeting_id_meetings", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("document_id", "seq", name="uq_units_document_id_seq"),
    )
    op.create_index("ix_units_meeting_id", "units", ["meeting_id"])
    op.create_index("ix_units_organisation", "units", ["organisation"])
    op.create_table(
        "taggings",
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("probabilities", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("kind_confidence", sa.Float, nullable=False),
        sa.Column("needs_review", sa.Boolean, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_taggings_unit_id_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "model_version", name="pk_taggings"),
    )
    op.create_index("ix_taggings_model_version", "taggings", ["model_version"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_corrections_unit_id_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_corrections"),
    )
    op.create_index("ix_corrections_unit_id", "corrections", ["unit_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("lease_owner", sa.String(200), nullable=True),
        sa.Column("lease_expires_at", Timestamp, nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text, nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="ck_jobs_status"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_jobs_document_id_documents", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.UniqueConstraint("document_id", "model_version", name="uq_jobs_document_id_model_version"),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("expires_at", Timestamp, nullable=True),
        sa.Column("revoked_at", Timestamp, nullable=True),
        sa.CheckConstraint("role IN ('staff', 'leadership', 'researcher', 'admin')", name="ck_api_keys_role"),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_api_keys_agency_id_agencies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )


def downgrade() -> None:
    for table in ("api_keys", "jobs", "corrections", "taggings", "units", "documents", "meetings", "programmes"):
        op.drop_table(table)
    op.drop_table("agencies")
