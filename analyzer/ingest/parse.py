"""Dispatch the bytes of a sniffed file to its parser; whatever a library raises becomes a catalogue code."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from analyzer.errors import AnalyzerError
from analyzer.ingest.survey import SurveyColumns
from analyzer.records import Block


@dataclass(frozen=True, slots=True)
class Parsed:
    """The blocks of a file and, for TXT and CSV, the encoding it was read with."""

    blocks: tuple[Block, ...]
    encoding: str | None = None


@contextmanager
def library_errors(what: str) -> Iterator[None]:
    """Let :class:`AnalyzerError` through and turn anything else a library raises into a catalogue code:
    ``resource_limit`` for ``MemoryError``, ``corrupt_file`` otherwise. Library warnings are silenced:
    they report malformed parts that were skipped, which the user cannot act on."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except AnalyzerError:
        raise
    except MemoryError as exc:
        raise AnalyzerError("resource_limit", "memory") from exc
    except Exception as exc:  # a library failed on this input: for us the file is broken
        raise AnalyzerError("corrupt_file", f"{what}: {type(exc).__name__}") from exc


def parse(fmt: str, data: bytes, survey: SurveyColumns | None = None) -> Parsed:
    """Parse *data* as *fmt* (a format from :func:`analyzer.ingest.sniff.sniff`).

    Raises only :class:`AnalyzerError`; ``no_text`` when nothing readable is left.
    """
    with library_errors(fmt):
        parsed = _dispatch(fmt, data, survey)
    if not parsed.blocks:
        raise AnalyzerError("no_text")
    return parsed


def _dispatch(fmt: str, data: bytes, survey: SurveyColumns | None) -> Parsed:
    if fmt == "txt":
        from analyzer.ingest.text import parse_text

        blocks, encoding = parse_text(data)
        return Parsed(tuple(blocks), encoding)
    if fmt == "csv":
        from analyzer.ingest.survey import parse_csv

        blocks, encoding = parse_csv(data, survey)
        return Parsed(tuple(blocks), encoding)
    if fmt == "xlsx":
        from analyzer.ingest.survey import parse_xlsx

        return Parsed(tuple(parse_xlsx(data, survey)))
    if fmt == "docx":
        from analyzer.ingest.docx import parse_docx

        return Parsed(tuple(parse_docx(data)))
    if fmt == "hwp":
        from analyzer.ingest.hwp import parse_hwp

        return Parsed(tuple(parse_hwp(data)))
    if fmt == "hwpx":
        from analyzer.ingest.hwp import parse_hwpx

        return Parsed(tuple(parse_hwpx(data)))
    if fmt == "pdf":
        from analyzer.ingest.pdf import parse_pdf

        return Parsed(tuple(parse_pdf(data)))
    raise AnalyzerError("unknown_type", fmt)
