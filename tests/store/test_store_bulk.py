"""``insert_plain`` stores what SQLAlchemy's own executemany stores, on SQLite and PostgreSQL: numbers, text, bytes,
booleans and NULL; a row without a column that has a Python-side default is refused, not stored half."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, insert, select

from analyzer.store.bulk import insert_plain
from analyzer.store.summary_tables import finding_signatures
from analyzer.store.tables import unit_categories

ROWS = [
    {
        "model_version": "m/1",
        "agency_id": agency,
        "programme_id": None if agency == 1 else 7,
        "date": "2024-05-14",
        "region": "경북 구미",
        "category": "funding",
        "signature": 2**40 + agency,
        "units": 3,
        "meetings_region": 1,
        "meetings_all": 1,
        "organisations": bytes([agency, 0, 255]),
        "organisation_counts": "[[1, 2]]",
    }
    for agency in (1, 2)
]


def test_plain_rows_equal_sqlalchemys_insert(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(finding_signatures), ROWS)
        expected = sorted(tuple(row) for row in conn.execute(select(finding_signatures)))
        conn.execute(delete(finding_signatures))
        insert_plain(conn, finding_signatures, ROWS)
        assert sorted(tuple(row) for row in conn.execute(select(finding_signatures))) == expected
        insert_plain(conn, finding_signatures, [])  # nothing to do


def test_a_row_without_a_defaulted_column_is_refused(engine: Engine) -> None:
    row = {"unit_id": 1, "model_version": "m/1", "category": "funding", "meeting_id": 1, "kind": "request"}
    with pytest.raises(KeyError), engine.begin() as conn:  # "draw", "quote_rank" and "signature" have defaults
        insert_plain(conn, unit_categories, [row])
