"""DOCX: headers, footers, footnotes, endnotes, comments, text boxes and tracked changes are all read, once,
in reading order; running headers and footers never become statements."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.ingest import ingest
from analyzer.segment import segment

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SHAPES = (
    f"{W} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'"
    " xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'"
    " xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'"
    " xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'"
    " xmlns:v='urn:schemas-microsoft-com:vml'"
)
PLACES = (
    "body",
    "header",
    "footer",
    "footnote",
    "endnote",
    "comment",
    "textbox",
    "vml_textbox",
    "inserted",
    "cell",
    "equation",
    "alternate_paragraph",
)


def _run(inner: str, ns: str = W) -> str:
    return f"<w:r {ns}>{inner}</w:r>"


def _story(text: str) -> str:
    return f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"


def _textbox(text: str) -> str:
    """A text box as Word writes it: DrawingML in mc:Choice and the same text again in a VML mc:Fallback."""
    drawing = (
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"{_story(text)}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    fallback = f"<w:pict><v:shape><v:textbox>{_story(text)}</v:textbox></v:shape></w:pict>"
    choice = f'<mc:Choice Requires="wps">{drawing}</mc:Choice><mc:Fallback>{fallback}</mc:Fallback>'
    return _run(f"<mc:AlternateContent>{choice}</mc:AlternateContent>", SHAPES)


def _notes_part(document: DocxDocument, kind: str, notes: list[str]) -> None:
    """Write word/{kind}s.xml (python-docx cannot) with a separator note and one note per text."""
    body = "".join(
        f'<w:{kind} w:id="{n}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>' for n, text in enumerate(notes, 1)
    )
    separator = f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    xml = f"<w:{kind}s {W}>{separator}{body}</w:{kind}s>".encode()
    content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def _save(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_docx(places: list[tuple[str, str]], deleted: list[str]) -> bytes:
    """A Word document with each (place, text): body paragraphs, running header/footer, a footnote or endnote
    referenced from a body paragraph, a comment on a run, a text box (DrawingML + VML copy), a VML-only text box,
    a tracked insertion, a table cell; each *deleted* text as a tracked deletion or move away."""
    document = new_docx()
    notes: dict[str, list[str]] = {"footnote": [], "endnote": []}
    table = document.add_table(rows=0, cols=2)
    for place, text in places:
        paragraph: Paragraph = document.add_paragraph(f"본문 {len(document.paragraphs)}")
        if place == "body":
            paragraph.add_run(f" {text}")
        elif place in ("header", "footer"):
            story = document.sections[0].header if place == "header" else document.sections[0].footer
            story.add_paragraph(text)
        elif place in notes:
            notes[place].append(text)
            reference = f'<w:{place}Reference w:id="{len(notes[place])}"/>'
            paragraph._p.append(parse_xml(_run(reference)))
        elif place == "comment":
            document.add_comment(paragraph.runs[0], text=text, author="검토자")
        elif place == "textbox":
            paragraph._p.append(parse_xml(_textbox(text)))
        elif place == "vml_textbox":
            shape = f"<w:pict><v:shape><v:textbox>{_story(text)}</v:textbox></v:shape></w:pict>"
            paragraph._p.append(parse_xml(_run(shape, SHAPES)))
        elif place == "equation":
            math = "xmlns:m='http://schemas.openxmlformats.org/officeDocument/2006/math'"
            paragraph._p.append(parse_xml(f"<m:oMath {math}><m:r><m:t>{text}</m:t></m:r></m:oMath>"))
        elif place == "alternate_paragraph":  # a whole paragraph in mc:Choice, its copy in mc:Fallback
            copy = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
            branches = f'<mc:Choice Requires="wps">{copy}</mc:Choice><mc:Fallback>{copy}</mc:Fallback>'
            paragraph._p.addnext(parse_xml(f"<mc:AlternateContent {SHAPES}>{branches}</mc:AlternateContent>"))
        elif place == "inserted":
            paragraph._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="a">{_run(f"<w:t>{text}</w:t>")}</w:ins>'))
        else:
            table.add_row().cells[1].text = text
    for n, text in enumerate(deleted):
        tag = "w:del" if n % 2 == 0 else "w:moveFrom"
        removed = f'<{tag} {W} w:id="2" w:author="a">{_run(f"<w:delText>{text}</w:delText><w:tab/>")}</{tag}>'
        document.add_paragraph("남은 글").runs[0]._r.addnext(parse_xml(removed))
    for kind, texts in notes.items():
        if texts:
            _notes_part(document, kind, texts)
    return _save(document)


_MARKERS = st.lists(st.sampled_from(PLACES), min_size=1, max_size=12).map(
    lambda places: [(place, f"표지{n:02d}{place}") for n, place in enumerate(places)]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKERS, st.integers(min_value=0, max_value=3))
def test_ingest_docx_every_text_once_and_no_deleted_text(places: list[tuple[str, str]], deletions: int) -> None:
    deleted = [f"삭제됨{n}" for n in range(deletions)]
    document = ingest("회의록.docx", make_docx(places, deleted), sandbox=False)
    for _, marker in places:
        assert document.text.count(marker) == 1, marker
    assert not any(text in document.text for text in deleted)


def test_ingest_docx_every_part_through_the_sandbox() -> None:
    places = [(place, f"표지{place}") for place in PLACES]
    document = ingest("회의록.docx", make_docx(places, ["삭제된 문장", "옮겨진 문장"]))
    assert all(document.text.count(marker) == 1 for _, marker in places)
    assert "삭제된" not in document.text and "옮겨진" not in document.text
    kinds = {block.text: block.kind for block in document.blocks}
    assert kinds["표지header"] == "page_header" and kinds["표지footer"] == "page_footer"
    assert {kinds[f"표지{place}"] for place in ("footnote", "endnote", "comment", "textbox")} == {"paragraph"}


def test_ingest_docx_notes_follow_the_paragraph_that_references_them() -> None:
    places = [("footnote", "각주글"), ("comment", "메모글"), ("endnote", "미주글"), ("textbox", "상자글")]
    texts = [block.text for block in ingest("a.docx", make_docx(places, []), sandbox=False).blocks]
    for n, (_, marker) in enumerate(places):
        assert texts[texts.index(marker) - 1] == f"본문 {n}"


def test_ingest_docx_headers_first_footers_last_orphan_notes_before_footers() -> None:
    document = new_docx()
    document.sections[0].header.paragraphs[0].text = "머리말"
    document.sections[0].footer.paragraphs[0].text = "꼬리말"
    document.add_paragraph("첫 문단")
    _notes_part(document, "footnote", ["참조 없는 각주"])
    texts = [block.text for block in ingest("a.docx", _save(document), sandbox=False).blocks]
    assert texts == ["머리말", "첫 문단", "참조 없는 각주", "꼬리말"]


def test_ingest_docx_same_header_in_two_sections_read_once() -> None:
    document = new_docx()
    document.sections[0].header.paragraphs[0].text = "제3차 간담회"
    document.add_paragraph("첫 절")
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "제3차 간담회"
    second.header.add_paragraph("둘째 절 머리말")
    document.add_paragraph("둘째 절")
    blocks = ingest("a.docx", _save(document), sandbox=False).blocks
    assert [(b.text, b.kind) for b in blocks if b.kind == "page_header"] == [
        ("제3차 간담회", "page_header"),
        ("둘째 절 머리말", "page_header"),
    ]


def test_ingest_docx_running_headers_and_footers_are_not_statements(splitter) -> None:  # type: ignore[no-untyped-def]
    document = new_docx()
    document.sections[0].header.paragraphs[0].text = "경남테크노파크 내부 자료"
    document.sections[0].footer.paragraphs[0].text = "대외비 - 무단 배포 금지"
    document.add_paragraph("○ 김○○ 대표: 장비 예약이 어렵습니다.")
    _, units = segment(ingest("a.docx", _save(document), sandbox=False), splitter)
    assert [unit.text for unit in units] == ["장비 예약이 어렵습니다."]
