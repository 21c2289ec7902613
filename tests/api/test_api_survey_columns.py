"""A survey whose answer column cannot be guessed fails with ``survey_no_answer_column`` ("응답 열 이름을 지정해
주세요"); the API lets the caller name it (``survey_text_col``, repeatable), and the same file sent again with
the column is analysed."""

from __future__ import annotations

import io

import pandas as pd
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient

ROWS = {
    "번호": ["1", "2", "3"],
    "회사": ["㈜가나", "㈜다라", "㈜마바"],
    "내용": ["장비 사용료가 너무 비쌉니다.", "인력 채용 지원을 늘려 주셨으면 합니다.", "인증 절차가 복잡합니다."],
    "추가": ["", "수출 상담회를 열어 주세요.", ""],
}


def _survey_csv() -> bytes:
    """A survey as Korean Excel writes it (UTF-8 with BOM), with no header that names an answer column."""
    return pd.DataFrame(ROWS).to_csv(index=False).encode("utf-8-sig")


def _send(client: TestClient, key: str, columns: list[str]):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"kind": "survey", "title": "만족도 조사"}
    if columns:
        data["survey_text_col"] = columns
    return client.post(
        "/api/v1/uploads", headers=auth(key), files={"file": ("survey.csv", io.BytesIO(_survey_csv()))}, data=data
    )


def _job(client: TestClient, key: str, accepted: dict[str, object]) -> dict[str, object]:
    return client.get(str(accepted["status_url"]), headers=auth(key)).json()  # type: ignore[no-any-return]


def test_upload_survey_columns_can_be_named_after_the_guess_fails(
    client: TestClient, api_keys: Keys, analyzer_instance
) -> None:  # type: ignore[no-untyped-def]
    first = _send(client, api_keys.staff, [])
    assert first.status_code == 202, first.text
    run_jobs(client, analyzer_instance)
    failed = _job(client, api_keys.staff, first.json())
    assert (failed["status"], failed["error_code"]) == ("failed", "survey_no_answer_column")
    assert "응답 열 이름을 지정해 주세요" in str(failed["error_message"])

    again = _send(client, api_keys.staff, ["내용", "추가"])
    assert again.status_code == 202, again.text
    assert again.json()["document_id"] == first.json()["document_id"]
    run_jobs(client, analyzer_instance)
    assert _job(client, api_keys.staff, again.json())["status"] == "done"
    units = client.get(
        "/api/v1/units", params={"meeting_id": again.json()["meeting_id"]}, headers=auth(api_keys.staff)
    ).json()
    assert sorted(unit["text"] for unit in units["items"]) == sorted(t for t in (*ROWS["내용"], *ROWS["추가"]) if t)


def test_upload_survey_column_that_is_not_in_the_file_fails_the_job_with_its_code(
    client: TestClient, api_keys: Keys, analyzer_instance
) -> None:  # type: ignore[no-untyped-def]
    accepted = _send(client, api_keys.staff, ["의견"])
    run_jobs(client, analyzer_instance)
    assert _job(client, api_keys.staff, accepted.json())["error_code"] == "survey_unknown_column"


def test_upload_refuses_unreasonable_survey_columns(client: TestClient, api_keys: Keys) -> None:
    response = _send(client, api_keys.staff, ["가" * 201])
    assert response.status_code == 422 and "survey_text_col" in response.json()["detail"]
