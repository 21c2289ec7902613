"""The Korean dashboard: server-rendered pages (Jinja2, autoescaped) over the same data as the API."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.security import SecurityScopes

from analyzer.services import overview as overview_service
from analyzer.store import queries
from api.dashboard import navigation
from api.dashboard.errors import LoginRequired, PageRedirect
from api.dashboard.navigation import (
    LOGIN,
    MEETING_SCOPES,
    MEETINGS,
    OVERVIEW,
    REVIEW,
    UPLOAD,
    landing,
    login_location,
    safe_next,
)
from api.dashboard.rendering import render, templates
from api.deps import ContextDep, DeployedDep, EngineDep
from api.params import RowId
from api.problems import API_CODES, ApiProblem
from api.routes.findings import FiltersDep, may_read_actions
from api.security import COOKIE, Caller, caller

router = APIRouter(include_in_schema=False)


def page_caller(*scopes: str, home: bool = False) -> Any:
    """The dependency of a page needing *scopes*: no session → the login page (and back); a role without them →
    the Korean 403 page, or with *home* its own landing page."""

    def dependency(request: Request, engine: EngineDep) -> Caller:
        cookie = request.cookies.get(COOKIE)
        if not cookie:  # a first visit is not a failed login: it does not count towards the rate limit
            raise LoginRequired(request)
        try:
            who = caller(SecurityScopes([]), request, engine, None, None, cookie)
        except ApiProblem as problem:
            if problem.code in {"unauthorized", "rate_limited"}:
                raise LoginRequired(request) from problem
            raise
        request.state.who = who
        if not navigation.may(who, scopes):
            if home:
                raise PageRedirect(landing(who).path)
            raise ApiProblem("forbidden", "필요 권한: " + ", ".join(sorted(set(scopes) - who.scopes)))
        return who

    dependency.required_scopes = scopes  # type: ignore[attr-defined]
    return Annotated[Caller, Depends(dependency)]


@router.get("/login")
def login_page(request: Request, error: str = "", next: str = "") -> HTMLResponse:
    message = API_CODES.get(error, API_CODES["unauthorized"])[1] if error else ""
    return templates.TemplateResponse(request, "login.html", {"error": message, "next": safe_next(next) or ""})


@router.post("/login")
def login(
    request: Request,
    engine: EngineDep,
    key: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    """Log in with an API key; back to *next* when it is a path on this site, else to the role's landing page."""
    wanted = safe_next(next)
    try:
        who = caller(SecurityScopes([]), request, engine, None, key.strip(), None)
    except ApiProblem as problem:
        return RedirectResponse(login_location(wanted, problem.code), status_code=303)
    target = wanted if wanted and wanted != OVERVIEW.path else landing(who).path
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse(LOGIN.path, status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/fonts/NanumGothic.ttf")
def font() -> FileResponse:
    path = resources.files("analyzer").joinpath("data/fonts/NanumGothic.ttf")
    return FileResponse(str(path), media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})


@router.get("/")
def overview(
    request: Request,
    who: page_caller(*OVERVIEW.scopes, home=True),  # type: ignore[valid-type]
    context: ContextDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> HTMLResponse:
    result = overview_service.overview(context, who.agency_id, chosen, deployed, with_actions=may_read_actions(who))
    return render(
        request,
        "overview.html",
        who,
        findings=result,
        chosen=chosen,
        query=str(request.url.query),
        taxonomy=deployed.taxonomy,
    )


@router.get("/upload")
def upload_page(request: Request, who: page_caller(*UPLOAD.scopes)) -> HTMLResponse:  # type: ignore[valid-type]
    return render(request, "upload.html", who)


@router.get("/meetings")
def meetings_page(request: Request, who: page_caller(*MEETINGS.scopes), engine: EngineDep) -> HTMLResponse:  # type: ignore[valid-type]
    rows, total = queries.list_meetings(engine, who.agency_id, 200, 0)
    return render(request, "meetings.html", who, meetings=rows, total=total)


@router.get("/meetings/{meeting_id}")
def meeting_page(
    request: Request,
    meeting_id: RowId,
    who: page_caller(*MEETING_SCOPES),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
) -> HTMLResponse:
    meeting = queries.get_meeting(engine, meeting_id)
    if meeting is None or not who.sees(meeting["agency_id"]):
        raise ApiProblem("not_found")
    units, _ = queries.list_units(
        engine,
        agency_id=who.agency_id,
        meeting_id=meeting_id,
        model_version=deployed.model_version,
        limit=5000,
        offset=0,
    )
    return render(request, "meeting.html", who, meeting=meeting, units=units, taxonomy=deployed.taxonomy)


@router.get("/review")
def review_page(
    request: Request,
    who: page_caller(*REVIEW.scopes),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
) -> HTMLResponse:
    units, total = queries.list_units(
        engine,
        agency_id=who.agency_id,
        needs_review=True,
        model_version=deployed.model_version,
        order="uncertainty",
        limit=100,
        offset=0,
    )
    return render(request, "review.html", who, units=units, total=total, taxonomy=deployed.taxonomy)
