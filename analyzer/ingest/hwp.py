"""HWPX and HWP 5 (converted to HWPX in memory; distribution documents decrypted first) with python-hwpx.

python-hwpx's ``TextExtractor`` finds and reads the sections (manifest order, guarded ZIP reads); the
paragraphs are then walked here rather than flattened by ``extract_text``, because its nested mode writes
every table cell on its own line and loses the rows. Each paragraph gives its lines, then the text of what
it anchors (table rows, text boxes, notes, headers and footers), so a footnote never splits a sentence.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from hwpx.errors import Hwp5Error
from hwpx.tools.text_extractor import TextExtractor

from analyzer.errors import AnalyzerError
from analyzer.ingest.blocks import line_blocks, row_block
from analyzer.ingest.hwp_distribution import is_distribution, readable_copy
from analyzer.records import Block

_HWP5_CODES = {
    "hwp5-password": "password_protected",
    "hwp5-drm": "password_protected",
}
_ENCRYPTION_DATA = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")
_MANIFEST = "META-INF/manifest.xml"
_MAX_MANIFEST_BYTES = 4 * 1024 * 1024
#: Inline characters inside ``hp:t`` (markpen marks render as nothing; their tails are kept).
_INLINE = {"lineBreak": "\n", "tab": "\t", "nbSpace": " ", "fwSpace": "\u3000", "hyphen": ""}


def parse_hwp(data: bytes) -> list[Block]:
    """Blocks of an HWP 5 document; a distribution document is decrypted first, protected ones are refused."""
    from hwpx.hwp5.cfb import CompoundFile
    from hwpx.hwp5.package import convert, to_hwpx_bytes

    try:
        if is_distribution(CompoundFile(data).read("FileHeader")):
            data = readable_copy(data)
        package = to_hwpx_bytes(convert(data).files)
    except Hwp5Error as exc:
        raise AnalyzerError(_HWP5_CODES.get(exc.code, "corrupt_file"), exc.code) from exc
    return parse_hwpx(package)


def parse_hwpx(data: bytes) -> list[Block]:
    """Blocks of an HWPX package: paragraph lines and one ``table_row`` block per table row."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _declares_encryption(archive):
            raise AnalyzerError("password_protected", "HWPX")
        blocks: list[Block] = []
        for section in TextExtractor(archive).iter_sections():
            for paragraph in _children(section.element, "p"):
                blocks.extend(_paragraph_blocks(paragraph))
    if not blocks:
        raise AnalyzerError("no_text")
    return blocks


def _declares_encryption(archive: zipfile.ZipFile) -> bool:
    """Hancom saves a password-protected HWPX with ODF package encryption declared in the manifest."""
    try:
        info = archive.getinfo(_MANIFEST)
    except KeyError:
        return False
    if info.file_size > _MAX_MANIFEST_BYTES:
        raise AnalyzerError("corrupt_file", _MANIFEST)
    return _ENCRYPTION_DATA.search(archive.read(info)) is not None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _own_paragraphs(element: Element) -> Iterator[Element]:
    """Paragraphs of *element*'s sub-lists; those inside another paragraph are that paragraph's."""
    for child in element:
        if _local(child.tag) == "p":
            yield child
        else:
            yield from _own_paragraphs(child)


def _paragraph_blocks(paragraph: Element) -> Iterator[Block]:
    fragments: list[str] = []
    anchored: list[Element] = []
    for run in _children(paragraph, "run"):
        for child in run:
            tag = _local(child.tag)
            if tag == "t":
                _render_text(child, fragments)
            elif tag in _INLINE:
                fragments.append(_INLINE[tag])
            elif child.get("dropcapstyle", "None") != "None":  # a drop cap is the paragraph's first letter
                fragments.append(_cell_text(child))
            else:
                anchored.append(child)
    yield from line_blocks("".join(fragments))
    for element in anchored:
        if _local(element.tag) == "tbl":
            yield from _table_rows(element)
        else:
            for inner in _own_paragraphs(element):
                yield from _paragraph_blocks(inner)


def _render_text(element: Element, fragments: list[str]) -> None:
    if element.text:
        fragments.append(element.text)
    for child in element:
        tag = _local(child.tag)
        if tag in _INLINE:
            fragments.append(_INLINE[tag])
        elif not tag.startswith("markpen"):
            _render_text(child, fragments)
        if child.tail:
            fragments.append(child.tail)


def _table_rows(table: Element) -> Iterator[Block]:
    for row in _children(table, "tr"):
        block = row_block(_cell_text(cell) for cell in _children(row, "tc"))
        if block is not None:
            yield block


def _cell_text(cell: Element) -> str:
    """Everything in a cell or shape (its paragraphs, nested tables, text boxes) as one line."""
    return " ".join(block.text for inner in _own_paragraphs(cell) for block in _paragraph_blocks(inner))
