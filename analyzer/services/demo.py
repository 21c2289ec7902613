"""The samples end to end in a throwaway data folder: upload, analyse, findings (what ``moksori demo`` shows)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.analyze import Analyzer
from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.services.findings import FindingFilters, findings, top_categories
from analyzer.services.runs import drain
from analyzer.services.samples import load_samples
from analyzer.settings import Settings
from analyzer.store import jobs


@dataclass(frozen=True)
class DemoResult:
    """What the demo found: the model used, the job counts and the findings' top categories."""

    model_version: str
    jobs: dict[str, int]
    top: list[dict[str, Any]]
    by_category: dict[str, Any]


def run_demo(settings: Settings, model: Path | None = None, limit: int = 8) -> DemoResult:
    """Load the samples into a new, throwaway database and blob store through the services, run their jobs here,
    and answer with the findings service (the numbers the API and the dashboard give for the same data). The
    model is *model*, else the one deployed in the settings' models root."""
    with tempfile.TemporaryDirectory(prefix="moksori-demo-") as scratch:
        folder = Path(scratch)
        throwaway = settings.model_copy(
            update={"data_dir": folder / "data", "database_url": f"sqlite:///{folder / 'demo.db'}", "key_dir": folder}
        )
        with Context.open(throwaway, models_root=settings.effective_models_root) as context:
            directory = model or context.watcher.directory()
            analyzer = Analyzer.load(directory, settings.pseudonym_key("cli"))
            version = analyzer.tagger.model_version
            load_samples(context, version)
            drain(context.engine, context.blobs, analyzer)
            deployed = Deployed(model_version=version, taxonomy=analyzer.taxonomy, directory=directory)
            result = findings(context, None, FindingFilters(), deployed)
            return DemoResult(
                model_version=version,
                jobs=jobs.counts(context.engine, version),
                top=top_categories(result, limit),
                by_category=result["by_category"],
            )
