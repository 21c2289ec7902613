"""Who may do what: each role's scopes, and the scopes that reach beyond one agency (a global key only)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from analyzer.store.keys import Principal

#: Follow-up actions and alerts: staff keep them, leadership reads actions and acknowledges alerts.
_FOLLOW_UP = frozenset({"actions:read", "alerts:read", "alerts:write"})
_STAFF = (
    frozenset(
        {
            "upload",
            "meetings:read",
            "meetings:delete",
            "units:read",
            "corrections:write",
            "taxonomy:read",
            "actions:write",
        }
    )
    | _FOLLOW_UP
)
_LEADERSHIP = frozenset({"findings:read", "meetings:read", "taxonomy:read"}) | _FOLLOW_UP
_RESEARCHER = frozenset(
    {"units:read", "meetings:read", "corrections:read", "models:read", "train", "taxonomy:read", "findings:read"}
)
#: Operations that reach beyond one agency (models, agencies, keys of every agency): a global admin only.
GLOBAL_SCOPES = frozenset({"deploy", "settings", "agencies", "taxonomy:write"})
ALL_SCOPES = _STAFF | _LEADERSHIP | _RESEARCHER | GLOBAL_SCOPES | {"keys"}
ROLE_SCOPES: Mapping[str, frozenset[str]] = MappingProxyType(
    {"staff": _STAFF, "leadership": _LEADERSHIP, "researcher": _RESEARCHER, "admin": ALL_SCOPES}
)
#: The operator at the command line: whoever holds the data folder holds every right.
OPERATOR = Principal(key_id=0, role="admin", agency_id=None)


def granted_scopes(principal: Principal) -> frozenset[str]:
    """What a key may do: its role's scopes, without the global ones when it is scoped to one agency."""
    granted = ROLE_SCOPES.get(principal.role, frozenset())
    return granted if principal.agency_id is None else granted - GLOBAL_SCOPES


def reaches(principal: Principal, agency_id: int | None) -> bool:
    """Whether an object of *agency_id* (``None``: a global object such as a global key) is in reach."""
    return principal.agency_id is None or (agency_id is not None and principal.agency_id == agency_id)
