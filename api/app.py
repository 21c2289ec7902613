"""The FastAPI application factory: API under /api/v1, the Korean dashboard under /, docs self-hosted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import swagger_ui_bundle
from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from analyzer.services import heap
from analyzer.services.context import Context
from analyzer.settings import Settings
from analyzer.store.blobs import BlobStore
from analyzer.store.deletion import apply_retention
from api import problems
from api.body_limit import BodyLimitMiddleware
from api.dashboard import errors as dashboard_errors
from api.dashboard.followup import router as followup_router
from api.dashboard.routes import router as dashboard_router
from api.deps import single_valued_query
from api.routes import actions as action_routes
from api.routes import agencies, findings, health, keys, meetings, models, privacy, reference, reports, uploads
from api.routes import alerts as alert_routes
from api.security import SlidingWindow

API_PREFIX = problems.API_PREFIX
STATIC = Path(__file__).parent / "dashboard" / "static"
RETENTION_SWEEP_SECONDS = 3600
log = logging.getLogger("moksori.api")


async def _retention_loop(engine: Engine, blobs: BlobStore, days: int) -> None:
    """Apply the retention setting at start and then every hour (originals past it, files nobody points at)."""
    while True:
        try:
            removed = await run_in_threadpool(apply_retention, engine, blobs, days)
            if removed:
                log.info("retention: removed %s original files", removed)
        except Exception:
            log.exception("retention: sweep failed; retried in an hour")
        await asyncio.sleep(RETENTION_SWEEP_SECONDS)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; its :class:`~analyzer.services.context.Context` (engine, blob store, deployed-model watcher,
    caches) is made once in the lifespan. The deployed model version and its taxonomy are read per request
    (``api.deps.get_deployed``), so a deployment takes effect at once."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context = Context.open(settings)
        context.blobs.seal_plaintext()
        app.state.context = context
        retention = asyncio.create_task(_retention_loop(context.engine, context.blobs, settings.retention_days))
        app.state.upload_limit = SlidingWindow(settings.uploads_per_minute)
        app.state.failed_auth = SlidingWindow(settings.failed_auth_per_minute)
        every = settings.alert_interval_seconds
        alerting = asyncio.create_task(alert_routes.alert_loop(context, every)) if every > 0 else None
        heap.settle()
        yield
        if alerting:
            alerting.cancel()
        retention.cancel()
        context.close()

    app = FastAPI(
        title="목소리 (moksori) API",
        description="간담회 회의록·녹취록·설문에서 애로와 건의를 찾아 분류하고 모읍니다.",
        version="1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.settings = settings
    problems.install(app)
    dashboard_errors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes + 1024 * 1024)
    for module in (
        health,
        uploads,
        meetings,
        findings,
        reference,
        models,
        keys,
        privacy,
        agencies,
        action_routes,
        alert_routes,
        reports,
    ):
        app.include_router(module.router, prefix=API_PREFIX, dependencies=[Depends(single_valued_query)])
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="목소리 API 문서",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    app.include_router(dashboard_router)
    app.include_router(followup_router)
    return app
