"""API keys: ``mks_<prefix>_<secret>``, shown once; only a SHA-256 hash of the whole key is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from analyzer.store.engine import reader
from analyzer.store.tables import ROLES, api_keys, utcnow

KEY_SCHEME = "mks"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a verified key speaks for; ``agency_id`` ``None`` means every agency."""

    key_id: int
    role: str
    agency_id: int | None
    expires_at: datetime | None = None


def create_key(
    engine: Engine, role: str, agency_id: int | None, label: str = "", expires_at: datetime | None = None
) -> tuple[int, str]:
    """A new key: ``(key_id, plaintext)``; the plaintext cannot be recovered later."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    with engine.begin() as conn:
        key_id = conn.execute(
            insert(api_keys)
            .values(
                prefix=prefix,
                hash=_digest(plaintext),
                role=role,
                agency_id=agency_id,
                label=label,
                expires_at=expires_at,
            )
            .returning(api_keys.c.id)
        ).scalar_one()
    return int(key_id), plaintext


def verify(engine: Engine, plaintext: str, now: datetime | None = None) -> Principal | None:
    """The principal of a valid key; ``None`` when the key is malformed, unknown, revoked or expired."""
    scheme, _, rest = plaintext.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != KEY_SCHEME or not prefix or not secret:
        return None
    with reader(engine).connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).mappings().first()
    if row is None or not hmac.compare_digest(row["hash"], _digest(plaintext)):
        return None
    now = now or utcnow()
    if row["revoked_at"] is not None or (row["expires_at"] is not None and row["expires_at"] <= now):
        return None
    return Principal(key_id=row["id"], role=row["role"], agency_id=row["agency_id"], expires_at=row["expires_at"])


def revoke(engine: Engine, key_id: int, now: datetime | None = None, *, agency_id: int | None = None) -> bool:
    """Revoke a key for good; ``False`` if there is no such key (of *agency_id*, when given) or it was revoked."""
    condition = [api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)]
    if agency_id is not None:
        condition.append(api_keys.c.agency_id == agency_id)
    with engine.begin() as conn:
        changed = conn.execute(update(api_keys).where(*condition).values(revoked_at=now or utcnow())).rowcount
    return changed == 1


def list_keys(engine: Engine, agency_id: int | None = None) -> list[dict[str, Any]]:
    """Every key (of *agency_id*, when given), oldest first: id, prefix, role, agency_id, label and dates; never
    the hash or plaintext."""
    columns = [column for column in api_keys.c if column.name != "hash"]
    query = select(*columns).order_by(api_keys.c.id)
    if agency_id is not None:
        query = query.where(api_keys.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()
