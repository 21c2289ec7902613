"""Storage: one SQLAlchemy Core schema for SQLite and PostgreSQL, Alembic migrations, content-addressed blobs,
the job queue, API keys, read queries and backups."""

# Tables defined beside tables.py register on its metadata when imported: import them with the package, so that
# migrations, comparisons and every query see one schema.
from analyzer.store import actions as _actions  # noqa: F401
from analyzer.store import alerts as _alerts  # noqa: F401
from analyzer.store import summary_tables as _summary_tables  # noqa: F401
from analyzer.store import versions as _versions  # noqa: F401
from analyzer.store.blobs import BlobStore, StoredBlob
from analyzer.store.engine import make_engine, reader
from analyzer.store.migrate import migrate

__all__ = ["BlobStore", "StoredBlob", "make_engine", "migrate", "reader"]
