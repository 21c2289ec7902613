"""Validation of what callers type: dates (422 ``invalid_date``), page sizes (the applied limit is reported and
every list is capped) and filter values (an unknown category or kind is 422 naming the parameter)."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import pytest
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from analyzer.settings import Settings
from analyzer.store.dates import given_date

PAGE_MAX = 3
MINUTES = """간담회
○ 김OO 대표(㈜가나로봇): 시험 장비 예약이 너무 밀려 있습니다. 장비를 다룰 전문가도 연계해 주셨으면 합니다.
○ 이OO 이사(㈜다라정밀): 해외 인증 비용이 너무 비쌉니다. 인증 지원 예산을 늘려 주셨으면 합니다.
[박 팀장] 사람을 못 구해서 라인을 못 돌리고 있습니다. 청년 인력 채용 지원이 필요합니다.
"""


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", uploads_per_minute=1000, failed_auth_per_minute=1000, page_size_max=PAGE_MAX
    )


def _upload(client: TestClient, key: str, date: str = "2024-07-09", name: str = "m.txt", text: str = MINUTES):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/uploads", headers=auth(key), files={"file": (name, text.encode())}, data={"date": date})


@pytest.fixture()
def analysed(client: TestClient, api_keys: Keys, analyzer_instance) -> int:  # type: ignore[no-untyped-def]
    """One analysed meeting of the staff's agency with more units than a page holds, and 4 corrections."""
    accepted = _upload(client, api_keys.staff)
    assert accepted.status_code == 202, accepted.text
    for i in range(4):  # more meetings than a page holds
        assert _upload(client, api_keys.staff, name=f"m{i}.txt", text=f"사회자: 안건 {i}번입니다.").status_code == 202
    run_jobs(client, analyzer_instance)
    units = [
        unit
        for offset in (0, PAGE_MAX)
        for unit in client.get("/api/v1/units", params={"offset": offset}, headers=auth(api_keys.staff)).json()["items"]
    ]
    for unit in units[:4]:
        response = client.post(
            f"/api/v1/units/{unit['unit_id']}/corrections",
            headers=auth(api_keys.staff),
            json={"categories": ["funding"], "kind": "request"},
        )
        assert response.status_code == 201, response.text
    return int(accepted.json()["meeting_id"])


# --- dates -------------------------------------------------------------------------------------------------------


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_given_date_reads_back_every_real_date(day: date) -> None:
    assert given_date(day.isoformat()) == day.isoformat()
    assert given_date(f"{day.year}. {day.month}. {day.day}.") == day.isoformat()


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(29, 31))
def test_given_date_refuses_days_a_month_does_not_have(year: int, month: int, day: int) -> None:
    valid = day <= calendar.monthrange(year, month)[1]
    assert (given_date(f"{year}-{month:02d}-{day:02d}") is not None) == valid


@pytest.mark.parametrize("text", ["2026-02-30", "2024-13-01", "내일", "2024-05-14 외", "20240514x", "2024-05"])
def test_given_date_refuses_what_is_not_one_date(text: str) -> None:
    assert given_date(text) is None


def test_upload_refuses_an_invalid_date_with_its_code(client: TestClient, api_keys: Keys) -> None:
    response = _upload(client, api_keys.staff, date="2026-02-30")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_date" and "날짜" in body["detail"] and "date" in body["detail"]


def test_upload_with_an_empty_date_has_no_date(client: TestClient, api_keys: Keys) -> None:
    response = _upload(client, api_keys.staff, date="")
    assert response.status_code == 202
    meeting = client.get(f"/api/v1/meetings/{response.json()['meeting_id']}", headers=auth(api_keys.staff)).json()
    assert meeting["date"] == ""


@pytest.mark.parametrize("path", ["/api/v1/findings", "/api/v1/findings/export.csv", "/api/v1/findings/export.xlsx"])
@pytest.mark.parametrize("name", ["date_from", "date_to"])
def test_findings_refuse_an_invalid_date_filter(client: TestClient, api_keys: Keys, path: str, name: str) -> None:
    response = client.get(path, params={name: "2026-02-30"}, headers=auth(api_keys.leadership))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_date" and name in response.json()["detail"]


def test_findings_refuse_a_start_after_the_end(client: TestClient, api_keys: Keys) -> None:
    params = {"date_from": "2024-08-01", "date_to": "2024-07-01"}
    response = client.get("/api/v1/findings", params=params, headers=auth(api_keys.leadership))
    assert response.status_code == 422 and response.json()["code"] == "invalid_date"


def test_findings_take_an_empty_date_filter_as_no_filter(client: TestClient, api_keys: Keys) -> None:
    response = client.get(
        "/api/v1/findings", params={"date_from": "", "date_to": ""}, headers=auth(api_keys.leadership)
    )
    assert response.status_code == 200, response.text
    assert "date_from" not in response.json()["filters"]


# --- page sizes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "role"), [("/meetings", "staff"), ("/units", "staff"), ("/corrections", "researcher")]
)
@pytest.mark.parametrize("asked", [1, PAGE_MAX, PAGE_MAX + 1, 1000, 10**9])
def test_every_list_reports_the_limit_it_applied(
    client: TestClient, api_keys: Keys, analysed: int, path: str, role: str, asked: int
) -> None:
    body = client.get(f"/api/v1{path}", params={"limit": asked}, headers=auth(getattr(api_keys, role))).json()
    assert body["limit"] == min(asked, PAGE_MAX)
    assert len(body["items"]) == min(body["limit"], body["total"])
    assert body["total"] > PAGE_MAX  # so the cap is what cut the page


def test_list_limits_out_of_range_are_refused(client: TestClient, api_keys: Keys) -> None:
    for asked in (0, -1, 2**64):
        response = client.get("/api/v1/meetings", params={"limit": asked}, headers=auth(api_keys.staff))
        assert response.status_code == 422 and response.json()["code"] == "invalid_request"


# --- filter values -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [("category", "no_such_category"), ("kind", "no_such_kind")])
def test_unknown_filter_values_are_refused_naming_the_parameter(
    client: TestClient, api_keys: Keys, name: str, value: str
) -> None:
    response = client.get("/api/v1/units", params={name: value}, headers=auth(api_keys.staff))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request" and name in response.json()["detail"]


def test_a_known_category_filter_still_answers(client: TestClient, api_keys: Keys, analysed: int) -> None:
    response = client.get("/api/v1/units", params={"category": "funding"}, headers=auth(api_keys.staff))
    assert response.status_code == 200 and response.json()["total"] >= 4
