"""Storage shaped for counting: effective labels and key phrases as rows, and each unit's exact-duplicate key.

Existing data is carried over: every unit gets its ``text_key`` and phrase rows, every tagging its ``unit_tags`` row
and ``unit_categories`` rows (the latest correction under the tagging's taxonomy wins), read in batches.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from analyzer.textkeys import clean_labels, text_hashes

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2000

# Frozen views of the tables at this revision (a migration never imports live models).
_units = sa.table(
    "units",
    sa.column("id", sa.Integer),
    sa.column("meeting_id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("keyphrases", sa.JSON),
    sa.column("text_key", sa.BigInteger),
)
_taggings = sa.table(
    "taggings",
    sa.column("unit_id", sa.Integer),
    sa.column("model_version", sa.String),
    sa.column("categories", sa.JSON),
    sa.column("kind", sa.String),
    sa.column("needs_review", sa.Boolean),
    sa.column("taxonomy", sa.String),
)
_corrections = sa.table(
    "corrections",
    sa.column("id", sa.Integer),
    sa.column("unit_id", sa.Integer),
    sa.column("categories", sa.JSON),
    sa.column("kind", sa.String),
    sa.column("taxonomy", sa.String),
)


def _label_tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    unit_fk = ("unit_id", "units.id")
    tags = op.create_table(
        "unit_tags",
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("needs_review", sa.Boolean, nullable=False),
        sa.Column("corrected", sa.Boolean, nullable=False),
        sa.ForeignKeyConstraint([unit_fk[0]], [unit_fk[1]], name="fk_unit_tags_unit_id_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "model_version", name="pk_unit_tags"),
    )
    categories = op.create_table(
        "unit_categories",
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            [unit_fk[0]], [unit_fk[1]], name="fk_unit_categories_unit_id_units", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("unit_id", "model_version", "category", name="pk_unit_categories"),
    )
    phrases = op.create_table(
        "unit_phrases",
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("phrase", sa.Text, nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint([unit_fk[0]], [unit_fk[1]], name="fk_unit_phrases_unit_id_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "phrase", name="pk_unit_phrases"),
    )
    assert tags is not None and categories is not None and phrases is not None
    return tags, categories, phrases


def _backfill(tags: sa.Table, categories: sa.Table, phrases: sa.Table) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        batch = conn.execute(
            sa.select(_units.c.id, _units.c.meeting_id, _units.c.text, _units.c.keyphrases)
            .where(_units.c.id > last)
            .order_by(_units.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        last = batch[-1].id
        ids = [row.id for row in batch]
        meeting_of = {row.id: row.meeting_id for row in batch}
        keys = text_hashes(row.text for row in batch)
        conn.execute(
            _units.update().where(_units.c.id == sa.bindparam("uid")).values(text_key=sa.bindparam("key")),
            [{"uid": row.id, "key": key} for row, key in zip(batch, keys, strict=True)],
        )
        phrase_rows = [
            {"unit_id": row.id, "phrase": phrase, "meeting_id": row.meeting_id}
            for row in batch
            for phrase in clean_labels(row.keyphrases)
        ]
        latest: dict[tuple[int, str], Any] = {}
        for row in conn.execute(
            sa.select(_corrections).where(_corrections.c.unit_id.in_(ids)).order_by(_corrections.c.id)
        ):
            latest[(row.unit_id, row.taxonomy)] = row
        tag_rows, category_rows = [], []
        for tagging in conn.execute(sa.select(_taggings).where(_taggings.c.unit_id.in_(ids))):
            fix = latest.get((tagging.unit_id, tagging.taxonomy))
            source = fix if fix is not None else tagging
            kind = " ".join(str(source.kind or "").split())
            common = {"unit_id": tagging.unit_id, "model_version": tagging.model_version}
            meeting = meeting_of[tagging.unit_id]
            tag_rows.append(
                {
                    **common,
                    "meeting_id": meeting,
                    "kind": kind,
                    "needs_review": bool(tagging.needs_review) and fix is None,
                    "corrected": fix is not None,
                }
            )
            category_rows += [
                {**common, "category": category, "meeting_id": meeting, "kind": kind}
                for category in clean_labels(source.categories)
            ]
        for table, rows in ((tags, tag_rows), (categories, category_rows), (phrases, phrase_rows)):
            if rows:
                conn.execute(table.insert(), rows)


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("text_key", sa.BigInteger, nullable=False, server_default="0"))
    tags, categories, phrases = _label_tables()
    _backfill(tags, categories, phrases)
    op.create_index("ix_unit_tags_model_meeting", "unit_tags", ["model_version", "meeting_id", "unit_id"])
    op.create_index("ix_unit_categories_model_meeting", "unit_categories", ["model_version", "meeting_id", "unit_id"])
    op.create_index("ix_unit_phrases_meeting", "unit_phrases", ["meeting_id", "unit_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_unit_phrases_meeting", "unit_phrases"),
        ("ix_unit_categories_model_meeting", "unit_categories"),
        ("ix_unit_tags_model_meeting", "unit_tags"),
    ):
        op.drop_index(index, table)
    for table in ("unit_phrases", "unit_categories", "unit_tags"):
        op.drop_table(table)
    with op.batch_alter_table("units") as batch:
        batch.drop_column("text_key")
