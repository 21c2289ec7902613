"""Distribution (배포용) HWP documents: the encrypted ViewText body is read; damage gives ``corrupt_file``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.ingest import ingest
from analyzer.ingest.hwp_distribution import DISTRIBUTE_DOC_DATA, section_key
from analyzer.ingest.parse import parse

REAL = Path(__file__).resolve().parents[1] / "real_documents" / "sample_hwp_distribution.hwp"
_HANGUL_WORD = re.compile(r"[가-힣]+")


@pytest.fixture(scope="module")
def distribution() -> bytes:
    return REAL.read_bytes()


def _streams(data: bytes) -> dict[str, bytes]:
    return dict(read_all_streams(CompoundFile(data)))


def _rebuilt(data: bytes, **replaced: bytes) -> bytes:
    """*data* with some streams replaced (keyword ``ViewText__Section0`` stands for ``ViewText/Section0``)."""
    streams = _streams(data)
    streams.update({name.replace("__", "/"): body for name, body in replaced.items()})
    return build_compound_file(sorted(streams.items()))


def _with_flag(data: bytes, bit: int) -> bytes:
    header = _streams(data)["FileHeader"]
    flags = int.from_bytes(header[36:40], "little") | (1 << bit)
    return _rebuilt(data, FileHeader=header[:36] + flags.to_bytes(4, "little") + header[40:])


def test_hwp_distribution_real_document_gives_its_text(distribution: bytes) -> None:
    document = ingest("배포용.hwp", distribution, sandbox=False)
    assert document.format == "hwp"
    assert len(document.text) > 2000
    assert "강남세움센터 시설관리원 용역업체 선정 입찰공고" in document.text
    # Hancom writes an unencrypted preview of the body's start: every Korean word of it is in the decrypted body.
    preview = _streams(distribution)["PrvText"].decode("utf-16-le").split("\0")[0]
    preview_words = _HANGUL_WORD.findall(preview)
    assert len(preview_words) > 150
    assert set(preview_words) <= set(_HANGUL_WORD.findall(document.text))


def test_hwp_distribution_real_document_in_the_sandbox(distribution: bytes) -> None:
    assert "입찰참가자격" in ingest("배포용.hwp", distribution).text


def test_hwp_distribution_key_is_the_utf16_digest_prefix(distribution: bytes) -> None:
    """The decoded header holds the SHA-1 of the distribution password as UTF-16LE hex; its first 16 bytes are
    the AES key, so a correct derivation yields eight hex digits."""
    stream = _streams(distribution)["ViewText/Section0"]
    assert int.from_bytes(stream[:4], "little") & 0x3FF == DISTRIBUTE_DOC_DATA
    key = section_key(stream[4:260])
    assert re.fullmatch(r"[0-9A-F]{8}", key.decode("utf-16-le"))


def test_hwp_distribution_with_password_is_still_refused(distribution: bytes) -> None:
    protected = _with_flag(distribution, 1)
    with pytest.raises(AnalyzerError) as caught:
        ingest("배포용.hwp", protected, sandbox=False)
    assert caught.value.code == "password_protected"
    with pytest.raises(AnalyzerError) as caught:
        parse("hwp", protected)
    assert caught.value.code == "password_protected"


def test_hwp_distribution_without_view_text_is_corrupt(hwp_bytes: bytes) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("배포용.hwp", _with_flag(hwp_bytes, 2), sandbox=False)
    assert caught.value.code == "corrupt_file"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=st.binary(min_size=256, max_size=256))
def test_hwp_distribution_round_trip_of_an_ordinary_body(hwp_bytes: bytes, record: bytes) -> None:
    """Any seed works: an ordinary document's body, encrypted the documented way, reads back unchanged."""
    streams = _streams(hwp_bytes)
    body = streams["BodyText/Section0"]
    padded = body + bytes(-len(body) % 16)
    encryptor = Cipher(algorithms.AES(section_key(record)), modes.ECB()).encryptor()
    header_word = (DISTRIBUTE_DOC_DATA | (256 << 20)).to_bytes(4, "little")
    view = header_word + record + encryptor.update(padded) + encryptor.finalize()
    hidden = _rebuilt(_with_flag(hwp_bytes, 2), BodyText__Section0=b"", ViewText__Section0=view)
    expected = ingest("원본.hwp", hwp_bytes, sandbox=False).text
    assert ingest("배포용.hwp", hidden, sandbox=False).text == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    position=st.integers(min_value=0, max_value=4851),
    value=st.integers(min_value=0, max_value=255),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=4851)),
)
def test_hwp_distribution_damaged_stream_is_corrupt_or_read(
    distribution: bytes, position: int, value: int, cut: int | None
) -> None:
    stream = bytearray(_streams(distribution)["ViewText/Section0"])
    stream[position % len(stream)] = value
    damaged = bytes(stream if cut is None else stream[:cut])
    try:
        document = ingest("배포용.hwp", _rebuilt(distribution, ViewText__Section0=damaged), sandbox=False)
    except AnalyzerError as error:
        assert error.code in {"corrupt_file", "no_text"}
    else:
        assert document.text.strip()
