"""Batch analysis of many files: in this process, in local worker processes, or on a Dask distributed cluster.

The work is cut into partitions: one per file (read, mask, segment and tag), and for a file of more than
:data:`CHUNK_UNITS` units (a large survey, a long archive) the tagging goes out again in chunks of that many
units, so one big survey keeps every worker busy. Bytes travel to the workers with the task (the workers need not
see the client's disk); each worker process builds one :class:`~analyzer.analyze.Analyzer` and reuses it. A worker
that dies loses nothing: the scheduler runs its partitions again elsewhere. Finished files are kept as parts
(``<key>.jsonl``, the key is the file's sha256 with the model version and the options) in a folder beside the
output, so a re-run skips them.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from analyzer.analyze import Analyzer, process_analyzer, process_morphology
from analyzer.errors import AnalyzerError
from analyzer.ingest import SurveyColumns
from analyzer.records import json_lines
from analyzer.services.heap import settle

if TYPE_CHECKING:
    from analyzer.nlp.morphology import KiwiMorphology
    from analyzer.services.batch_helper import TaggingHelper

#: Units tagged by one partition; a file with more goes out again in chunks of this many.
CHUNK_UNITS = 1000
Record = dict[str, Any]


@dataclass(frozen=True)
class BatchOptions:
    """What every partition needs to rebuild the same analyzer in any process."""

    model_dir: str
    pseudonym_key: bytes
    model_version: str = ""
    survey: SurveyColumns | None = None
    threads: int = 2
    chunk_units: int = CHUNK_UNITS

    def analyzer(self) -> Analyzer:
        """This process's analyzer for these options, built once; the heap is then settled as a worker's is
        (:func:`analyzer.services.heap.settle`: what loading built is frozen out of the collector's walks)."""
        built = process_analyzer(self.model_dir, self.pseudonym_key, self.threads)
        settle()
        return built

    def tagger(self) -> Analyzer:
        """This process's analyzer without Kiwi: it reads files and tags texts whose morphemes it is given."""
        built = process_analyzer(self.model_dir, self.pseudonym_key, self.threads, kiwi=False)
        settle()
        return built

    def morphology(self) -> KiwiMorphology:
        """This process's Kiwi alone (a process that splits texts and leaves the rest to a helper)."""
        built = process_morphology(self.threads)
        settle()
        return built

    def key(self, data: bytes) -> str:
        """The part name of a file's results: its bytes, the model version and the options."""
        digest = hashlib.sha256(data)
        digest.update(f"{self.model_version}|{self.survey!r}".encode())
        return digest.hexdigest()


@dataclass
class FileResult:
    """One file's rows (unit fields plus tags), or its refusal."""

    format: str = ""
    records: list[Record] = field(default_factory=list)
    error: AnalyzerError | None = None
    skipped: bool = False


@dataclass(frozen=True)
class _Read:
    """A file read and segmented, too long to tag in one partition: units, texts and the splitter's morphemes."""

    format: str
    units: list[Record]
    chunks: list[tuple[list[str], dict[str, Any]]]


def analyse_file(name: str, data: bytes, options: BatchOptions) -> FileResult | _Read:
    """One file's partition: the whole analysis, or (more than :data:`CHUNK_UNITS` units) its units to tag."""
    analyzer = options.analyzer()
    try:
        document, _, units, known = analyzer.read_units(name, data, survey=options.survey)
    except AnalyzerError as error:
        return FileResult(error=error)
    rows = [unit.as_dict() for unit in units]
    texts = [unit.text for unit in units]
    if len(units) <= options.chunk_units:
        tags = analyzer.tag_texts(texts, known=known)
        return FileResult(document.format, [{**row, **tag} for row, tag in zip(rows, tags, strict=True)])
    chunks = []
    for start in range(0, len(texts), options.chunk_units):
        part = texts[start : start + options.chunk_units]
        chunks.append((part, {text: known[text] for text in part if text in known}))
    return _Read(document.format, rows, chunks)


def load_worker(options: BatchOptions) -> None:
    """Load this process's analyzer (before local workers are forked from it, so that they share it)."""
    options.analyzer()


def forked_worker(options: BatchOptions) -> None:
    """In a worker forked after :func:`load_worker`: Kiwi analyses in the calling thread (its worker threads did
    not survive the fork) and the worker gets its own sandboxed parser process."""
    analyzer = options.analyzer()
    analyzer.morphology.serial()
    if analyzer.parser is not None:
        analyzer.parser.start()


def tag_chunk(texts: list[str], known: dict[str, Any], options: BatchOptions) -> list[Record]:
    """One chunk's partition: the tags of *texts* (one row each)."""
    analyzer = options.analyzer()
    return analyzer.tag_texts(texts, known=known)


class Parts:
    """Finished files' rows in a folder, one JSON Lines file per key; written beside, then renamed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def has(self, key: str) -> bool:
        return (self.folder / f"{key}.jsonl").is_file()

    def get(self, key: str) -> FileResult | None:
        path = self.folder / f"{key}.jsonl"
        if not path.is_file():
            return None
        lines = path.read_text(encoding="utf-8").splitlines()
        head = orjson.loads(lines[0])
        return FileResult(head["format"], [orjson.loads(line) for line in lines[1:]], skipped=True)

    def put(self, key: str, result: FileResult) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.partial"
        with tmp.open("wb") as handle:
            handle.writelines(json_lines(chain([{"format": result.format}], result.records)))
        tmp.replace(self.folder / f"{key}.jsonl")


#: A file's name and how to read its bytes (raising :class:`AnalyzerError` to refuse it).
Source = tuple[str, Callable[[], bytes]]


def analyse_files(
    files: Sequence[Source],
    options: BatchOptions,
    *,
    parts: Parts | None = None,
    executor: Any = None,
    helper: TaggingHelper | None = None,
) -> Iterator[FileResult]:
    """The result of every file, in the given order, as each becomes ready.

    *executor* is ``None`` (this process, one file after another) or anything with Dask's ``submit`` and
    ``gather`` (a ``distributed.Client``), which gets a window of files ahead of the one awaited, so that bytes
    are read, and held, only for the files in flight. With no executor, a *helper* reads each file and tags its
    units beside Kiwi (:mod:`analyzer.services.batch_helper`), the next files read while this one is split."""
    window = 4 * max(1, _workers(executor)) if executor is not None else helper.read_ahead if helper else 1
    sources = iter(files)
    start = partial(_start, options=options, parts=parts, executor=executor, helper=helper)
    queue: deque[tuple[str, Any]] = deque()

    def fill() -> None:
        while len(queue) < window and not (helper is not None and helper.full()):
            source = next(sources, None)
            if source is None:
                return
            queue.append(start(source))

    fill()
    while queue:
        key, item = queue.popleft()
        fill()
        if isinstance(item, tuple):
            found = analyse_file(item[0], item[1], options)
        else:
            found = item if isinstance(item, FileResult) else item.result()
        if isinstance(found, _Read):
            found = _tag_chunks(found, options, executor)
        if parts is not None and key and found.error is None and not found.skipped:
            parts.put(key, found)
        yield found


def _start(
    source: Source, options: BatchOptions, parts: Parts | None, executor: Any, helper: TaggingHelper | None
) -> tuple[str, Any]:
    """Read one file and start its partition: ``(key, finished result | (name, bytes) | future | reading)``."""
    name, load = source
    try:
        data = load()
    except AnalyzerError as error:
        return "", FileResult(error=error)
    key = options.key(data)
    done = parts.get(key) if parts is not None else None
    if done is not None:
        return key, done
    if executor is not None:
        return key, executor.submit(analyse_file, name, data, options, pure=False)
    if helper is not None:
        return key, helper.read(name, data, key)
    return key, (name, data)


def _workers(executor: Any) -> int:
    try:
        return len(executor.scheduler_info()["workers"])
    except (AttributeError, KeyError, TypeError):
        return 1


def _tag_chunks(read: _Read, options: BatchOptions, executor: Any) -> FileResult:
    if executor is None:
        tags = [tag_chunk(texts, known, options) for texts, known in read.chunks]
    else:
        tags = executor.gather([executor.submit(tag_chunk, t, k, options, pure=False) for t, k in read.chunks])
    rows = [tag for chunk in tags for tag in chunk]
    return FileResult(read.format, [{**unit, **tag} for unit, tag in zip(read.units, rows, strict=True)])
