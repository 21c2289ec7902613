"""Files analysed in this process with one helper process beside Kiwi (``moksori analyze`` with one worker).

Kiwi's build and first analysis take seconds on one core, and its analysis of a long file then uses both. The
helper is forked before this process builds Kiwi, so everything that does not need Kiwi happens on the other core:
the helper loads the classifiers and reads each file (parsing in its sandbox, masking personal data) while Kiwi
starts here; then, while Kiwi splits the following speaker turns here, the units already found go out to the
helper in chunks and it tags them (features, classifiers, key phrases: Python work, which a thread could not do
beside Kiwi: handing Kiwi's results over holds the GIL). This process never loads the classifiers. Rows are the
same as those of :func:`analyzer.services.batch.analyse_file`: each text is tagged on its own, whatever its chunk,
from the morphemes Kiwi gave here.
"""

from __future__ import annotations

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


class TaggingHelper:
    """The helper process of one batch, forked at the first file; ``close`` stops it."""

    def __init__(self, options: BatchOptions, *, chunk_units: int = OVERLAP_UNITS) -> None:
        self.options = options
        self.chunk_units = chunk_units
        self.stack = ExitStack()
        self.pool: ForkedPool | None = None
        #: Chunks handed to the helper so far.
        self.chunks = 0

    def start(self) -> ForkedPool:
        if self.pool is None:
            self.pool = self.stack.enter_context(ForkedPool(1))
        return self.pool

    def read(self, name: str, data: bytes) -> Reading:
        """Start reading one file in the helper (before this process needs it); ``result`` analyses it."""
        return Reading(self, self.start().submit(read_masked, name, data, self.options, pure=False))

    def analyse(self, reading: Partition) -> FileResult:
        """One read file's rows: split here by Kiwi, each speaker turn's units tagged in the helper meanwhile."""
        options, pool = self.options, self.start()
        morphology = options.morphology()  # the first file: Kiwi starts here while the helper reads the file
        read = reading.result()
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
        tags: list[Record] = [row for partition in partitions for row in partition.result()]
        rows = [{**unit.as_dict(), **tag} for unit, tag in zip(units, tags, strict=True)]
        return FileResult(read.format, rows)

    def close(self) -> None:
        self.stack.close()


@dataclass(frozen=True)
class Reading:
    """One file being read in the helper; :meth:`result` analyses it (see :meth:`TaggingHelper.analyse`)."""

    helper: TaggingHelper
    partition: Partition

    def result(self) -> FileResult:
        return self.helper.analyse(self.partition)


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
