"""Many files in one run: each read or refused on its own, a progress bar, rows out, a Korean summary at the end."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from analyzer.cli.context import refusal_text
from analyzer.cli.inputs import Input, read_bytes
from analyzer.cli.outfile import RowSink, out_sink
from analyzer.cli.output import file_heading, summary_lines
from analyzer.errors import AnalyzerError
from analyzer.records import json_line

if TYPE_CHECKING:
    from analyzer.services.batch import Parts
    from analyzer.services.batch_helper import TaggingHelper
    from analyzer.services.cluster import Plan
    from analyzer.taxonomy import Taxonomy

Record = Mapping[str, Any]
#: ``(file name, bytes) -> (format, records)``; raises :class:`AnalyzerError` to refuse the file.
Process = Callable[[str, bytes], tuple[str, list[Record]]]
#: Records of one file -> the lines of its plain table.
Render = Callable[[Sequence[Record]], list[str]]
#: Every input -> its ``(format, records)`` or refusal, in the same order (a batch analysed elsewhere).
Mapper = Callable[[Sequence[Input]], Iterator[tuple[str, list[Record]] | AnalyzerError]]


@dataclass
class Tally:
    """What a batch read: files seen, units, units needing review, and refused files with their codes."""

    files: int = 0
    units: int = 0
    needs_review: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self, with_review: bool) -> dict[str, object]:
        found: dict[str, object] = {"files": self.files, "read": self.files - len(self.refused), "units": self.units}
        if with_review:
            found["needs_review"] = self.needs_review
        found["refused"] = [{"file": name, "code": code} for name, code in self.refused]
        return found


def _write(line: str, err: bool = False) -> None:
    from tqdm import tqdm

    tqdm.write(line, file=sys.stderr if err else sys.stdout)


def refuse(error: AnalyzerError, subject: str, as_json: bool) -> None:
    """Report a refusal on standard error: Korean text, or a JSON object with ``--json``."""
    if as_json:
        where = {"file": subject} if subject else {}
        _write(json.dumps({**where, **error.as_dict()}, ensure_ascii=False), err=True)
    else:
        _write(refusal_text(error, subject), err=True)


def fail_batch(error: AnalyzerError, as_json: bool) -> typer.Exit:
    """Report a refusal of the whole command (bad ``--out``, no model); the caller raises what it returns."""
    refuse(error, "", as_json)
    return typer.Exit(code=2)


def serial(process: Process) -> Mapper:
    """A mapper that reads and processes one input after another in this process."""

    def run(inputs: Sequence[Input]) -> Iterator[tuple[str, list[Record]] | AnalyzerError]:
        for item in inputs:
            try:
                yield process(item.path.name, _read_input(item))
            except AnalyzerError as error:
                yield error

    return run


def parts_for(out: Path | None) -> Parts | None:
    """Where a batch keeps its finished files: ``.<out name>.parts`` beside *out* (none without ``--out``)."""
    from analyzer.services.batch import Parts

    return Parts(out.with_name(f".{out.name}.parts")) if out is not None else None


def batch_mapper(
    options: Any, out: Path | None, where: Plan, scheduler: str | None, helper: TaggingHelper | None = None
) -> Mapper:
    """A mapper running :func:`analyzer.services.batch.analyse_files` here (alone or with *helper*, started), on
    local workers or on a cluster, as *where* says; with *out*, finished files are kept beside it
    (:func:`parts_for`) and skipped by a re-run."""
    from analyzer.services.batch import analyse_files
    from analyzer.services.cluster import executor

    parts = parts_for(out)

    def run(inputs: Sequence[Input]) -> Iterator[tuple[str, list[Record]] | AnalyzerError]:
        files = [(item.path.name, partial(_read_input, item)) for item in inputs]
        with executor(where.workers, scheduler, **_forking(options)) as client:
            for result in analyse_files(files, options, parts=parts, executor=client, helper=helper):
                yield result.error if result.error is not None else (result.format, list(result.records))

    return run


def store_mapper(options: Any, settings: Any, agency: str, workers: int, scheduler: str | None) -> Mapper:
    """A mapper uploading the files into the store and running their jobs as the service's worker does
    (:func:`analyzer.services.batch_store.store_files`)."""
    from analyzer.services.batch_store import store_files
    from analyzer.services.cluster import executor
    from analyzer.services.context import Context

    def run(inputs: Sequence[Input]) -> Iterator[tuple[str, list[Record]] | AnalyzerError]:
        files = [(item.path.name, partial(_read_input, item)) for item in inputs]
        with Context.open(settings) as context, executor(workers, scheduler, **_forking(options)) as client:
            for result in store_files(context, files, options, agency=agency, workers=workers, executor=client):
                yield result.error if result.error is not None else (result.format, list(result.records))

    return run


def _forking(options: Any) -> dict[str, Any]:
    """Local workers are forked once this process has loaded the analyzer (see ``executor``)."""
    from analyzer.services.batch import forked_worker, load_worker

    return {"prepare": partial(load_worker, options), "after_fork": partial(forked_worker, options)}


def _read_input(item: Input) -> bytes:
    if item.error is not None:
        raise item.error
    return read_bytes(item.path)


def run_batch(
    inputs: Sequence[Input],
    process: Process | Mapper,
    render: Render,
    *,
    as_json: bool,
    out: Path | None,
    taxonomy: Taxonomy | None = None,
    mapped: bool = False,
) -> None:
    """Process every file of *inputs* (:func:`analyzer.cli.inputs.expand`; with *mapped*, *process* is a
    :data:`Mapper` taking them all at once, e.g. on a cluster); rows go to ``--out`` when given, else to standard
    output.

    Exits with status 0 when every file was read, 2 when any was refused.
    """
    from tqdm import tqdm

    tally = Tally(files=len(inputs))
    mapper: Mapper = process if mapped else serial(process)  # type: ignore[assignment,arg-type]
    try:
        sink_context = out_sink(out, taxonomy) if out is not None else nullcontext(None)
        with sink_context as sink:
            bar = tqdm(total=len(inputs), desc="파일", unit="개", file=sys.stderr, disable=True if as_json else None)
            for item, outcome in zip(inputs, mapper(inputs), strict=True):
                bar.update()
                name = str(item.path)
                if isinstance(outcome, AnalyzerError):
                    tally.refused.append((name, outcome.code))
                    refuse(outcome, name, as_json)
                    continue
                fmt, records = outcome
                records = [{"file": name, **record} for record in records]
                tally.units += _unit_count(records)
                tally.needs_review += sum(bool(record.get("needs_review")) for record in records)
                _emit(records, name, fmt, render, as_json, sink)
            bar.close()
    except AnalyzerError as error:
        raise fail_batch(error, as_json) from error
    with_review = taxonomy is not None
    if as_json:
        _write(json.dumps({"summary": tally.as_dict(with_review)}, ensure_ascii=False), err=True)
    else:
        for line in summary_lines(tally.files, tally.units, tally.needs_review if with_review else None, tally.refused):
            _write(line, err=True)
    raise typer.Exit(code=2 if tally.refused else 0)


def _emit(records: list[Record], name: str, fmt: str, render: Render, as_json: bool, sink: RowSink | None) -> None:
    if sink is not None:
        sink.write(records)
    elif as_json:
        for record in records:
            _write(json_line(record))
    else:
        _write(file_heading(name, fmt, _unit_count(records)))
        for line in render(records) if records else []:
            _write(line)
        _write("")


def _unit_count(records: Sequence[Record]) -> int:
    """Units among *records* (``--show-skipped`` adds rows that are not units)."""
    return sum(record.get("unit_kind") != "skipped" for record in records)
