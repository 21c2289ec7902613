"""Properties: decoding round-trips, arbitrary or damaged bytes only ever raise AnalyzerError, and the
survey parser keeps one block per non-empty answer cell."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.ingest import ingest
from analyzer.ingest.blocks import clean_line
from analyzer.ingest.hangul import plausible_korean
from analyzer.ingest.sniff import OLE_MAGIC, ZIP_MAGIC
from analyzer.ingest.survey import parse_csv
from analyzer.ingest.text import decode, normalise

FAST = settings(max_examples=150, deadline=None, database=None)
FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

CP949_TEXT = st.text(st.characters(codec="cp949", exclude_characters="\x00"), max_size=200)
NAMES = st.sampled_from(["a.txt", "a.csv", "a", "a.hwp", "a.hwpx", "a.docx", "a.xlsx", "a.pdf", "a.bin"])
PREFIXES = st.sampled_from([b"", OLE_MAGIC, ZIP_MAGIC, b"%PDF-1.7\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])


def expect_only_catalogue_errors(name: str, data: bytes) -> None:
    try:
        document = ingest(name, data, sandbox=False)
    except AnalyzerError as error:
        assert error.code in CATALOGUE
        return
    for block in document.blocks:
        assert block.text.strip() and "\n" not in block.text
        assert unicodedata.is_normalized("NFC", block.text)


@FAST
@given(st.text(max_size=300))
def test_decode_round_trips_utf8(text: str) -> None:
    assume(not text.startswith("\ufeff"))  # that would be read as a byte order mark
    decoded = decode(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (normalise(text), "utf-8")


@FAST
@given(st.text(max_size=300))
def test_decode_round_trips_utf8_sig(text: str) -> None:
    decoded = decode(text.encode("utf-8-sig"))
    assert (decoded.text, decoded.encoding) == (normalise(text), "utf-8-sig")


@FAST
@given(st.text(max_size=300), st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]))
def test_decode_round_trips_utf16(text: str, codec: str) -> None:
    data = text.encode(codec) if codec == "utf-16" else ("\ufeff" + text).encode(codec)
    decoded = decode(data)
    assert (decoded.text, decoded.encoding) == (normalise(text), "utf-16")


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@FAST
@given(CP949_TEXT)
def test_decode_round_trips_cp949_or_refuses_it(text: str) -> None:
    data = text.encode("cp949")
    as_utf8 = _utf8(data)
    # Bytes that are valid in both encodings with different meanings have two honest readings.
    assume(as_utf8 is None or as_utf8 == text)
    try:
        decoded = decode(data)
    except AnalyzerError as error:  # mojibake-looking (ideographs, uncommon syllables) or an ambiguous line
        assert error.code == "undecodable_text"
        ambiguous = any(not line.isascii() and _utf8(line) is not None for line in data.splitlines())
        assert ambiguous or not plausible_korean(text)
        return
    assert decoded.text == normalise(text)
    assert decoded.encoding == ("utf-8" if as_utf8 is not None else "cp949")


@FAST
@given(st.binary(max_size=4096))
def test_decode_raises_only_analyzer_error(data: bytes) -> None:
    try:
        decoded = decode(data)
    except AnalyzerError as error:
        assert error.code == "undecodable_text"
    else:
        assert "\r" not in decoded.text and "\x00" not in decoded.text


@FAST
@given(NAMES, PREFIXES, st.binary(max_size=2048))
def test_ingest_arbitrary_bytes_raise_only_analyzer_error(name: str, prefix: bytes, tail: bytes) -> None:
    expect_only_catalogue_errors(name, prefix + tail)


@pytest.mark.parametrize("fixture", ["docx_bytes", "xlsx_bytes", "hwpx_bytes", "hwp_bytes", "pdf_bytes"])
@FUZZ
@given(
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(min_value=1)),
)
def test_ingest_damaged_real_files_raise_only_analyzer_error(
    fixture: str, request: pytest.FixtureRequest, patches: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(request.getfixturevalue(fixture))
    for position, value in patches:
        data[position % len(data)] = value
    if cut is not None:
        del data[cut % len(data) :]
    expect_only_catalogue_errors(f"file.{fixture.split('_')[0]}", bytes(data))


CELL = st.text(st.sampled_from(list("가나다 응답,\"'\n\r\t;ab1㈜")), max_size=12)


@FAST
@given(st.lists(st.tuples(CELL, CELL, CELL), max_size=12))
def test_survey_keeps_one_block_per_non_empty_cell(rows: list[tuple[str, str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["응답자", "의견", "건의"])
    writer.writerows(rows)
    blocks, encoding = parse_csv(out.getvalue().encode("utf-8"))
    expected = []
    for number, (person, *answers) in enumerate(rows, 1):
        respondent = {"respondent": clean_line(person)} if clean_line(person) else {}
        for column, cell in zip(["의견", "건의"], answers, strict=True):
            if clean_line(cell):
                expected.append((clean_line(cell), {"row": str(number), "column": column, **respondent}))
    assert [(block.text, dict(block.meta)) for block in blocks] == expected
    assert encoding == "utf-8"
