"""DOCX: everything a Word document says, in reading order (python-docx and the package's XML).

Reading order: the running headers (``page_header`` blocks, each header part once, a line repeated by another
header part left out), then the body in document order, then any footnote, endnote or comment that nothing
references, then the running footers (``page_footer``). Right after a body paragraph or table row come the
text boxes anchored in it and the footnotes, endnotes and comments it references, each once. Tracked insertions
are text; tracked deletions (``w:del``, ``w:moveFrom``) are not. A text box written twice (DrawingML in
``mc:Choice`` and its VML copy in ``mc:Fallback``) is read once, from the first branch.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement

from analyzer.ingest.blocks import clean_line, line_blocks
from analyzer.ingest.headings import ColumnRole, heading_roles
from analyzer.records import COLUMNS_META, Block, BlockKind

_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_TXBX = qn("w:txbxContent")
#: Containers whose children are read as if they stood in their place (content controls, custom XML).
_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")})
_INLINE = {
    qn("w:t"): None,
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
    qn("m:t"): None,  # the text of an equation
}
#: Properties (their ``w:tab`` is a tab stop), deleted and moved-away text, and embedded objects.
_SKIP = frozenset({qn("w:pPr"), qn("w:rPr"), qn("w:trPr"), qn("w:tcPr"), qn("w:del"), qn("w:moveFrom"), qn("w:object")})
_REFERENCES = {
    qn("w:footnoteReference"): "footnote",
    qn("w:endnoteReference"): "endnote",
    qn("w:commentReference"): "comment",
}
_NOTE_PARTS = ((RT.FOOTNOTES, "footnote"), (RT.ENDNOTES, "endnote"), (RT.COMMENTS, "comment"))
_NOT_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})

#: What a paragraph or row carries besides its own text: a text box, or a reference to a note or comment.
_Extra = BaseOxmlElement | tuple[str, str]


def parse_docx(data: bytes) -> list[Block]:
    """Every text of a Word document as blocks: paragraphs one per line, table rows, running headers/footers."""
    return list(_Reader(data).blocks())


class _Reader:
    """One document's parts and the notes already read (each is read once)."""

    def __init__(self, data: bytes) -> None:
        self.document = open_docx(io.BytesIO(data))
        self.part = self.document.part
        self.notes: dict[tuple[str, str], BaseOxmlElement] = {}
        for reltype, kind in _NOTE_PARTS:
            for part in self._related(reltype):
                for note in _xml(part):
                    note_id, note_type = note.get(qn("w:id")), note.get(qn("w:type"))
                    if note_id is not None and note_type not in _NOT_NOTES:
                        self.notes.setdefault((kind, note_id), note)

    def blocks(self) -> Iterator[Block]:
        yield from self._running(RT.HEADER, "w:headerReference", "page_header")
        yield from self._container(self.document.element.body)
        while self.notes:
            yield from self._note(next(iter(self.notes)))
        yield from self._running(RT.FOOTER, "w:footerReference", "page_footer")

    def _related(self, reltype: str) -> list[Part]:
        return [rel.target_part for rel in self.part.rels.values() if rel.reltype == reltype and not rel.is_external]

    def _running(self, reltype: str, reference: str, kind: BlockKind) -> Iterator[Block]:
        """Header or footer parts in the order the sections name them, then any other one; a line once."""
        named = [
            ref.get(qn("r:id"))
            for sect in self.document.element.body.iter(qn("w:sectPr"))
            for ref in sect
            if ref.tag == qn(reference)
        ]
        related = {rid: rel.target_part for rid, rel in self.part.rels.items() if rel.reltype == reltype}
        seen_parts: list[Part] = []
        seen_lines: set[str] = set()
        for rid in [*named, *related]:
            part = related.get(rid or "")
            if part is None or any(part is seen for seen in seen_parts):
                continue
            seen_parts.append(part)
            for block in self._container(_xml(part)):
                if block.text not in seen_lines:
                    seen_lines.add(block.text)
                    yield replace(block, kind=kind, meta={})

    def _container(self, container: BaseOxmlElement) -> Iterator[Block]:
        """The blocks of a body, cell, text box, note or header: paragraphs and tables in order."""
        for child in container:
            if child.tag == _P:
                extras: list[_Extra] = []
                yield from line_blocks(_inline(child, extras))
                yield from self._extras(extras)
            elif child.tag == _TBL:
                yield from self._table(child)
            elif child.tag in _WRAPPERS:
                yield from self._container(child)
            elif child.tag == _ALTERNATE:
                yield from self._container(_first_branch(child))

    def _extras(self, extras: list[_Extra]) -> Iterator[Block]:
        for extra in extras:
            if isinstance(extra, tuple):
                yield from self._note(extra)
            else:
                yield from self._container(extra)

    def _note(self, key: tuple[str, str]) -> Iterator[Block]:
        note = self.notes.pop(key, None)
        if note is not None:
            yield from self._container(note)

    def _table(self, table: BaseOxmlElement) -> Iterator[Block]:
        """One block per row; a heading row is a ``table_heading`` block, and each row under it carries the
        role of its cells (``columns`` meta: speaker, organisation, statement, ...)."""
        roles: dict[int, ColumnRole] = {}
        for row in _children(table, _TR):
            extras: list[_Extra] = []
            cells = _row_cells(row, extras)
            texts = [clean_line(text.replace("\t", " ")) for _, text in cells]
            declared = _val(row, "w:trPr", "w:tblHeader") not in (None, "0", "false", "off")
            heading = heading_roles(texts, declared=declared)
            if heading is not None:
                roles = {col: role for (cols, _), role in zip(cells, heading, strict=True) for col in cols}
            filled = [(cols, text) for (cols, _), text in zip(cells, texts, strict=True) if text]
            if filled:
                kind: BlockKind = "table_heading" if heading is not None else "table_row"
                meta = {}
                if heading is None and "speaker" in roles.values():
                    meta[COLUMNS_META] = "\t".join(_role(roles, cols) for cols, _ in filled)
                yield Block("\t".join(text for _, text in filled), kind, meta)
            yield from self._extras(extras)


def _role(roles: dict[int, ColumnRole], columns: range) -> ColumnRole:
    """The role of a cell spanning *columns*: theirs when they agree, else ``other`` (a row-wide note)."""
    found = {roles.get(column, "other") for column in columns}
    return found.pop() if len(found) == 1 else "other"


def _first_branch(alternate: BaseOxmlElement) -> BaseOxmlElement:
    """The ``mc:Choice`` of an ``mc:AlternateContent`` (its ``mc:Fallback`` repeats the same content), or the
    fallback when there is no choice."""
    return next(iter(alternate), alternate.makeelement(qn("w:p")))


def _xml(part: Part) -> BaseOxmlElement:
    """A part's XML root: python-docx's element when it has one, else parsed without entities (the DTD
    check already refused any ``<!DOCTYPE``)."""
    element = getattr(part, "element", None)
    return element if isinstance(element, BaseOxmlElement) else parse_xml(part.blob)


def _children(element: BaseOxmlElement, tag: str) -> Iterator[BaseOxmlElement]:
    """Children with *tag*, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _row_cells(row: BaseOxmlElement, extras: list[_Extra]) -> list[tuple[range, str]]:
    """(grid columns, text) of each ``w:tc`` of a row: a horizontal span is one cell; a vertical-merge
    continuation counts only if it holds text of its own."""
    column = int(_val(row, "w:trPr", "w:gridBefore") or 0)
    cells = []
    for tc in _children(row, _TC):
        text = _cell_text(tc, extras)
        span = int(_val(tc, "w:tcPr", "w:gridSpan") or 1)
        if _val(tc, "w:tcPr", "w:vMerge") not in ("continue", "") or text:
            cells.append((range(column, column + span), text))
        column += span
    return cells


def _val(element: BaseOxmlElement, prop: str, name: str) -> str | None:
    """The ``w:val`` of property *name* in *element*'s *prop*: ``""`` when it is there without one (a bare
    ``w:vMerge`` continues a merge; a bare ``w:tblHeader`` is on), ``None`` when it is not there."""
    for props in element.iterchildren(qn(prop)):
        for child in props.iterchildren(qn(name)):
            return str(child.get(qn("w:val"), ""))
    return None


def _cell_text(element: BaseOxmlElement, extras: list[_Extra]) -> str:
    """A cell's paragraphs and nested tables as one line."""
    parts: list[str] = []
    for child in element:
        if child.tag == _P:
            parts.append(_inline(child, extras))
        elif child.tag == _TBL:
            parts.extend(_cell_text(tc, extras) for tr in _children(child, _TR) for tc in _children(tr, _TC))
        elif child.tag in _WRAPPERS:
            parts.append(_cell_text(child, extras))
    return " ".join(part.strip() for part in parts if part.strip())


def _inline(element: BaseOxmlElement, extras: list[_Extra]) -> str:
    """The text of a paragraph, tracked insertions included; text boxes and note references go to *extras*."""
    parts: list[str] = []
    for child in element:
        tag = child.tag
        if tag in _INLINE:
            parts.append(_INLINE[tag] or child.text or "")
        elif tag in _REFERENCES:
            extras.append((_REFERENCES[tag], child.get(qn("w:id")) or ""))
        elif tag == _TXBX:
            extras.append(child)
        elif tag == _ALTERNATE:
            parts.append(_inline(_first_branch(child), extras))
        elif tag not in _SKIP and isinstance(tag, str):
            parts.append(_inline(child, extras))
    return "".join(parts)
