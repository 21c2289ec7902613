"""Alembic migrations of the moksori schema (run with ``analyzer.store.migrate``)."""
