"""Distribution (배포용) HWP 5 documents: their encrypted ``ViewText`` sections made readable.

A distribution document keeps its body in ``ViewText/Section<N>`` instead of ``BodyText/Section<N>``. Each such
stream starts with a ``DISTRIBUTE_DOC_DATA`` record (tag 28, 256 bytes): its first four bytes seed an MSVC
``rand()`` generator whose output, taken in runs, is XOR-ed over the remaining bytes; the AES-128 key is the 16
bytes at ``4 + (seed & 0x0F)`` of the result. The rest of the stream is AES-128-ECB encrypted and, once
decrypted, is exactly what ``BodyText`` would hold (raw-deflated when the file header says so).

:func:`readable_copy` rebuilds the compound file with the decrypted sections as ``BodyText`` and the
distribution flag cleared, so the ordinary HWP 5 reader opens it unchanged.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from analyzer.errors import AnalyzerError

DISTRIBUTE_DOC_DATA = 28
DATA_SIZE = 256
DISTRIBUTION_BIT = 1 << 2
#: Password, DRM and certificate bits: a document with any of them needs a key we do not have.
KEYED_BITS = (1 << 1) | (1 << 4) | (1 << 8) | (1 << 10)
_FLAGS_OFFSET = 36
_VIEW_SECTION = re.compile(r"^ViewText/Section(\d+)$")
_BODY_SECTION = re.compile(r"^BodyText/Section\d+$")
_AES_BLOCK = 16


def _msvc_rand(seed: int) -> Iterator[int]:
    """The values of MSVC's ``srand(seed)``/``rand()``: a 32-bit LCG, bits 16..30 of each state."""
    state = seed & 0xFFFFFFFF
    while True:
        state = (state * 214013 + 2531011) & 0xFFFFFFFF
        yield (state >> 16) & 0x7FFF


def section_key(record: bytes) -> bytes:
    """The AES-128 key hidden in a 256-byte ``DISTRIBUTE_DOC_DATA`` payload."""
    if len(record) != DATA_SIZE:
        raise AnalyzerError("corrupt_file", "distribution header size")
    seed = int.from_bytes(record[:4], "little")
    rand = _msvc_rand(seed)
    decoded = bytearray(record)
    mask, left = 0, 0
    for index in range(DATA_SIZE):
        if left == 0:
            mask = next(rand) & 0xFF
            left = (next(rand) & 0x0F) + 1
        if index >= 4:
            decoded[index] ^= mask
        left -= 1
    offset = 4 + (seed & 0x0F)
    return bytes(decoded[offset : offset + 16])


def decrypt_section(stream: bytes) -> bytes:
    """The ``BodyText`` bytes of one ``ViewText`` section stream (still deflated if the document is)."""
    if len(stream) < 4:
        raise AnalyzerError("corrupt_file", "distribution section header")
    (word,) = struct.unpack_from("<I", stream, 0)
    tag, size, start = word & 0x3FF, (word >> 20) & 0xFFF, 4
    if size == 0xFFF and len(stream) >= 8:
        (size,) = struct.unpack_from("<I", stream, 4)
        start = 8
    if tag != DISTRIBUTE_DOC_DATA or size != DATA_SIZE or len(stream) < start + size:
        raise AnalyzerError("corrupt_file", "distribution section header")
    tail = stream[start + size :]
    if not tail or len(tail) % _AES_BLOCK:
        raise AnalyzerError("corrupt_file", "distribution section length")
    decryptor = Cipher(algorithms.AES(section_key(stream[start : start + size])), modes.ECB()).decryptor()
    return decryptor.update(tail) + decryptor.finalize()


def is_distribution(file_header: bytes) -> bool:
    """Whether an HWP 5 ``FileHeader`` stream marks a distribution document that needs no further key."""
    if len(file_header) < _FLAGS_OFFSET + 4:
        return False
    flags = int.from_bytes(file_header[_FLAGS_OFFSET : _FLAGS_OFFSET + 4], "little")
    return bool(flags & DISTRIBUTION_BIT) and not flags & KEYED_BITS


def readable_copy(data: bytes) -> bytes:
    """An ordinary HWP 5 file with the body of the distribution document *data*.

    Raises ``corrupt_file`` when the document has no ``ViewText`` sections or one cannot be decrypted.
    """
    from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams, storage_times

    compound = CompoundFile(data)
    streams = read_all_streams(compound)
    views = sorted((int(match.group(1)), body) for path, body in streams if (match := _VIEW_SECTION.match(path)))
    if not views or [number for number, _ in views] != list(range(len(views))):
        raise AnalyzerError("corrupt_file", "distribution sections")
    kept: list[tuple[str, bytes]] = []
    for path, body in streams:
        if path == "FileHeader":
            flags = int.from_bytes(body[_FLAGS_OFFSET : _FLAGS_OFFSET + 4], "little") & ~DISTRIBUTION_BIT
            body = body[:_FLAGS_OFFSET] + flags.to_bytes(4, "little") + body[_FLAGS_OFFSET + 4 :]
        if not _VIEW_SECTION.match(path) and not _BODY_SECTION.match(path):
            kept.append((path, body))
    kept.extend((f"BodyText/Section{number}", decrypt_section(body)) for number, body in views)
    return build_compound_file(kept, storage_times=storage_times(compound))
