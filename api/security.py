"""API keys → roles → scopes; every route declares the scopes it needs. Rate limits on uploads and failed auth."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from analyzer.services.access import granted_scopes, reaches
from analyzer.store.keys import Principal, verify
from api.deps import EngineDep
from api.problems import ApiProblem

COOKIE = "moksori_key"

_bearer = HTTPBearer(auto_error=False, description="API 키 (Bearer mks_...)")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API 키")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="대시보드 로그인 쿠키")


@dataclass
class SlidingWindow:
    """At most ``limit`` events per ``seconds`` per key, in this process."""

    limit: int
    seconds: float = 60.0
    events: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        window = self.events[key]
        while window and now - window[0] > self.seconds:
            window.popleft()
        if len(window) >= self.limit:
            return False
        window.append(now)
        return True


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's role, its agency (None = every agency) and its scopes."""

    principal: Principal
    scopes: frozenset[str]

    @property
    def agency_id(self) -> int | None:
        return self.principal.agency_id

    @property
    def author(self) -> str:
        return f"key-{self.principal.key_id}"

    @property
    def is_global(self) -> bool:
        return self.agency_id is None

    def sees(self, agency_id: int | None) -> bool:
        """Whether an object of *agency_id* (``None``: a global object such as a global key) is in reach."""
        return reaches(self.principal, agency_id)


def caller(
    scopes: SecurityScopes,
    request: Request,
    engine: EngineDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Caller:
    """Authenticate the request and check that its role grants every scope the route declares."""
    plaintext = (bearer.credentials if bearer else None) or header or cookie
    client = request.client.host if request.client else "unknown"
    failures: SlidingWindow = request.app.state.failed_auth
    principal = verify(engine, plaintext, datetime.now(UTC)) if plaintext else None
    if principal is None:
        if not failures.allow(client):
            raise ApiProblem("rate_limited", headers={"Retry-After": "60"})
        raise ApiProblem("unauthorized", headers={"WWW-Authenticate": "Bearer"})
    granted = granted_scopes(principal)
    if not set(scopes.scopes) <= granted:
        raise ApiProblem("forbidden", "필요 권한: " + ", ".join(sorted(set(scopes.scopes) - granted)))
    return Caller(principal, granted)


def require(*scopes: str) -> object:
    """``Security`` dependency for a route: the caller must hold every scope."""
    return Security(caller, scopes=list(scopes))


def CallerWith(*scopes: str) -> object:
    return Annotated[Caller, Security(caller, scopes=list(scopes))]
