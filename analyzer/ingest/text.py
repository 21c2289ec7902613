"""Decode plain text (TXT, CSV): BOM, strict UTF-8, strict CP949, then charset-normalizer."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from analyzer.errors import AnalyzerError
from analyzer.ingest.blocks import line_blocks
from analyzer.records import Block

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

#: Share of control characters above which decoded bytes are not taken for text.
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_SAMPLE_CHARS = 65536


@dataclass(frozen=True, slots=True)
class Decoded:
    """Normalised text (NFC, LF line ends, no NUL) and the encoding it was read with."""

    text: str
    encoding: str


def _raw_decode(data: bytes) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                if codec == "utf-32":  # FF FE 00 00 may also be UTF-16 text that starts with NUL
                    continue
                raise AnalyzerError("undecodable_text", name) from exc
    for codec in ("utf-8", "cp949"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise AnalyzerError("undecodable_text")
    try:
        return data.decode(best.encoding), best.encoding.replace("_", "-")
    except (UnicodeDecodeError, LookupError) as exc:  # pragma: no cover - charset-normalizer checked it
        raise AnalyzerError("undecodable_text", best.encoding) from exc


def normalise(text: str) -> str:
    """NFC, CRLF/CR to LF, NUL removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes) -> Decoded:
    """Decode *data*, recording the encoding; raise ``undecodable_text`` when nothing fits."""
    text, encoding = _raw_decode(data)
    return Decoded(normalise(text), encoding)


def looks_like_text(data: bytes) -> bool:
    """Whether *data* decodes and its start holds almost no control characters (NUL included; one stray
    control character is forgiven in a short file)."""
    try:
        text, _ = _raw_decode(data)
    except AnalyzerError:
        return False
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return False
    controls = sum(1 for char in sample if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"))
    return controls <= 1 + MAX_CONTROL_SHARE * len(sample)


def parse_text(data: bytes) -> tuple[list[Block], str]:
    """Paragraph blocks (one per non-blank line) and the encoding of a text file."""
    decoded = decode(data)
    return line_blocks(decoded.text), decoded.encoding
