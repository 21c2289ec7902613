"""Byte mutations of real files for fuzzing the parsers: bit flips, truncation, splices, insertions, deletions and
inflated length fields (ZIP local and central headers, OLE sector sizes, PDF stream lengths)."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable

from hypothesis import strategies as st

Mutation = Callable[[bytes], bytes]

#: Where a length or count lives: ZIP local header sizes, ZIP central directory sizes, the OLE header's
#: sector shift and directory/FAT counts, PDF ``/Length`` values.
_ZIP_LOCAL, _ZIP_CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
_PDF_LENGTH = re.compile(rb"/Length \d+")
_HUGE = (0xFFFFFFFF, 0x7FFFFFFF, 0x10000000, 0)


def _at(data: bytes, where: float) -> int:
    return min(int(where * len(data)), max(len(data) - 1, 0))


def _flip(where: float, bit: int) -> Mutation:
    def apply(data: bytes) -> bytes:
        if not data:
            return data
        index = _at(data, where)
        return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1 :]

    return apply


def _truncate(where: float) -> Mutation:
    return lambda data: data[: _at(data, where)]


def _splice(source: float, target: float, length: int) -> Mutation:
    def apply(data: bytes) -> bytes:
        start, at = _at(data, source), _at(data, target)
        return data[:at] + data[start : start + length] + data[at:]

    return apply


def _insert(where: float, noise: bytes) -> Mutation:
    return lambda data: data[: _at(data, where)] + noise + data[_at(data, where) :]


def _delete(where: float, length: int) -> Mutation:
    return lambda data: data[: _at(data, where)] + data[_at(data, where) + length :]


def _inflate(nth: int, value: int) -> Mutation:
    """Overwrite one length field with *value*: the nth ZIP size, else an OLE header count, else a PDF length."""

    def apply(data: bytes) -> bytes:
        fields = [match.start() + 18 for match in re.finditer(re.escape(_ZIP_LOCAL), data)]
        fields += [match.start() + 20 for match in re.finditer(re.escape(_ZIP_CENTRAL), data)]
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            fields += [44, 48, 60, 64, 72]  # FAT, first directory, mini FAT and DIFAT counts and starts
        if fields:
            offset = fields[nth % len(fields)]
            if offset + 4 <= len(data):
                return data[:offset] + struct.pack("<I", value) + data[offset + 4 :]
            return data
        lengths = list(_PDF_LENGTH.finditer(data))
        if lengths:
            match = lengths[nth % len(lengths)]
            return data[: match.start()] + b"/Length %d" % value + data[match.end() :]
        return data

    return apply


_FRACTION = st.floats(min_value=0, max_value=1, exclude_max=True)
MUTATION: st.SearchStrategy[Mutation] = st.one_of(
    st.builds(_flip, _FRACTION, st.integers(0, 7)),
    st.builds(_truncate, _FRACTION),
    st.builds(_splice, _FRACTION, _FRACTION, st.integers(1, 4096)),
    st.builds(_insert, _FRACTION, st.binary(min_size=1, max_size=64)),
    st.builds(_delete, _FRACTION, st.integers(1, 512)),
    st.builds(_inflate, st.integers(0, 50), st.sampled_from(_HUGE)),
)


def mutated(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """One of *seeds* after one to four mutations."""

    def chain(seed: bytes, mutations: list[Mutation]) -> bytes:
        for mutate in mutations:
            seed = mutate(seed)
        return seed

    return st.builds(chain, st.sampled_from(seeds), st.lists(MUTATION, min_size=1, max_size=4))
