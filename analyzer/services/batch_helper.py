"""Tagging beside Kiwi for a long file analysed in this process (``moksori analyze`` with one worker).

While Kiwi splits the following speaker turns here, the units already found go out in chunks to one helper
process forked from this one, which tags them (features, classifiers, key phrases: Python work). A thread would
not help: handing Kiwi's results over holds the GIL most of the time. The helper is forked once, between files
(never while Kiwi is analysing), after the model and Kiwi are loaded, so it loads nothing. Rows are the same as
those of :func:`analyzer.services.batch.analyse_file`: each text is tagged on its own, whatever its chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from functools import partial
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.records import Unit
from analyzer.services.batch import BatchOptions, FileResult, Record, load_worker, tag_chunk
from analyzer.services.forked import ForkedPool, Partition, can_fork

#: Units per chunk handed to the helper.
OVERLAP_UNITS = 800
#: Files smaller than this are tagged here only: the hand-over would cost more than it saves.
OVERLAP_BYTES = 100_000


class TaggingHelper:
    """The helper process of one batch, forked at the first file that needs it; ``close`` stops it."""

    def __init__(
        self, options: BatchOptions, *, min_bytes: int = OVERLAP_BYTES, chunk_units: int = OVERLAP_UNITS
    ) -> None:
        self.options = options
        self.min_bytes, self.chunk_units = min_bytes, chunk_units
        self.stack = ExitStack()
        self.pool: ForkedPool | None = None
        #: Chunks handed to the helper so far.
        self.chunks = 0

    def wanted(self, data: bytes) -> bool:
        return len(data) >= self.min_bytes and can_fork()

    def start(self) -> ForkedPool:
        if self.pool is None:
            options = self.options
            pool = self.stack.enter_context(ForkedPool(1, partial(load_worker, options), partial(_serial, options)))
            pool.submit(load_worker, options).result()  # fork now, while Kiwi is idle
            self.pool = pool
        return self.pool

    def analyse(self, name: str, data: bytes) -> FileResult:
        """One file's rows, its units tagged in the helper as Kiwi finds them (the rest here at the end)."""
        options = self.options
        pool = self.start()
        analyzer = options.analyzer()
        pending: list[Unit] = []
        partitions: list[Partition] = []

        def each_turn(units: list[Unit], known: Mapping[str, Any]) -> None:
            pending.extend(units)
            if len(pending) >= self.chunk_units:
                texts = [unit.text for unit in pending]
                morphs = {text: known[text] for text in texts if text in known}
                partitions.append(pool.submit(tag_chunk, texts, morphs, options, pure=False))
                self.chunks += 1
                pending.clear()

        try:
            document, _, units, known = analyzer.read_units(name, data, survey=options.survey, each_turn=each_turn)
        except AnalyzerError as error:
            for partition in partitions:
                partition.result()
            return FileResult(error=error)
        tags: list[Record] = [row for partition in partitions for row in partition.result()]
        rest = [unit.text for unit in units[len(tags) :]]
        if rest:
            tags += analyzer.tag_texts(rest, known=known)
        rows = [{**unit.as_dict(), **tag} for unit, tag in zip(units, tags, strict=True)]
        return FileResult(document.format, rows)

    def close(self) -> None:
        self.stack.close()


def _serial(options: BatchOptions) -> None:
    """In the forked helper: Kiwi (only for texts without the splitter's morphemes) runs in the calling thread."""
    options.analyzer().morphology.serial()
