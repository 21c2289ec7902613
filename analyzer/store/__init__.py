"""Storage: one SQLAlchemy Core schema for SQLite and PostgreSQL, Alembic migrations, content-addressed blobs,
the job queue, API keys, read queries and backups."""

from analyzer.store.blobs import BlobStore, StoredBlob
from analyzer.store.engine import make_engine, reader
from analyzer.store.migrate import migrate

__all__ = ["BlobStore", "StoredBlob", "make_engine", "migrate", "reader"]
