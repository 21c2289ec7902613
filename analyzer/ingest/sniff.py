"""Detect a file's format from its bytes (container and inner markers); the extension must agree."""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath

from analyzer.errors import AnalyzerError
from analyzer.ingest.limits import IngestLimits, open_zip
from analyzer.ingest.text import looks_like_text

FORMATS = ("hwp", "hwpx", "docx", "xlsx", "pdf", "txt", "csv")
EXTENSIONS = {f".{fmt}": fmt for fmt in FORMATS}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HWP_SIGNATURE = b"HWP Document File"
HWPX_MIMETYPE = b"application/hwp+zip"
_HWPX_SECTION = re.compile(r"^Contents/section\d+\.xml$", re.IGNORECASE)

#: Bits of the HWP 5 ``FileHeader`` property word (offset 36) that make the body unreadable without a key.
HWP_PASSWORD_BIT = 1 << 1
HWP_DRM_BITS = (1 << 4) | (1 << 8) | (1 << 10)


def extension_format(name: str) -> str | None:
    """The format an extension promises (case-insensitive), or ``None``."""
    return EXTENSIONS.get(PurePosixPath(name.replace("\\", "/")).suffix.lower())


def sniff(name: str, data: bytes, limits: IngestLimits) -> str:
    """Return one of :data:`FORMATS` for *data*, refusing empty, oversized, mislabelled or unknown files.

    An HWP whose header says it is password-protected or DRM-protected is refused here already
    (``password_protected``); a distribution (배포용) document passes, its parser decrypts it.
    """
    if not data:
        raise AnalyzerError("empty_file")
    if len(data) > limits.max_bytes:
        raise AnalyzerError("file_too_large", f"{len(data)} > {limits.max_bytes} bytes")
    expected = extension_format(name)
    detected = _container_format(data)
    if detected is None and looks_like_text(data):
        detected = "csv" if expected == "csv" else "txt"
    if detected is None:
        if expected in ("txt", "csv"):
            raise AnalyzerError("undecodable_text")
        raise AnalyzerError("type_mismatch" if expected else "unknown_type", expected or "")
    if expected is not None and expected != detected:
        raise AnalyzerError("type_mismatch", f"{expected} != {detected}")
    return detected


def _container_format(data: bytes) -> str | None:
    if data.startswith(OLE_MAGIC):
        return _ole_format(data)
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def _ole_format(data: bytes) -> str | None:
    from hwpx.hwp5.cfb import CompoundFile

    try:
        compound = CompoundFile(data)
        header = compound.read("FileHeader") if compound.has_stream("FileHeader") else b""
    except Exception as exc:  # any failure of the container reader means a broken file
        raise AnalyzerError("corrupt_file", "OLE") from exc
    if not header.startswith(HWP_SIGNATURE):
        return None
    if len(header) < 40:
        raise AnalyzerError("corrupt_file", "HWP FileHeader")
    flags = int.from_bytes(header[36:40], "little")
    if flags & (HWP_PASSWORD_BIT | HWP_DRM_BITS):
        raise AnalyzerError("password_protected", "HWP")
    return "hwp"


def _zip_format(data: bytes) -> str | None:
    with open_zip(data) as archive:
        names = archive.namelist()
        if HWPX_MIMETYPE in _mimetype(archive) or any(_HWPX_SECTION.match(name) for name in names):
            return "hwpx"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """The first bytes of the ``mimetype`` member (never more than 64), or ``b""``."""
    try:
        with archive.open("mimetype") as member:
            return member.read(64)
    except (KeyError, RuntimeError, OSError, zipfile.BadZipFile, ValueError, NotImplementedError):
        return b""
