"""What one process builds once and every use case receives: settings, database, blob store, models, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from analyzer.secrets import private_dir
from analyzer.services.cache import Latest, LruCache, Once
from analyzer.services.deployed import Deployed, DeployedWatcher
from analyzer.settings import Settings
from analyzer.store.blobs import BlobStore
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.store.summary_read import SummaryTables

#: Findings answers kept per process (agency × filters × data version × model version).
FINDINGS_KEPT = 64
#: Findings computed at once per process (more wait their turn): twenty at once hold the GIL in turns, so a write
#: in the same process (a correction rebuilding its summary rows, holding SQLite's write lock) got a twenty-first of
#: it and held the lock past other writers' busy timeout.
FINDINGS_COMPUTING = 2


@dataclass
class Context:
    """The heavy, shared objects of one process; build it with :meth:`open`, release it with :meth:`close`."""

    settings: Settings
    engine: Engine
    blobs: BlobStore
    watcher: DeployedWatcher
    findings_cache: LruCache[dict[str, Any]] = field(
        default_factory=lambda: LruCache(FINDINGS_KEPT, computing=FINDINGS_COMPUTING)
    )
    summaries: Latest[SummaryTables] = field(default_factory=Latest)
    evaluation_frame: Once[pd.DataFrame] = field(default_factory=Once)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        upgrade: bool = True,
        database_url: str | None = None,
        key_file: Path | None = None,
        models_root: Path | None = None,
        follow_seconds: float = 0.0,
    ) -> Context:
        """Create the data folder, connect (and migrate unless *upgrade* is false), open the encrypted blob store
        and the deployed-model watcher; the keyword arguments override the settings (worker options)."""
        private_dir(settings.data_dir)
        engine = make_engine(database_url or settings.effective_database_url)
        try:
            if upgrade:
                migrate(engine)
            blobs = BlobStore.open(settings.data_dir / "blobs", key_file or settings.blob_key_path)
        except BaseException:
            engine.dispose()
            raise
        watcher = DeployedWatcher(models_root or settings.effective_models_root, follow_seconds)
        return cls(settings=settings, engine=engine, blobs=blobs, watcher=watcher)

    @property
    def models_root(self) -> Path:
        return self.watcher.root

    def deployed(self) -> Deployed:
        """The deployed model version and its taxonomy (``model_not_found`` when the pointer is bad)."""
        return self.watcher.current()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
