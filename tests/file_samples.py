"""Sample content of the ingestion tests and the writers that turn it into real files
(python-hwpx, python-docx, openpyxl, fpdf2), all in memory."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from analyzer.records import Block

NANUM = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")

MINUTES_HEADER = (
    "2024년 제1차 반도체 장비 기업 간담회 결과",
    "일시: 2024. 3. 14.(목) 14:00~16:00",
    "장소: 구미전자정보기술원 3층 회의실",
    "참석자: ㈜가나전자 김○○ 대표, ㈜다라테크 이○○ 이사 등 12명",
)
SPEAKER_LINES = (
    "○ 김○○ 대표(㈜가나전자): 장비 예약이 어렵습니다.",
    "○ 이○○ 이사(㈜다라테크): 시험인증 비용 지원을 늘려 주셨으면 합니다.",
    "○ 사회자: 추가 의견이 있으시면 말씀해 주십시오.",
)
SPEAKER_TABLE = (
    ("발언자", "발언 내용"),
    ("김○○ 대표", "장비 예약이 어렵습니다."),
    ("이○○ 이사", "시험인증 비용 지원을 늘려 주셨으면 합니다."),
)
SURVEY_HEADERS = ("응답번호", "기업명", "지역", "업종", "애로사항", "건의사항")
SURVEY_ROWS = (
    (1, "㈜가나전자", "경북", "전자부품", "장비 예약이 어렵습니다.", "예약 시스템을 개선해 주세요."),
    (2, "㈜다라테크", "대구", "", "", "시험인증 비용 지원 확대\n(특히 EMC)"),
    (3, "", "", "", "   ", ""),
)
SURVEY_BLOCKS = (
    Block(
        "장비 예약이 어렵습니다.",
        "answer",
        {
            "row": "1",
            "column": "애로사항",
            "respondent": "1",
            "organisation": "㈜가나전자",
            "region": "경북",
            "industry": "전자부품",
        },
    ),
    Block(
        "예약 시스템을 개선해 주세요.",
        "answer",
        {
            "row": "1",
            "column": "건의사항",
            "respondent": "1",
            "organisation": "㈜가나전자",
            "region": "경북",
            "industry": "전자부품",
        },
    ),
    Block(
        "시험인증 비용 지원 확대 (특히 EMC)",
        "answer",
        {"row": "2", "column": "건의사항", "respondent": "2", "organisation": "㈜다라테크", "region": "대구"},
    ),
)


def paragraphs(*lines: str) -> list[Block]:
    return [Block(line) for line in lines]


def rows(*cells: tuple[str, ...]) -> list[Block]:
    return [Block("\t".join(row), "table_row") for row in cells]


#: What the HWP, HWPX and DOCX minutes give: the header, the speaker table in place, the speaker lines.
MINUTES_BLOCKS = (*paragraphs(*MINUTES_HEADER), *rows(*SPEAKER_TABLE), *paragraphs(*SPEAKER_LINES))


def _hwpx_document() -> object:
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    for line in MINUTES_HEADER:
        document.add_paragraph(line)
    table = document.add_table(len(SPEAKER_TABLE), 2)
    for r, row in enumerate(SPEAKER_TABLE):
        for c, text in enumerate(row):
            table.set_cell_text(r, c, text)
    for line in SPEAKER_LINES:
        document.add_paragraph(line)
    return document


def make_hwp(fmt: str) -> bytes:
    """The minutes as HWPX (``fmt="hwpx"``) or HWP 5 (``fmt="hwp"``)."""
    return _hwpx_document().to_bytes(format=fmt)  # type: ignore[attr-defined]


def make_hwpx_with_footnote() -> bytes:
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    paragraph = document.add_paragraph("○ 김○○ 대표: 장비 예약이 어렵습니다.")
    document.notes.add_footnote("2023년 기준 예약 대기 3주", paragraph)
    document.add_paragraph("이상입니다.")
    return document.to_bytes(format="hwpx")


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TRACKED_CHANGES = (
    f'<w:del {_W} w:id="1" w:author="a"><w:r><w:delText>예산을 줄입니다.</w:delText></w:r></w:del>',
    f'<w:ins {_W} w:id="2" w:author="a"><w:r><w:t>예산을 늘립니다.</w:t></w:r></w:ins>',
)


def make_docx() -> bytes:
    """Minutes: header paragraphs, the speaker table with a merged row and a two-paragraph cell,
    a paragraph with a soft line break, one with a tracked insertion, then the speaker lines."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    for line in MINUTES_HEADER:
        document.add_paragraph(line)
    table = document.add_table(rows=len(SPEAKER_TABLE) + 2, cols=2)
    for r, row in enumerate(SPEAKER_TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    merged = table.cell(3, 0).merge(table.cell(3, 1))
    merged.text = "(휴식)"
    table.cell(4, 0).text = "사회자"
    table.cell(4, 1).text = "첫째 문단입니다."
    table.cell(4, 1).add_paragraph("둘째 문단입니다.")
    broken = document.add_paragraph("첫 줄")
    broken.add_run().add_break()
    broken.add_run("둘째 줄")
    revised = document.add_paragraph("수정: ")
    for change in TRACKED_CHANGES:
        revised._p.append(parse_xml(change))
    for line in SPEAKER_LINES:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


#: Word marks the speaker table's heading row, and each row under it carries the role of its cells.
_SPOKEN = {"columns": "speaker\tstatement"}
DOCX_BLOCKS = (
    *paragraphs(*MINUTES_HEADER),
    Block("\t".join(SPEAKER_TABLE[0]), "table_heading"),
    *[Block("\t".join(row), "table_row", _SPOKEN) for row in SPEAKER_TABLE[1:]],
    Block("(휴식)", "table_row", {"columns": "other"}),
    Block("사회자\t첫째 문단입니다. 둘째 문단입니다.", "table_row", _SPOKEN),
    *paragraphs("첫 줄", "둘째 줄", "수정: 예산을 늘립니다.", *SPEAKER_LINES),
)


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "설문"
    sheet.append(SURVEY_HEADERS)
    for row in SURVEY_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def survey_csv_text() -> str:
    """The survey as CSV text with CRLF line ends, as Excel writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SURVEY_HEADERS)
    writer.writerows(SURVEY_ROWS)
    return out.getvalue()


def make_pdf(lines_per_page: list[tuple[str, ...]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Nanum", fname=str(NANUM))
    pdf.set_font("Nanum", size=12)
    for lines in lines_per_page:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    """A page that holds only a picture, as a scanner makes it."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (300, 120), "white"), x=10, y=10, w=150)
    return bytes(pdf.output())
