"""Hostile and broken files: each is refused with its own catalogue code, before any parser is hurt."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from analyzer.errors import AnalyzerError
from analyzer.ingest import IngestLimits, ingest
from analyzer.ingest.limits import check_xml, check_zip
from analyzer.ingest.parse import parse

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

ENCRYPTED_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<odf:file-entry odf:full-path="Contents/section0.xml" odf:media-type="application/xml" odf:size="3000">
<odf:encryption-data odf:checksum-type="SHA1" odf:checksum="AAAA">
<odf:algorithm odf:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc"
 odf:initialisation-vector="AAAA"/>
</odf:encryption-data></odf:file-entry></odf:manifest>"""


def refused(name: str, data: bytes, limits: IngestLimits | None = None) -> str:
    """The code ``ingest`` (in process) refuses *data* with."""
    with pytest.raises(AnalyzerError) as caught:
        ingest(name, data, limits=limits or IngestLimits(), sandbox=False)
    return caught.value.code


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of the ZIP *data* with some members replaced and others added."""
    replace, extra = replace or {}, extra or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, payload in extra.items():
            target.writestr(name, payload)
    return out.getvalue()


def mark_encrypted(data: bytes, member: str) -> bytes:
    """Set bit 0 (encrypted) of the general-purpose flags of *member* in its local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos, position = archive.infolist(), archive.start_dir
    for info in infos:
        assert patched[position : position + 4] == b"PK\x01\x02"
        if info.filename == member:
            patched[position + 8] |= 0x01
            local = info.header_offset
            assert patched[local : local + 4] == b"PK\x03\x04"
            patched[local + 6] |= 0x01
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", patched, position + 28)
        position += 46 + name_len + extra_len + comment_len
    return bytes(patched)


def set_hwp_flag(data: bytes, bit: int) -> bytes:
    """Set *bit* of the property word at offset 36 of the ``FileHeader`` stream."""
    start = data.find(b"HWP Document File")
    assert start > 0 and data.count(b"HWP Document File") == 1
    flags = int.from_bytes(data[start + 36 : start + 40], "little") | (1 << bit)
    return data[: start + 36] + flags.to_bytes(4, "little") + data[start + 40 :]


@pytest.fixture(scope="module")
def zip_bomb(docx_bytes: bytes) -> bytes:
    """A DOCX-shaped ZIP with a 400 MiB member of zeros, compressed while it is streamed in."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
            for info in source.infolist():
                bomb.writestr(info.filename, source.read(info))
        chunk = bytes(4 * 1024 * 1024)
        with bomb.open("word/media/image1.png", "w") as member:
            for _ in range(100):
                member.write(chunk)
    return out.getvalue()


def test_hostile_zip_bomb(zip_bomb: bytes) -> None:
    assert len(zip_bomb) < 3 * 1024 * 1024
    assert refused("폭탄.docx", zip_bomb) == "archive_bomb"


def test_hostile_compression_ratio_alone_is_refused(docx_bytes: bytes) -> None:
    data = rezip(docx_bytes, extra={"word/media/zeros.bin": bytes(4 * 1024 * 1024)})
    with pytest.raises(AnalyzerError) as caught:
        check_zip(data, IngestLimits())
    assert caught.value.code == "archive_bomb"


def test_hostile_too_many_entries(docx_bytes: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for index in range(5001):
            archive.writestr(f"word/media/{index}.bin", b"")
    assert refused("많은.docx", out.getvalue()) == "archive_bomb"


@pytest.mark.parametrize("name", ["../../evil.sh", "word/../../evil.sh", "/etc/cron.d/evil", "C:\\evil.bat"])
def test_hostile_unsafe_member_name(name: str, docx_bytes: bytes) -> None:
    assert refused("경로.docx", rezip(docx_bytes, extra={name: b"x"})) == "unsafe_archive"


def test_hostile_encrypted_zip_member(docx_bytes: bytes) -> None:
    assert refused("암호.docx", mark_encrypted(docx_bytes, "word/document.xml")) == "encrypted_archive"


def test_hostile_billion_laughs_docx(docx_bytes: bytes) -> None:
    data = rezip(docx_bytes, replace={"word/document.xml": BILLION_LAUGHS})
    assert refused("웃음.docx", data) == "xml_entities"


def test_hostile_dtd_in_xlsx_part(xlsx_bytes: bytes) -> None:
    dtd = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>'
    assert refused("설문.xlsx", rezip(xlsx_bytes, replace={"xl/workbook.xml": dtd})) == "xml_entities"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le"])
def test_check_xml_finds_dtd_in_any_encoding(encoding: str) -> None:
    with pytest.raises(AnalyzerError) as caught:
        check_xml(BILLION_LAUGHS.decode().replace("UTF-8", encoding.upper()).encode(encoding))
    assert caught.value.code == "xml_entities"


def test_check_xml_accepts_escaped_markup_in_text() -> None:
    check_xml("<w:t>&lt;!DOCTYPE html&gt; 는 문서형 선언입니다</w:t>".encode())


def test_hostile_hwpx_with_encrypted_parts(hwpx_bytes: bytes) -> None:
    data = rezip(hwpx_bytes, replace={"META-INF/manifest.xml": ENCRYPTED_MANIFEST})
    assert refused("암호.hwpx", data) == "password_protected"


@pytest.mark.parametrize(
    ("bit", "code"), [(1, "password_protected"), (4, "password_protected"), (8, "password_protected")]
)
def test_hostile_protected_hwp(bit: int, code: str, hwp_bytes: bytes) -> None:
    data = set_hwp_flag(hwp_bytes, bit)
    assert refused("보호.hwp", data) == code
    # python-hwpx's own refusal, past the header check of the sniffer, maps to the same code
    with pytest.raises(AnalyzerError) as caught:
        parse("hwp", data)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("name", "fixture"),
    [
        ("a.docx", "docx_bytes"),
        ("a.hwp", "hwp_bytes"),
        ("a.hwpx", "hwpx_bytes"),
        ("a.pdf", "pdf_bytes"),
        ("a.xlsx", "xlsx_bytes"),
    ],
)
def test_hostile_truncated_file(name: str, fixture: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(fixture)
    assert refused(name, data[: len(data) // 2]) == "corrupt_file"


def test_hostile_scanned_pdf_has_no_text_layer(scanned_pdf_bytes: bytes) -> None:
    assert refused("스캔.pdf", scanned_pdf_bytes) == "no_text_layer"


def test_hostile_password_pdf() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret")
    assert refused("암호.pdf", bytes(pdf.output())) == "password_protected"


def test_hostile_pdf_with_owner_password_only_is_read() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="open to read")
    assert [block.text for block in ingest("열람.pdf", bytes(pdf.output()), sandbox=False).blocks] == ["open to read"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("설문.csv", "응답자,성별\n1,남\n".encode(), "survey_no_answer_column"),
        ("설문.csv", b"", "empty_file"),
        ("설문.csv", "의견\n".encode(), "no_text"),
        ("설문.csv", '의견,기타\n"열린 따옴표,\n'.encode(), "corrupt_file"),
    ],
)
def test_hostile_survey_without_answers(name: str, data: bytes, code: str) -> None:
    assert refused(name, data) == code
