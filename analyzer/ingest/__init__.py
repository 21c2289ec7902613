"""Ingestion: ``(name, bytes) -> Document`` for TXT, CSV, XLSX, DOCX, HWP, HWPX and PDF.

The format is detected from the bytes and must agree with the extension; archives and their XML are checked
before any office parser runs, and the parser itself runs in a limited child process.
"""

from __future__ import annotations

import hashlib

from analyzer.ingest.forkserver import ParserServer
from analyzer.ingest.limits import IngestLimits, check_xml_members, check_zip
from analyzer.ingest.parse import library_errors, parse
from analyzer.ingest.sandbox import run_sandboxed
from analyzer.ingest.sniff import sniff
from analyzer.ingest.survey import SurveyColumns
from analyzer.records import Document

__all__ = ["IngestLimits", "ParserServer", "SurveyColumns", "ingest", "precheck"]

ZIP_FORMATS = frozenset({"docx", "xlsx", "hwpx"})
TEXT_FORMATS = frozenset({"txt", "csv"})
DEFAULT_LIMITS = IngestLimits()


def precheck(name: str, data: bytes, limits: IngestLimits = DEFAULT_LIMITS) -> str:
    """The checks that need no parser (format from the bytes, extension, size, archive and XML safety).

    Returns the format; raises :class:`analyzer.errors.AnalyzerError` like :func:`ingest`.
    """
    with library_errors("pre-check"):
        fmt = sniff(name, data, limits)
        if fmt in ZIP_FORMATS:
            check_zip(data, limits)
            check_xml_members(data)
    return fmt


def ingest(
    name: str,
    data: bytes,
    *,
    limits: IngestLimits = DEFAULT_LIMITS,
    survey: SurveyColumns | None = None,
    sandbox: bool = True,
    server: ParserServer | None = None,
) -> Document:
    """Read one uploaded file into a :class:`Document`.

    Raises :class:`analyzer.errors.AnalyzerError` (and nothing else) with a catalogue code when the file is
    empty, too large, mislabelled, hostile, protected, broken or without text. ``sandbox=False`` parses in
    this process (for tests and trusted input); with a *server* the sandboxed child is forked by that
    long-lived parser process (:mod:`analyzer.ingest.forkserver`) instead of started as a new Python.
    """
    fmt = precheck(name, data, limits)
    if not sandbox:
        parsed = parse(fmt, data, survey)
    elif server is not None:
        parsed = server.parse(fmt, data, limits, survey)
    else:
        parsed = run_sandboxed(fmt, data, limits, survey)
    return Document(
        name=name,
        format=fmt,
        blocks=parsed.blocks,
        encoding=parsed.encoding if fmt in TEXT_FORMATS else None,
        sha256=hashlib.sha256(data).hexdigest(),
    )
