"""Agencies by name: validated names, explicit creation, lookup that never creates one by accident."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from analyzer.errors import AnalyzerError
from analyzer.store.engine import reader
from analyzer.store.tables import agencies, api_keys, meetings

AGENCY_NAME_MAX = 100
#: Unicode categories refused in a name: controls, format characters (zero-width, bidi), surrogates,
#: private use, unassigned, and line or paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_agency_name(name: str) -> str:
    """*name* NFC-normalised and stripped; ``agency_name_invalid`` unless 1-100 characters with no control character."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(cleaned) <= AGENCY_NAME_MAX:
        raise AnalyzerError("agency_name_invalid", f"{len(cleaned)}자")
    refused = next((ch for ch in cleaned if unicodedata.category(ch) in _REFUSED_CATEGORIES), None)
    if refused is not None:
        raise AnalyzerError("agency_name_invalid", f"U+{ord(refused):04X}")
    return cleaned


def create_agency(engine: Engine, name: str) -> int:
    """A new agency's id; ``agency_exists`` when the (cleaned) name is taken."""
    cleaned = clean_agency_name(name)
    try:
        with engine.begin() as conn:
            if conn.execute(select(agencies.c.id).where(agencies.c.name == cleaned)).first() is not None:
                raise AnalyzerError("agency_exists", cleaned)
            return int(conn.execute(insert(agencies).values(name=cleaned).returning(agencies.c.id)).scalar_one())
    except IntegrityError as exc:  # created by someone else between the check and the insert
        raise AnalyzerError("agency_exists", cleaned) from exc


def agency_id(engine: Engine, name: str) -> int:
    """The id of the agency called *name* (cleaned first); ``agency_not_found`` when there is none."""
    cleaned = clean_agency_name(name)
    with reader(engine).connect() as conn:
        found = conn.execute(select(agencies.c.id).where(agencies.c.name == cleaned)).scalar()
    if found is None:
        raise AnalyzerError("agency_not_found", cleaned)
    return int(found)


def list_agencies(engine: Engine) -> list[dict[str, Any]]:
    """Every agency by id: ``id``, ``name``, and how many ``meetings`` and ``keys`` it has."""

    def count_of(table: Any) -> Any:
        return select(func.count()).select_from(table).where(table.c.agency_id == agencies.c.id).scalar_subquery()

    query = select(
        agencies.c.id, agencies.c.name, count_of(meetings).label("meetings"), count_of(api_keys).label("keys")
    ).order_by(agencies.c.id)
    with reader(engine).connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
