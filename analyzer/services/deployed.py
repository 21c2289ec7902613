"""The one reader of the deployed-model pointer, shared by the app, the worker and the CLI.

:class:`DeployedWatcher` reads ``deployed.json`` of a models root (falling back to the shipped models, see
:mod:`analyzer.classify.registry`) at most every *interval* seconds. Every failure has one behaviour: a missing,
unreadable or malformed pointer, or a pointer to a version that does not exist, raises
``AnalyzerError("model_not_found")``. Each version's taxonomy is read once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analyzer.classify import registry
from analyzer.classify.model_files import model_taxonomy
from analyzer.errors import AnalyzerError
from analyzer.services.cache import LruCache
from analyzer.taxonomy import Taxonomy

#: Taxonomies kept per watcher (one per model version seen).
TAXONOMIES_KEPT = 8


@dataclass(frozen=True)
class Deployed:
    """The deployed model version, its directory and the taxonomy it was trained on."""

    model_version: str
    taxonomy: Taxonomy
    directory: Path


class DeployedWatcher:
    """Follows the deployed pointer of *root*; re-reads it when *interval* seconds have passed (0: every call)."""

    def __init__(self, root: Path, interval: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.root = Path(root)
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._last: Deployed | None = None
        self._taxonomies: LruCache[Taxonomy] = LruCache(TAXONOMIES_KEPT)

    def directory(self) -> Path:
        """The deployed version's directory, read now; ``model_not_found`` when there is none."""
        found = registry.pointer(self.root)
        if found is None:
            raise AnalyzerError("model_not_found", str(self.root / registry.DEPLOYED_FILE))
        return registry.version_dir(self.root, *found)

    def current(self) -> Deployed:
        """The deployed version: read again when the interval has passed, else the last one read."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._checked < self.interval:
                return self._last
        directory = self.directory()
        version = f"{directory.parent.name}/{directory.name}"
        taxonomy = self._taxonomies.get(version, lambda: model_taxonomy(directory))
        deployed = Deployed(model_version=version, taxonomy=taxonomy, directory=directory)
        with self._lock:
            self._last, self._checked = deployed, now
        return deployed
