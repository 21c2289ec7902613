"""API keys as a use case: create (shown once), list and revoke, never beyond the caller's own agency and role.

An agency admin creates keys for its own agency only (naming no agency means its own), never a global key, never a
role with more scopes than its own, and never one that outlives its own key (its expiry is capped, not refused).
The command line acts as :data:`~analyzer.services.access.OPERATOR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from analyzer.errors import AnalyzerError
from analyzer.services.access import granted_scopes, reaches
from analyzer.store import keys
from analyzer.store.agencies import agency_id
from analyzer.store.keys import Principal
from analyzer.store.tables import ROLES


@dataclass(frozen=True, slots=True)
class NewKey:
    """A created key: its id, the plaintext (shown once), its agency and expiry."""

    id: int
    plaintext: str
    role: str
    agency_id: int | None
    expires_at: datetime | None


def create(
    engine: Engine, caller: Principal, role: str, agency: str | None, label: str, expires_at: datetime | None
) -> NewKey:
    """A new key of *role* for *agency* (``None``: the caller's own, or every agency for an admin of every agency).

    Refused with ``invalid_role``, ``agency_not_found``, ``agency_required`` or ``key_scope_exceeded``.
    """
    if role not in ROLES:
        raise AnalyzerError("invalid_role", role)
    scope = agency_id(engine, agency) if agency else caller.agency_id
    if scope is None and role != "admin":
        raise AnalyzerError("agency_required", role)
    wanted = granted_scopes(Principal(key_id=0, role=role, agency_id=scope))
    if not reaches(caller, scope) or not wanted <= granted_scopes(caller):
        raise AnalyzerError("key_scope_exceeded", f"{role}, {'전체 기관' if scope is None else agency or '자기 기관'}")
    if caller.expires_at is not None and (expires_at is None or expires_at > caller.expires_at):
        expires_at = caller.expires_at
    key_id, plaintext = keys.create_key(engine, role, scope, label, expires_at)
    return NewKey(key_id, plaintext, role, scope, expires_at)


def listing(engine: Engine, caller: Principal) -> list[dict[str, Any]]:
    """The keys in the caller's reach (its agency's, or every key for a global admin), oldest first."""
    return keys.list_keys(engine, caller.agency_id)


def revoke(engine: Engine, caller: Principal, key_id: int) -> None:
    """Revoke a key in the caller's reach; ``key_not_found`` otherwise (another agency's key looks absent)."""
    if not keys.revoke(engine, key_id, agency_id=caller.agency_id):
        raise AnalyzerError("key_not_found", str(key_id))
