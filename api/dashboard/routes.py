"""The Korean dashboard: server-rendered pages (Jinja2, autoescaped) over the same data as the API."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.security import SecurityScopes
from fastapi.templating import Jinja2Templates

from analyzer.store import queries
from api.dashboard.charts import bar_chart, sparkline
from api.deps import DeployedDep, EngineDep
from api.params import RowId
from api.problems import ApiProblem
from api.routes.findings import FiltersDep, compute
from api.security import COOKIE, Caller, caller

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(bar_chart=bar_chart, sparkline=sparkline)
KIND_LABELS = {"pain_point": "애로", "request": "건의", "positive": "긍정", "neutral": "기타"}


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""


def page_caller(*scopes: str) -> Any:
    def dependency(request: Request, engine: EngineDep) -> Caller:
        try:
            return caller(SecurityScopes(list(scopes)), request, engine, None, None, request.cookies.get(COOKIE))
        except ApiProblem as problem:
            if problem.code in {"unauthorized", "rate_limited"}:
                raise LoginRequired from problem
            raise

    dependency.required_scopes = scopes  # type: ignore[attr-defined]
    return Annotated[Caller, Depends(dependency)]


def _render(request: Request, name: str, who: Caller, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"who": who, "kinds": KIND_LABELS, **context})


@router.get("/login")
def login_page(request: Request, error: str = "") -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"error": error})


@router.post("/login")
def login(request: Request, engine: EngineDep, key: Annotated[str, Form()]) -> Response:
    try:
        caller(SecurityScopes([]), request, engine, None, key.strip(), None)
    except ApiProblem as problem:
        return RedirectResponse(f"/login?error={problem.code}", status_code=303)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/fonts/NanumGothic.ttf")
def font() -> FileResponse:
    path = resources.files("analyzer").joinpath("data/fonts/NanumGothic.ttf")
    return FileResponse(str(path), media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})


@router.get("/")
def overview(
    request: Request,
    who: page_caller("findings:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> HTMLResponse:
    result = compute(who, engine, deployed, chosen, request.app.state.findings_cache)
    return _render(
        request,
        "overview.html",
        who,
        findings=result,
        chosen=chosen,
        query=str(request.url.query),
        taxonomy=deployed.taxonomy,
    )


@router.get("/upload")
def upload_page(request: Request, who: page_caller("upload")) -> HTMLResponse:  # type: ignore[valid-type]
    return _render(request, "upload.html", who)


@router.get("/meetings")
def meetings_page(request: Request, who: page_caller("meetings:read"), engine: EngineDep) -> HTMLResponse:  # type: ignore[valid-type]
    rows, total = queries.list_meetings(engine, who.agency_id, 200, 0)
    return _render(request, "meetings.html", who, meetings=rows, total=total)


@router.get("/meetings/{meeting_id}")
def meeting_page(
    request: Request,
    meeting_id: RowId,
    who: page_caller("meetings:read", "units:read"),  # type: ignore[valid-type]
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
    return _render(request, "meeting.html", who, meeting=meeting, units=units, taxonomy=deployed.taxonomy)


@router.get("/review")
def review_page(
    request: Request,
    who: page_caller("units:read", "corrections:write"),  # type: ignore[valid-type]
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
    return _render(request, "review.html", who, units=units, total=total, taxonomy=deployed.taxonomy)
