"""Resource limits and the checks that run before any office parser sees a file."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from analyzer.errors import AnalyzerError

MiB = 1024 * 1024

#: Members parsed as XML by python-docx, openpyxl or python-hwpx.
XML_SUFFIXES = (".xml", ".rels", ".hpf", ".rdf", ".vml")

_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 * MiB


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """How much one file may cost; the defaults suit a 2-core server with a few GiB of memory.

    ``ratio_floor_bytes``: the compression ratio is only checked for members (and archives) that inflate
    beyond this size, so that small, very repetitive XML parts are not refused.
    """

    max_bytes: int = 50 * MiB
    max_zip_entries: int = 5000
    max_uncompressed_bytes: int = 300 * MiB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * MiB
    memory_bytes: int = 1536 * MiB
    cpu_seconds: int = 60
    wall_seconds: float = 90.0


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open *data* as a ZIP archive or raise ``corrupt_file``."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise AnalyzerError("corrupt_file", "zip") from exc


def _unsafe_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or re.match(r"^[A-Za-z]:", normalised):
        return True
    return any(part == ".." for part in normalised.split("/"))


def check_zip(data: bytes, limits: IngestLimits) -> None:
    """Refuse archive bombs, encrypted members and unsafe member names, reading only the directory."""
    with open_zip(data) as archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_entries:
            raise AnalyzerError("archive_bomb", f"{len(infos)} entries")
        total = compressed = 0
        for info in infos:
            if _unsafe_name(info.filename):
                raise AnalyzerError("unsafe_archive", info.filename)
            if info.flag_bits & 0x1:
                raise AnalyzerError("encrypted_archive", info.filename)
            size = info.file_size
            if size > limits.max_uncompressed_bytes:
                raise AnalyzerError("archive_bomb", f"{info.filename}: {size} bytes")
            if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
                raise AnalyzerError("archive_bomb", f"{info.filename}: ratio {size / max(info.compress_size, 1):.0f}")
            total += size
            compressed += info.compress_size
        if total > limits.max_uncompressed_bytes:
            raise AnalyzerError("archive_bomb", f"{total} bytes in all")
        if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(compressed, 1):
            raise AnalyzerError("archive_bomb", f"ratio {total / max(compressed, 1):.0f} in all")


def check_xml(data: bytes) -> None:
    """Refuse XML that declares a DTD or entities (``xml_entities``)."""
    _scan_xml([data], "XML")


def check_xml_members(data: bytes) -> None:
    """Stream every XML member of a ZIP that passed :func:`check_zip` through :func:`check_xml`."""
    with open_zip(data) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(XML_SUFFIXES):
                continue
            try:
                with archive.open(info) as member:
                    _scan_xml(iter(partial(member.read, _CHUNK), b""), info.filename)
            except AnalyzerError:
                raise
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
                NotImplementedError,
            ) as exc:
                raise AnalyzerError("corrupt_file", info.filename) from exc


def _scan_xml(chunks: Iterable[bytes], name: str) -> None:
    """Search the decoded *chunks* for ``<!DOCTYPE`` or ``<!ENTITY``."""
    decoder: codecs.IncrementalDecoder | None = None
    tail = ""
    for chunk in chunks:
        if decoder is None:
            decoder = codecs.getincrementaldecoder(_xml_codec(chunk))(errors="replace")
        text = tail + decoder.decode(chunk)
        if _DTD.search(text):
            raise AnalyzerError("xml_entities", name)
        tail = text[-32:]


def _xml_codec(head: bytes) -> str:
    """The codec of an XML document from its first bytes (UTF-16/32 by BOM or NUL pattern, else UTF-8)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    return "utf-8"
