"""Decode plain text (TXT, CSV) in the encodings Korean files really use.

Candidates, in order: a byte order mark (UTF-8, UTF-16 LE/BE), strict UTF-8 for the whole file, then line by
line strict CP949 (a superset of EUC-KR) or, in a file that mixes them, strict UTF-8 (``utf-8+cp949``). Nothing
is guessed beyond these: general-purpose detectors read short CP949 text as Big5 or GB18030 and store
mojibake. A line neither reads, a line both read differently, and a CP949 reading that is not plausible Korean
(:func:`analyzer.ingest.hangul.plausible_korean`) are refused with ``undecodable_text``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from analyzer.errors import AnalyzerError
from analyzer.ingest.blocks import line_blocks
from analyzer.ingest.hangul import clean_korean, plausible_korean
from analyzer.records import Block

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
MIXED = "utf-8+cp949"
_LATIN_EXTENDED = re.compile("[\u0100-\u024f]")

#: Share of control characters above which decoded bytes are not taken for text.
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_SAMPLE_CHARS = 65536


@dataclass(frozen=True, slots=True)
class Decoded:
    """Normalised text (NFC, LF line ends, no NUL) and the encoding it was read with."""

    text: str
    encoding: str


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _readings(line: bytes) -> tuple[str | None, str | None]:
    """The strict UTF-8 and CP949 readings of one line (ASCII reads alike in both)."""
    if line.isascii():
        text = line.decode("ascii")
        return text, text
    return _strict(line, "utf-8"), _strict(line, "cp949")


def _decode_lines(data: bytes) -> tuple[str, str]:
    """Text that is not UTF-8 as a whole, line by line: each line in the one of UTF-8 and CP949 that reads
    it, or in either when both read it alike (``cp949`` when no line needs UTF-8, else ``utf-8+cp949``).

    A line both read differently is ambiguous. In a file with no UTF-8-only line it is CP949 when that
    reading is clean Korean and the UTF-8 one holds Latin Extended letters (U+0100-U+024F): 217 common CP949
    syllables (호, 환, 크 ...) pair into valid UTF-8 for such letters, which Korean text does not use, while
    UTF-8 Hangul read as CP949 always gives ideographs. Otherwise (``·`` in UTF-8 is 쨌 in CP949), and always
    in a mixed file, it is refused, as is a line neither reads. The CP949 lines together must be plausible
    Korean.
    """
    readings = [_readings(line) for line in data.splitlines(keepends=True)]
    mixed = any(cp949 is None for _, cp949 in readings)
    texts: list[str] = []
    cp949_lines: list[str] = []
    for number, (utf8, cp949) in enumerate(readings, 1):
        if cp949 is None or utf8 == cp949:
            if utf8 is None:
                raise AnalyzerError("undecodable_text", f"line {number} is neither UTF-8 nor CP949")
            texts.append(utf8)
        elif utf8 is None or (not mixed and clean_korean(cp949) and _LATIN_EXTENDED.search(utf8)):
            texts.append(cp949)
            cp949_lines.append(cp949)
        else:
            raise AnalyzerError("undecodable_text", f"line {number} reads differently as UTF-8 and CP949")
    if not plausible_korean("".join(cp949_lines)):
        raise AnalyzerError("undecodable_text", "the CP949 reading is not Korean text")
    return "".join(texts), MIXED if mixed else "cp949"


def _raw_decode(data: bytes) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                raise AnalyzerError("undecodable_text", name)
            return text, name
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    return _decode_lines(data)


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
