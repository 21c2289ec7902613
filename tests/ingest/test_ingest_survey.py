"""Survey columns: guessed from Korean headers unless named; named ones must exist."""

from __future__ import annotations

import io

import pytest

from analyzer.errors import AnalyzerError
from analyzer.ingest.survey import SurveyColumns, parse_xlsx, resolve_columns, survey_blocks


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["응답번호", "기업명", "지역", "업종", "애로사항", "건의사항"],
            SurveyColumns(("애로사항", "건의사항"), "응답번호", "기업명", "지역", "업종"),
        ),
        (
            ["번호", "회사명", "소재지", "산업 분야", "기타 의견", "응답일시"],
            SurveyColumns(("기타 의견",), "번호", "회사명", "소재지", "산업 분야"),
        ),
        (
            ["ID", "응답자 소속", "시도", "자유 응답", "개선 요청 사항"],
            SurveyColumns(("자유 응답", "개선 요청 사항"), "ID", "응답자 소속", "시도", None),
        ),
        (["응답자", "의견"], SurveyColumns(("의견",), "응답자")),
        (["응답자 ID", "최종 응답일", "응답자 의견"], SurveyColumns(("응답자 의견",), "응답자 ID")),
        (["전화번호", "애로 및 건의"], SurveyColumns(("애로 및 건의",))),
    ],
)
def test_survey_columns_are_guessed(headers: list[str], expected: SurveyColumns) -> None:
    assert resolve_columns(headers) == expected


def test_survey_named_columns_win_and_the_rest_is_guessed() -> None:
    headers = ["응답번호", "기업명", "평가", "의견"]
    chosen = resolve_columns(headers, SurveyColumns(answers=("평가",), organisation="기업명"))
    assert chosen == SurveyColumns(("평가",), "응답번호", "기업명")


@pytest.mark.parametrize(
    "columns",
    [SurveyColumns(answers=("없는 열",)), SurveyColumns(region="지역명"), SurveyColumns(respondent="성명")],
)
def test_survey_unknown_named_column(columns: SurveyColumns) -> None:
    with pytest.raises(AnalyzerError) as caught:
        resolve_columns(["응답번호", "의견"], columns)
    assert caught.value.code == "survey_unknown_column"


def test_survey_without_answer_column() -> None:
    with pytest.raises(AnalyzerError) as caught:
        resolve_columns(["응답번호", "응답자", "응답일", "성별"])
    assert caught.value.code == "survey_no_answer_column"


def test_survey_blocks_skip_blank_cells_and_fold_newlines() -> None:
    blocks = survey_blocks(["응답자", "의견"], [["가", " 첫 줄\r\n둘째 줄 "], ["나", "  "], ["", "짧은 의견"]])
    assert [(block.text, dict(block.meta)) for block in blocks] == [
        ("첫 줄 둘째 줄", {"row": "1", "column": "의견", "respondent": "가"}),
        ("짧은 의견", {"row": "3", "column": "의견"}),
    ]


def test_survey_xlsx_header_below_a_title_row() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024년 기업 애로 조사 결과"])
    sheet.append([])
    sheet.append(["번호", "회사명", "건의 사항"])
    sheet.append([1, "㈜가나전자", "장비 예약 절차를 줄여 주세요."])
    sheet.append([2, "㈜다라테크", None])
    sheet.append([3, "㈜마바소재", 42.0])
    out = io.BytesIO()
    workbook.save(out)
    assert [(block.text, dict(block.meta)) for block in parse_xlsx(out.getvalue())] == [
        (
            "장비 예약 절차를 줄여 주세요.",
            {"row": "1", "column": "건의 사항", "respondent": "1", "organisation": "㈜가나전자"},
        ),
        ("42", {"row": "3", "column": "건의 사항", "respondent": "3", "organisation": "㈜마바소재"}),
    ]
