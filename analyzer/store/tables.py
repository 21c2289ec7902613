"""The schema: one SQLAlchemy Core ``MetaData`` for SQLite and PostgreSQL.

agencies → programmes → meetings → documents → units → taggings (one per model version) and corrections
(the latest per unit and taxonomy wins); taggings and corrections record their taxonomy (``name@version``);
jobs are the work queue; api_keys hold hashed keys; audit_log records deletions and purges (counts, never text).

Shaped for counting (kept by :mod:`analyzer.store.labels` in the transaction that writes taggings or corrections):
unit_tags holds each tagged unit's effective kind and flags per model version, unit_categories its effective
categories as rows, unit_phrases its key phrases as rows, and ``units.text_key`` the hash of its exact-duplicate key.
The findings' summary rows are defined beside this module, in :mod:`analyzer.store.summary_tables`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    text,
)

#: Named constraints, so that batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MEETING_KINDS = ("roundtable", "survey")
JOB_STATUSES = ("queued", "running", "done", "failed")
ROLES = ("staff", "leadership", "researcher", "admin")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite keeps naive text, so UTC is restored on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


metadata = MetaData(naming_convention=NAMING_CONVENTION)

agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
)

programmes = Table(
    "programmes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("agency_id", "name"),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="SET NULL"), nullable=True),
    Column("title", Text, nullable=False, default=""),
    Column("date", String(10), nullable=False, default=""),
    Column("place", Text, nullable=False, default=""),
    Column("region", String(100), nullable=False, default=""),
    Column("industry", String(100), nullable=False, default=""),
    Column("kind", String(16), nullable=False, default="roundtable"),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("filename", Text, nullable=False),
    Column("format", String(16), nullable=False, default=""),
    Column("encoding", String(32), nullable=False, default=""),
    Column("size", Integer, nullable=False),
    Column("blob_path", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("survey_columns", JSON, nullable=False, default=list),
    UniqueConstraint("agency_id", "sha256"),
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("unit_kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("turn", Integer, nullable=False, default=0),
    Column("speaker", String(200), nullable=False, default=""),
    Column("title", String(200), nullable=False, default=""),
    Column("organisation", String(200), nullable=False, default="", index=True),
    Column("region", String(100), nullable=False, default=""),
    Column("industry", String(100), nullable=False, default=""),
    Column("keyphrases", JSON, nullable=False, default=list),
    Column("meta", JSON, nullable=False, default=dict),
    Column("text_key", BigInteger, nullable=False, default=0, index=True),
    UniqueConstraint("document_id", "seq"),
)

taggings = Table(
    "taggings",
    metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("model_version", String(100), primary_key=True, index=True),
    Column("categories", JSON, nullable=False),
    Column("probabilities", JSON, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("kind_confidence", Float, nullable=False),
    Column("needs_review", Boolean, nullable=False),
    Column("margin", Float, nullable=True),
    Column("taxonomy", String(100), nullable=False),
)

unit_tags = Table(
    "unit_tags",
    metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("model_version", String(100), primary_key=True),
    Column("meeting_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("needs_review", Boolean, nullable=False),
    Column("corrected", Boolean, nullable=False),
    # the unit's effective industry (its own, else its meeting's): what its summary rows are kept by
    Column("industry", String(100), nullable=False, server_default=text("''")),
    Index("ix_unit_tags_model_meeting", "model_version", "meeting_id", "unit_id"),
    Index("ix_unit_tags_meeting", "meeting_id", "unit_id"),
)

#: What the label rows' ordered reads check in their index entries: the kind and the filters' columns.
LABEL_PLACE = ("kind", "agency_id", "programme_id", "date", "region", "industry")
#: What the reads through the meetings or an industry pick by and return, after their index's leading columns.
_THROUGH = ("kind", "category", "quote_rank", "draw", "unit_id", "signature")

unit_categories = Table(
    "unit_categories",
    metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("model_version", String(100), primary_key=True),
    Column("category", Text, primary_key=True),
    Column("meeting_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("draw", BigInteger, nullable=False, default=0),
    Column("quote_rank", Float, nullable=False, default=1.0),
    Column("signature", BigInteger, nullable=False, default=0),
    # what the findings filter on: the meeting's, the region and industry the unit's own, else the meeting's
    Column("agency_id", Integer, nullable=False, server_default=text("0")),
    Column("programme_id", Integer, nullable=True),
    Column("date", String(10), nullable=False, server_default=text("''")),
    Column("region", String(100), nullable=False, server_default=text("''")),
    Column("industry", String(100), nullable=False, server_default=text("''")),
    # the findings' reads (analyzer.store.shown, access_path) check the kind and the filters in the index entries
    Index("ix_unit_categories_model_meeting_cover", "model_version", "meeting_id", *_THROUGH, "region", "industry"),
    Index("ix_unit_categories_model_industry_cover", "model_version", "industry", *_THROUGH, *LABEL_PLACE[1:5]),
    Index("ix_unit_categories_meeting", "meeting_id", "unit_id"),
    Index("ix_unit_categories_draw", "model_version", "category", "draw"),
    Index("ix_unit_categories_quote", "model_version", "category", "quote_rank", "draw", *LABEL_PLACE, *_THROUGH[4:]),
    Index(
        "ix_unit_categories_signature",
        *("model_version", "category", "signature", "quote_rank", "unit_id"),
        *LABEL_PLACE,
    ),
)

unit_phrases = Table(
    "unit_phrases",
    metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("phrase", Text, primary_key=True),
    Column("meeting_id", Integer, nullable=False),
    Index("ix_unit_phrases_meeting", "meeting_id", "unit_id"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("categories", JSON, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("taxonomy", String(100), nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("model_version", String(100), nullable=False),
    Column("status", String(16), nullable=False, default="queued", index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_owner", String(200), nullable=True),
    Column("lease_expires_at", UTCDateTime, nullable=True),
    Column("error_code", String(64), nullable=True),
    Column("error_message", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
    UniqueConstraint("document_id", "model_version"),
    CheckConstraint(_in("status", JOB_STATUSES), name="status"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=True),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    CheckConstraint(_in("role", ROLES), name="role"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False, default=utcnow),
    Column("actor", String(200), nullable=False),
    Column("agency_id", ForeignKey("agencies.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("action", String(64), nullable=False),
    Column("target", String(100), nullable=False),
    Column("detail", JSON, nullable=False, default=dict),
)


def effective_region() -> ColumnElement[str]:
    """A unit's region: its own, else its meeting's (over ``units`` joined to its meeting)."""
    return func.coalesce(func.nullif(units.c.region, ""), meetings.c.region)


def effective_industry() -> ColumnElement[str]:
    """A unit's industry: its own, else its meeting's (over ``units`` joined to its meeting)."""
    return func.coalesce(func.nullif(units.c.industry, ""), meetings.c.industry)
