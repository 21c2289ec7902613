"""The text passes' reads: the texts (and meetings) of given units (the representatives of recurring issues are
read by :mod:`analyzer.store.shown`, the signature summary rows by :mod:`analyzer.store.summary_read`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, select

from analyzer.store.cells import chunks
from analyzer.store.engine import reader
from analyzer.store.tables import units


def unit_texts(engine: Engine, unit_ids: Sequence[int]) -> dict[int, str]:
    """The (masked) text of each unit of *unit_ids* that exists."""
    found: dict[int, str] = {}
    with reader(engine).connect() as conn:
        for batch in chunks(int(unit_id) for unit_id in unit_ids):
            found.update(
                (row.id, row.text)
                for row in conn.execute(select(units.c.id, units.c.text).where(units.c.id.in_(batch)))
            )
    return found


def meetings_and_texts(engine: Engine, unit_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """The meeting and (masked) text of each unit of *unit_ids* that exists."""
    found: dict[int, tuple[int, str]] = {}
    with reader(engine).connect() as conn:
        for batch in chunks(sorted({int(unit_id) for unit_id in unit_ids})):
            query = select(units.c.id, units.c.meeting_id, units.c.text).where(units.c.id.in_(batch))
            found.update((row.id, (row.meeting_id, row.text)) for row in conn.execute(query))
    return found
