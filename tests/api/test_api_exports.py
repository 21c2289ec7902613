"""The CSV and XLSX exports carry the split by kind, the applied filters and the model version, rounded, and
agree with the JSON findings of the same filters."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd
import pytest
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.exports import CONDITIONS_SHEET, TABLE_SHEET

MEETINGS = [
    (
        "경남.txt",
        {"date": "2024-07-09", "region": "경남"},
        "○ 김OO 대표(㈜가나로봇): 시험 장비 예약이 너무 밀려 있습니다. 장비 사용료도 너무 비쌉니다.\n"
        "○ 이OO 이사(㈜다라정밀): 해외 인증 비용 지원을 늘려 주셨으면 합니다. 인력 채용도 어렵습니다.\n"
        "[박 팀장] 청년 인력이 없어서 라인을 못 돌립니다. 자금 지원 절차도 너무 복잡합니다.\n",
    ),
    (
        "울산.txt",
        {"date": "2024-10-15", "region": "울산"},
        "○ 최OO 대표(㈜마바화학): 규제 때문에 설비 증설이 막혀 있습니다. 인허가 기간을 줄여 주셨으면 합니다.\n",
    ),
]
FILTERS = {"region": "경남", "date_from": "2024-07-01", "date_to": "2024-07-31"}


@pytest.fixture()
def analysed(client: TestClient, api_keys: Keys, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    for name, fields, text in MEETINGS:
        response = client.post(
            "/api/v1/uploads", headers=auth(api_keys.staff), files={"file": (name, text.encode())}, data=fields
        )
        assert response.status_code == 202, response.text
    run_jobs(client, analyzer_instance)


def _findings(client: TestClient, key: str) -> dict[str, Any]:
    found = client.get("/api/v1/findings", params=FILTERS, headers=auth(key)).json()
    assert found["top"], found
    return found


def _check(table: pd.DataFrame, kept: dict[str, Any], found: dict[str, Any]) -> None:
    """The table and the conditions say what the JSON findings say (ratios rounded)."""
    assert list(table["범주"]) == [row["label"] for row in found["top"]]
    for (_, line), row in zip(table.iterrows(), found["top"], strict=True):
        assert int(line["애로"]) == row["units_pain_point"] and int(line["건의"]) == row["units_request"]
        assert int(line["건수"]) == row["units"] and int(line["회의 수"]) == row["meetings"]
        assert float(line["정규화 점수"]) == round(row["score"], 3)
        assert float(line["비중(%)"]) == round(100 * row["share"], 1)
    assert kept["모델 버전"] == found["model_version"]
    assert (kept["지역"], kept["시작일"], kept["종료일"]) == ("경남", "2024-07-01", "2024-07-31")
    assert kept["기관"] == "전체"
    assert int(kept["발언 수"]) == found["totals"]["units"]
    for kind, label in {"pain_point": "애로", "request": "건의", "positive": "긍정", "neutral": "기타"}.items():
        assert int(kept[f"발언 수 · {label}"]) == found["totals"]["kinds"].get(kind, 0)


def test_csv_export_carries_kinds_filters_and_model(client: TestClient, api_keys: Keys, analysed: None) -> None:
    found = _findings(client, api_keys.leadership)
    response = client.get("/api/v1/findings/export.csv", params=FILTERS, headers=auth(api_keys.leadership))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    blank = lines.index([])
    kept = {line[0]: line[1] for line in lines[1:blank]}
    table = pd.read_csv(io.StringIO(text), skiprows=blank + 1, dtype={"범주": str})
    _check(table, kept, found)


def test_xlsx_export_carries_kinds_filters_and_model(client: TestClient, api_keys: Keys, analysed: None) -> None:
    found = _findings(client, api_keys.leadership)
    response = client.get("/api/v1/findings/export.xlsx", params=FILTERS, headers=auth(api_keys.leadership))
    assert response.status_code == 200
    table = pd.read_excel(io.BytesIO(response.content), sheet_name=TABLE_SHEET)
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    kept = {row[0]: row[1] for row in workbook[CONDITIONS_SHEET].iter_rows(min_row=2, values_only=True)}
    _check(table, kept, found)


def test_export_shares_are_rounded(client: TestClient, api_keys: Keys, analysed: None) -> None:
    response = client.get("/api/v1/findings/export.csv", headers=auth(api_keys.leadership))
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    table = pd.read_csv(io.StringIO(text), skiprows=lines.index([]) + 1)
    assert all(len(str(v).partition(".")[2]) <= 3 for v in table["정규화 점수"])
    assert all(len(str(v).partition(".")[2]) <= 1 for v in table["비중(%)"])
    assert abs(table["비중(%)"].sum() - 100) <= 0.1 * len(table)
