"""One job's analysis, optionally in a forked child with a deadline, so CPU-bound work can be stopped.

Parsing already runs in a limited sandbox, but masking, segmenting and tagging run in Python and C extensions
that no signal interrupts. With a time limit the worker forks: the child shares the loaded model (nothing is
reloaded), analyses, and sends the rows back through a pipe; past the deadline the worker kills it and the job
fails with ``analysis_timeout``. Kiwi's thread pool does not survive a fork, so the child calls Kiwi one text at
a time.
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

from analyzer.analyze import Analysis, Analyzer
from analyzer.errors import AnalyzerError
from analyzer.ingest import SurveyColumns
from analyzer.records import Meeting
from analyzer.settings import Settings
from analyzer.store.jobs import Job
from analyzer.store.rows import meeting_updates, tagging_rows, unit_rows

log = logging.getLogger("moksori.worker")

#: The default time limit of one job's analysis, in seconds (``MOKSORI_JOB_TIMEOUT_SECONDS``).
JOB_TIMEOUT_SECONDS: float = Settings.model_fields["job_timeout_seconds"].default


@dataclass(frozen=True)
class Results:
    """Everything the worker writes for one job."""

    units: list[dict[str, Any]]
    taggings: list[dict[str, Any]]
    meeting: dict[str, str]
    document: dict[str, str]


class AnalysisCrashed(Exception):
    """The child failed with an exception other than :class:`AnalyzerError` (or died); *name* is its type."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def analyse(analyzer: Analyzer, job: Job, data: bytes) -> Results:
    """The whole analysis of one job's bytes, as the rows to store."""
    survey = SurveyColumns(answers=job.survey_columns) if job.survey_columns else None
    analysis = analyzer.analyze(job.filename, data, meeting=_meeting(job), sandbox=True, survey=survey)
    return Results(
        units=unit_rows(analysis.units, _keyphrases(analysis)),
        taggings=tagging_rows(analysis.tags),
        meeting=meeting_updates(analysis.meeting),
        document={"format": analysis.document.format, "encoding": analysis.document.encoding or ""},
    )


def analyse_within(analyzer: Analyzer, job: Job, data: bytes, seconds: float | None) -> Results:
    """:func:`analyse` in a forked child killed after *seconds* (``analysis_timeout``); in this process if
    *seconds* is ``None`` or not positive. Raises :class:`AnalyzerError` or :class:`AnalysisCrashed`."""
    if seconds is None or seconds <= 0:
        return analyse(analyzer, job, data)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, analyzer, job, data), name=f"job-{job.id}", daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise AnalyzerError("analysis_timeout", f"{seconds:g}초 초과")
        answer = receiver.recv()
    except EOFError as exc:
        raise AnalysisCrashed("ChildProcessError") from exc
    finally:
        child.kill()
        child.join()
        receiver.close()
    return _unpack(answer)


def _child(sender: Connection, analyzer: Analyzer, job: Job, data: bytes) -> None:
    """Child side: analyse and send ``("ok", Results)``, ``("refused", code, detail)`` or ``("crashed", name)``."""
    tokenizer = analyzer.nlp.tokenizer
    if hasattr(tokenizer, "kiwi"):
        tokenizer.kiwi = SerialKiwi(tokenizer.kiwi)
    answer: tuple[Any, ...]
    try:
        answer = ("ok", analyse(analyzer, job, data))
    except AnalyzerError as exc:
        answer = ("refused", exc.code, exc.detail)
    except Exception as exc:
        log.error("job %s: analysis failed\n%s", job.id, traceback.format_exc())
        answer = ("crashed", type(exc).__name__)
    sender.send(answer)
    sender.close()


def _unpack(answer: tuple[Any, ...]) -> Results:
    kind: Literal["ok", "refused", "crashed"] = answer[0]
    if kind == "ok":
        return answer[1]
    if kind == "refused":
        raise AnalyzerError(answer[1], answer[2])
    raise AnalysisCrashed(answer[1])


class SerialKiwi:
    """A Kiwi whose batch calls (an iterable of texts) analyse one text at a time on the calling thread."""

    def __init__(self, kiwi: Any) -> None:
        self._kiwi = kiwi

    def tokenize(self, text: str | Iterable[str], *args: Any, **kwargs: Any) -> Any:
        return self._each(self._kiwi.tokenize, text, args, kwargs)

    def split_into_sents(self, text: str | Iterable[str], *args: Any, **kwargs: Any) -> Any:
        return self._each(self._kiwi.split_into_sents, text, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kiwi, name)

    @staticmethod
    def _each(call: Callable[..., Any], text: str | Iterable[str], args: Any, kwargs: Any) -> Any:
        if isinstance(text, str):
            return call(text, *args, **kwargs)
        return _mapped(call, text, args, kwargs)


def _mapped(call: Callable[..., Any], texts: Iterable[str], args: Any, kwargs: Any) -> Iterator[Any]:
    for text in texts:
        yield call(text, *args, **kwargs)


def _meeting(job: Job) -> Meeting:
    fields = job.meeting
    kind: Literal["roundtable", "survey"] = "survey" if fields.get("kind") == "survey" else "roundtable"
    return Meeting(
        title=fields.get("title", ""),
        date=fields.get("date", ""),
        place=fields.get("place", ""),
        agency=fields.get("agency", ""),
        programme=fields.get("programme", ""),
        region=fields.get("region", ""),
        kind=kind,
    )


def _keyphrases(analysis: Analysis) -> list[list[str]]:
    """Key phrases per unit, as the analyzer's spaCy pipeline found them (the tags frame's ``keyphrases``)."""
    return [list(found) for found in analysis.tags["keyphrases"]]
