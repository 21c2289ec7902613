"""Files analysed in this process with one helper process beside Kiwi (``moksori analyze`` with two workers).

Kiwi's build and first analysis take about a second on one core, and its analysis of a long file then uses both. The
helper is forked before this process builds Kiwi, so everything that does not need Kiwi happens on the other core:
the helper loads the classifiers and reads the files (parsing in its sandbox, masking personal data) while Kiwi
starts here; then, while Kiwi splits the following speaker turns here, the units already found go out to the
helper in chunks and it tags them (features, classifiers, key phrases: Python work, which a thread could not do
beside Kiwi: handing Kiwi's results over holds the GIL). Files are read ahead (those already waiting when the
helper starts in one batch, while Kiwi starts), and the next file is split while the helper still tags this one, so
a folder of small files keeps both cores busy too. This process never loads the classifiers. Rows are the same as
those of :func:`analyzer.services.batch.analyse_file`: each text is tagged on its own, whatever its chunk, from the
morphemes Kiwi gave here.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass

from analyzer.analyze import morphemes, read_document
from analyzer.errors import AnalyzerError
from analyzer.nlp.tokens import Morph
from analyzer.records import Document, Unit
from analyzer.segment import KiwiSentenceSplitter, segment_document
from analyzer.services.batch import BatchOptions, FileResult, Record
from analyzer.services.forked import ForkedPool, Partition

#: Units per chunk handed to the helper.
OVERLAP_UNITS = 400
#: Files read ahead of their split, and their bytes: at most this many.
READ_AHEAD, READ_AHEAD_BYTES = 64, 64 << 20
#: How long this process waits for the helper to take its first batch before it starts Kiwi regardless.
DELIVERY_SECONDS = 10.0


class TaggingHelper:
    """The helper process of one batch, forked at the first split; ``close`` stops it."""

    def __init__(self, options: BatchOptions, *, chunk_units: int = OVERLAP_UNITS) -> None:
        self.options = options
        self.chunk_units = chunk_units
        #: Files read ahead of their split, at most.
        self.read_ahead = READ_AHEAD
        #: Set once Kiwi has started here: the helper's first batch of files then ends (see :func:`read_first`).
        self.kiwi_started = Flag.new()
        #: Set by the helper once it has its first batch: this process may then hold the GIL in Kiwi.
        self.delivered = Flag.new()
        self.stack = ExitStack()
        self.pool: ForkedPool | None = None
        #: Chunks handed to the helper so far.
        self.chunks = 0
        #: Files being read, not split yet, in the order they were given.
        self.waiting: deque[Reading] = deque()

    def start(self) -> ForkedPool:
        """The helper, forked at the first split; the files waiting then go to it as one batch (see
        :func:`read_first`), and this process waits until the helper has it before it starts Kiwi."""
        if self.pool is None:
            self.pool = self.stack.enter_context(ForkedPool(1))
            first = list(self.waiting)
            items = [(reading.name, reading.data) for reading in first]
            batch = self.pool.submit(read_first, items, self.options, self.kiwi_started, self.delivered, pure=False)
            for at, reading in enumerate(first):
                reading.batch = (batch, at)
            self.delivered.wait(DELIVERY_SECONDS)
        return self.pool

    def read(self, name: str, data: bytes) -> Reading:
        """A file to read in the helper, ahead of its split; ``result`` analyses it."""
        reading = Reading(self, name, data)
        self.waiting.append(reading)
        if self.pool is not None:
            self._submit(reading)
        return reading

    def full(self) -> bool:
        """Whether the files waiting to be split hold :data:`READ_AHEAD_BYTES` or more."""
        return sum(len(reading.data) for reading in self.waiting) >= READ_AHEAD_BYTES

    def _submit(self, reading: Reading) -> None:
        assert self.pool is not None
        reading.partition = self.pool.submit(read_masked, reading.name, reading.data, self.options, pure=False)

    def _read(self, reading: Reading) -> Document | AnalyzerError:
        """One file as the helper read it: from the first batch if the batch got that far, else from its own task
        (the files the first batch did not reach are all given theirs once it returns)."""
        if reading.batch is not None:
            batch, at = reading.batch
            found: list[Document | AnalyzerError] = batch.result()
            for other in (reading, *self.waiting):
                if other.batch is not None and other.batch[0] is batch and other.batch[1] >= len(found):
                    other.batch = None
                    self._submit(other)
            if reading.batch is not None:
                reading.batch = None
                return found[at]
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
            pool = self.start()
            self.waiting.remove(reading)
            reading.split = self._split_now(reading, pool)
        return reading.split

    def _split_now(self, reading: Reading, pool: ForkedPool) -> Split | FileResult:
        """Split one read file here by Kiwi, each speaker turn's units handed to the helper to tag meanwhile."""
        options = self.options
        morphology = options.morphology()  # the first file: Kiwi starts here while the helper reads the files
        self.kiwi_started.set()
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
    #: The helper's first batch and this file's place in it, or (after it) the file's own task.
    batch: tuple[Partition, int] | None = None
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


def read_first(
    items: list[tuple[str, bytes]], options: BatchOptions, kiwi_started: Flag, delivered: Flag
) -> list[Document | AnalyzerError]:
    """In the helper: the files waiting when it was forked, read one after another while Kiwi starts in the batch's
    process, at least one. Kiwi's build and first analysis hold that process's GIL for seconds, and the pool hands
    tasks over through its threads, so files handed over one by one would wait until Kiwi has started."""
    delivered.set()
    found: list[Document | AnalyzerError] = []
    for name, data in items:
        if found and kiwi_started.is_set():
            break
        found.append(read_masked(name, data, options))
    return found


def read_masked(name: str, data: bytes, options: BatchOptions) -> Document | AnalyzerError:
    """In the helper: one file ingested (in the helper's sandboxed parser) and masked, or why it was refused."""
    try:
        parser = options.tagger().parser
        return read_document(name, data, options.pseudonym_key, survey=options.survey, server=parser)
    except AnalyzerError as error:
        return error


def tag_known(texts: list[str], morphs: dict[str, list[Morph]], options: BatchOptions) -> list[Record]:
    """In the helper: the tags of *texts* from their morphemes."""
    return options.tagger().tag_texts(texts, known=morphs)
