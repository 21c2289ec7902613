"""Files analysed in this process with one helper process beside Kiwi (``moksori analyze`` with two workers).

Kiwi's build and first analysis take about a second on one core, and its analysis of a long file then uses both. The
helper is forked before this process builds Kiwi, so everything that does not need Kiwi happens on the other core.
While Kiwi starts here, the helper resolves the batch's options (the settings, the pseudonym key, the model's
version: this process does not even import them before Kiwi has started), loads the classifiers and reads the
first files from their paths (parsing in its sandbox, masking personal data). Then, while Kiwi splits the following
speaker turns here, the units already found go out to the helper in chunks and it tags them (features,
classifiers, key phrases: Python work, which a thread could not do beside Kiwi: handing Kiwi's results over holds
the GIL). Files are read ahead, and the next file is split while the helper still tags this one, so a folder of
small files keeps both cores busy too. This process never loads the classifiers. Rows are the same as those of
:func:`analyzer.services.batch.analyse_file`: each text is tagged on its own, whatever its chunk, from the
morphemes Kiwi gave here.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.analyze import morphemes, process_morphology, read_document
from analyzer.errors import AnalyzerError
from analyzer.nlp.tokens import Morph
from analyzer.records import Document, Unit
from analyzer.segment import KiwiSentenceSplitter, segment_document
from analyzer.services.batch import BatchOptions, FileResult, Parts, Record
from analyzer.services.forked import ForkedPool, Partition
from analyzer.services.heap import settle

#: Units per chunk handed to the helper.
OVERLAP_UNITS = 400
#: Files read ahead of their split, and their bytes: at most this many.
READ_AHEAD, READ_AHEAD_BYTES = 64, 64 << 20
#: How long this process waits for the helper to take its first task before it starts Kiwi regardless.
DELIVERY_SECONDS = 10.0
#: The batch's options and what the caller renders rows with (the model's taxonomy), resolved in the helper while
#: Kiwi starts here; raises :class:`AnalyzerError` to refuse the batch (no model, a bad key).
Resolve = Callable[[], tuple[BatchOptions, Any]]
#: A file read by the helper: its masked document, or why it was refused.
Read = Document | AnalyzerError


class TaggingHelper:
    """The helper process of one batch: ``start`` forks it and starts Kiwi here, ``close`` stops it."""

    def __init__(self, *, chunk_units: int = OVERLAP_UNITS) -> None:
        #: The batch's options, once the helper has resolved them (see :meth:`start`).
        self.options: BatchOptions | None = None
        self.chunk_units = chunk_units
        #: Files read ahead of their split, at most.
        self.read_ahead = READ_AHEAD
        #: Set once Kiwi has started here: the helper then stops reading its first files (see :func:`prepare`).
        self.kiwi_started = Flag.new()
        #: Set by the helper once it has its first task: this process may then hold the GIL in Kiwi.
        self.delivered = Flag.new()
        self.stack = ExitStack()
        self.pool: ForkedPool | None = None
        #: Chunks handed to the helper so far.
        self.chunks = 0
        #: Files being read, not split yet, in the order they were given.
        self.waiting: deque[Reading] = deque()
        #: The first files the helper read while Kiwi started, by part key, until the batch reaches them.
        self.first: dict[str, Read] = {}

    def start(self, resolve: Resolve, threads: int, first: Sequence[Path] = (), parts: Parts | None = None) -> Any:
        """Fork the helper, which resolves the batch's options (*resolve*) and reads the files *first* (those
        without a finished part in *parts*) while this process builds Kiwi with *threads* threads; what *resolve*
        gave beside the options. Raises its :class:`AnalyzerError`."""
        if self.pool is not None:
            raise RuntimeError("the helper has started already")
        self.pool = self.stack.enter_context(ForkedPool(1))
        task = self.pool.submit(prepare, resolve, list(first), parts, self.kiwi_started, self.delivered, pure=False)
        self.delivered.wait(DELIVERY_SECONDS)  # Kiwi's build holds the GIL: the task must be on its way first
        process_morphology(threads)
        settle()
        self.kiwi_started.set()
        self.options, extra, self.first = task.result()
        return extra

    def read(self, name: str, data: bytes, key: str) -> Reading:
        """A file to read in the helper, ahead of its split (*key*: its part key, under which the helper may have
        read it already); ``result`` analyses it."""
        assert self.pool is not None, "start the helper first"
        reading = Reading(self, name, data)
        reading.document = self.first.pop(key, None)
        if reading.document is None:
            self._submit(reading)
        self.waiting.append(reading)
        return reading

    def full(self) -> bool:
        """Whether the files waiting to be split hold :data:`READ_AHEAD_BYTES` or more."""
        return sum(len(reading.data) for reading in self.waiting) >= READ_AHEAD_BYTES

    def _submit(self, reading: Reading) -> None:
        assert self.pool is not None
        reading.partition = self.pool.submit(read_masked, reading.name, reading.data, self.options, pure=False)

    def _read(self, reading: Reading) -> Read:
        """One file as the helper read it: while Kiwi started, or in its own task."""
        if reading.document is not None:
            return reading.document
        assert reading.partition is not None
        return reading.partition.result()

    def analyse(self, reading: Reading) -> FileResult:
        """One read file's rows. It is split here, and so is the next file waiting, before this file's tags are
        awaited: Kiwi splits the next file while the helper tags this one."""
        split = self._split(reading)
        if self.waiting:
            self._split(self.waiting[0])
        return split.rows() if isinstance(split, Split) else split

    def _split(self, reading: Reading) -> Split | FileResult:
        if reading.split is None:
            assert self.pool is not None and self.options is not None, "start the helper first"
            self.waiting.remove(reading)
            reading.split = self._split_now(reading, self.pool, self.options)
        return reading.split

    def _split_now(self, reading: Reading, pool: ForkedPool, options: BatchOptions) -> Split | FileResult:
        """Split one read file here by Kiwi, each speaker turn's units handed to the helper to tag meanwhile."""
        morphology = options.morphology()  # built by start
        read = self._read(reading)
        reading.data = b""  # read: its bytes are no longer needed here
        if isinstance(read, AnalyzerError):
            return FileResult(error=read)
        splitter = KiwiSentenceSplitter(morphology.kiwi, keep_tokens=True)
        partitions: list[Partition] = []
        pending: list[Unit] = []
        handed = 0

        def hand_over(units: list[Unit]) -> None:
            nonlocal handed
            texts = [unit.text for unit in units]
            morphs = morphemes(morphology, texts, splitter.tokens)
            partitions.append(pool.submit(tag_known, texts, morphs, options, pure=False))
            handed += len(units)
            self.chunks += 1

        def each_turn(units: list[Unit]) -> None:
            pending.extend(units)
            if len(pending) >= self.chunk_units:
                hand_over(pending)
                pending.clear()

        try:
            units = segment_document(read, splitter, None, each_turn).units
        except AnalyzerError as error:
            return FileResult(error=error)
        for start in range(handed, len(units), self.chunk_units):  # the last turns, or a survey's rows
            hand_over(units[start : start + self.chunk_units])
        return Split(read.format, units, partitions)

    def close(self) -> None:
        self.stack.close()
        self.kiwi_started.close()
        self.delivered.close()


@dataclass(eq=False)
class Reading:
    """One file being read in the helper; :meth:`result` analyses it (see :meth:`TaggingHelper.analyse`)."""

    helper: TaggingHelper
    name: str
    data: bytes
    #: The file as the helper read it while Kiwi started, else its own task.
    document: Read | None = None
    partition: Partition | None = None
    split: Split | FileResult | None = None

    def result(self) -> FileResult:
        return self.helper.analyse(self)


@dataclass(frozen=True)
class Split:
    """One file split here: its units and the helper's partitions tagging them, in order."""

    format: str
    units: list[Unit]
    partitions: list[Partition]

    def rows(self) -> FileResult:
        tags: list[Record] = [row for partition in self.partitions for row in partition.result()]
        rows = [{**unit.as_dict(), **tag} for unit, tag in zip(self.units, tags, strict=True)]
        return FileResult(self.format, rows)


@dataclass(frozen=True)
class Flag:
    """A flag raised once, seen by this process and the helper forked from it: a pipe with nothing read from it
    (raised: it holds a byte). The helper inherits both ends, so the flag travels with a task as two numbers; a
    ``multiprocessing.Event`` may only be inherited, never sent."""

    read_end: int
    write_end: int

    @classmethod
    def new(cls) -> Flag:
        return cls(*os.pipe())

    def set(self) -> None:
        if not self.is_set():
            os.write(self.write_end, b"1")

    def is_set(self) -> bool:
        return self.wait(0)

    def wait(self, seconds: float) -> bool:
        """Whether the flag is raised, waiting up to *seconds* for it."""
        return bool(select.select([self.read_end], [], [], seconds)[0])

    def close(self) -> None:
        for end in (self.read_end, self.write_end):
            with contextlib.suppress(OSError):
                os.close(end)


def prepare(
    resolve: Resolve, first: list[Path], parts: Parts | None, kiwi_started: Flag, delivered: Flag
) -> tuple[BatchOptions, Any, dict[str, Read]]:
    """In the helper, while Kiwi starts in the batch's process: the batch's options, what *resolve* gave beside
    them, and the files *first* read one after another (by their part keys) until Kiwi has started, at least one
    and at most :data:`READ_AHEAD_BYTES`. A file with a finished part, or that cannot be read, is left to the batch,
    which skips or refuses it. Kiwi's build and first analysis hold that process's GIL for seconds, and the pool
    hands tasks over through its threads, so files handed over one by one would wait until Kiwi has started."""
    delivered.set()
    options, extra = resolve()
    found: dict[str, Read] = {}
    size = 0
    for path in first:
        if (found and kiwi_started.is_set()) or size >= READ_AHEAD_BYTES:
            break
        try:
            data = path.read_bytes()
        except OSError:
            continue
        key = options.key(data)
        if parts is None or not parts.has(key):
            found[key] = read_masked(path.name, data, options)
            size += len(data)
    return options, extra, found


def read_masked(name: str, data: bytes, options: BatchOptions) -> Read:
    """In the helper: one file ingested (in the helper's sandboxed parser) and masked, or why it was refused."""
    try:
        parser = options.tagger().parser
        return read_document(name, data, options.pseudonym_key, survey=options.survey, server=parser)
    except AnalyzerError as error:
        return error


def tag_known(texts: list[str], morphs: dict[str, list[Morph]], options: BatchOptions) -> list[Record]:
    """In the helper: the tags of *texts* from their morphemes."""
    return options.tagger().tag_texts(texts, known=morphs)
