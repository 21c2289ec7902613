"""The dashboard's Jinja2 environment (autoescaped) and how a page is rendered for a caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.dashboard import navigation
from api.dashboard.charts import bar_chart, sparkline
from api.security import Caller

KIND_LABELS = {"pain_point": "애로", "request": "건의", "positive": "긍정", "neutral": "기타"}
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(
    bar_chart=bar_chart,
    sparkline=sparkline,
    navigation=navigation.navigation,
    may=navigation.may,
    role_labels=navigation.ROLE_LABELS,
    meeting_scopes=navigation.MEETING_SCOPES,
)


def render(request: Request, name: str, who: Caller | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template *name* for *who* (``None``: no session; the header then shows no links)."""
    return templates.TemplateResponse(
        request, name, {"who": who, "kinds": KIND_LABELS, **context}, status_code=status_code
    )
