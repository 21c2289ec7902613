"""Follow-up actions through the API: a request from a sample meeting goes received → reviewing → accepted → done
with its history; filters, 처리 현황, exports, validation and roles."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient

from analyzer.services.samples import sample_uploads

A = "/api/v1/actions"


def _sample_requests(client: TestClient, key: str, analyzer: Any) -> list[dict[str, Any]]:
    sample = sample_uploads()[0]  # the 구미 roundtable
    accepted = client.post(
        "/api/v1/uploads", headers=auth(key), files={"file": (sample.filename, sample.data)}, data={"date": sample.date}
    ).json()
    run_jobs(client, analyzer)
    units = client.get(
        "/api/v1/units", params={"meeting_id": accepted["meeting_id"], "kind": "request"}, headers=auth(key)
    ).json()["items"]
    assert units
    return units  # type: ignore[no-any-return]


def test_a_request_goes_from_received_to_done_with_its_history(
    client: TestClient, api_keys: Keys, analyzer_instance: Any
) -> None:
    units = _sample_requests(client, api_keys.staff, analyzer_instance)
    body = {
        "unit_ids": [units[0]["unit_id"]],
        "title": "건의 회신",
        "department": "기업지원과",
        "due_date": "2099-12-31",
    }
    made = client.post(A, headers=auth(api_keys.staff), json=body)
    assert made.status_code == 201 and made.json()["status"] == "received"
    action = made.json()["id"]
    answers = {"reviewing": "검토를 시작했습니다.", "accepted": "수용합니다.", "done": "조치를 마쳤습니다."}
    for status, answer in answers.items():
        changed = client.patch(f"{A}/{action}", headers=auth(api_keys.staff), json={"status": status, "answer": answer})
        assert changed.status_code == 200 and changed.json()["status"] == status
    history = client.get(f"{A}/{action}/history", headers=auth(api_keys.leadership)).json()
    assert [(h["status"], h["answer"]) for h in history] == [("received", ""), *answers.items()]
    assert all(h["author"].startswith("key-") and h["at"] for h in history)
    detail = client.get(f"{A}/{action}", headers=auth(api_keys.leadership)).json()
    assert detail["status_label"] == "조치 완료" and detail["unit_ids"] == [units[0]["unit_id"]]
    status = client.get("/api/v1/action-status", headers=auth(api_keys.leadership)).json()
    assert status["total"] == 1 and status["answer_rate"] == 1.0 and status["median_days_to_answer"] is not None


def test_filters_exports_and_refusals(client: TestClient, api_keys: Keys, analyzer_instance: Any) -> None:
    units = _sample_requests(client, api_keys.staff, analyzer_instance)
    staff, lead = auth(api_keys.staff), auth(api_keys.leadership)
    late = {
        "unit_ids": [units[0]["unit_id"]],
        "title": "=HYPERLINK(1)",
        "department": "재정과",
        "due_date": "2020-01-01",
    }
    soon = {"unit_ids": [u["unit_id"] for u in units[1:3]], "title": "인력 지원", "department": "인력과"}
    first, second = (client.post(A, headers=staff, json=b).json()["id"] for b in (late, soon))
    assert [r["id"] for r in client.get(A, headers=lead, params={"overdue": "true"}).json()["items"]] == [first]
    assert [r["id"] for r in client.get(A, headers=lead, params={"department": "인력과"}).json()["items"]] == [second]
    assert client.get(A, headers=lead, params={"status": "done"}).json()["total"] == 0
    meeting = units[0]["meeting_id"]
    assert client.get(A, headers=lead, params={"meeting_id": meeting}).json()["total"] == 2
    category = units[0]["categories"][0] if units[0]["categories"] else None
    if category:
        found = client.get(A, headers=lead, params={"category": category}).json()["items"]
        assert first in [r["id"] for r in found]
    assert client.get(A, headers=lead, params={"category": "no_such"}).status_code == 422
    assert client.get(A, headers=lead, params={"status": "finished"}).status_code == 422

    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/actions-export.xlsx", headers=lead).content)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:5] == ["번호", "제목", "담당 부서", "기한", "상태"]
    assert {row[1] for row in cells[1:]} == {"'=HYPERLINK(1)", "인력 지원"} and cells[1][5] == "예"
    text = client.get("/api/v1/actions-export.csv", headers=lead, params={"overdue": "true"}).content
    assert text.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(lines) == 2 and lines[1][4] == "접수"

    assert client.patch(f"{A}/{first}", headers=lead, json={"status": "done"}).status_code == 403
    assert client.post(A, headers=lead, json=late).status_code == 403
    other = auth(api_keys.other_staff)
    assert client.get(f"{A}/{first}", headers=other).status_code == 404
    assert client.patch(f"{A}/{first}", headers=other, json={"status": "done"}).status_code == 404
    assert client.post(A, headers=other, json=late).json()["code"] == "unit_not_found"
    assert client.get(A, headers=other).json()["total"] == 0
    bad_date = client.post(A, headers=staff, json={**soon, "due_date": "2026-02-30"})
    assert bad_date.status_code == 422 and bad_date.json()["code"] == "invalid_date"
    assert client.patch(f"{A}/{first}", headers=staff, json={"status": "finished"}).status_code == 422
    assert client.post(A, headers=staff, json={**soon, "unit_ids": []}).status_code == 422


def test_an_overdue_action_raises_one_alert_that_leadership_acknowledges(
    client: TestClient, api_keys: Keys, analyzer_instance: Any
) -> None:
    units = _sample_requests(client, api_keys.staff, analyzer_instance)
    staff, lead = auth(api_keys.staff), auth(api_keys.leadership)
    late = {"unit_ids": [units[0]["unit_id"]], "title": "늦은 회신", "due_date": "2020-01-01"}
    action = client.post(A, headers=staff, json=late).json()["id"]
    assert client.post("/api/v1/alerts/scan", headers=staff).json()["stored"] >= 1
    assert client.post("/api/v1/alerts/scan", headers=lead).json()["stored"] == 0
    alerts = client.get("/api/v1/alerts", headers=lead).json()["items"]
    overdue = [a for a in alerts if a["kind"] == "overdue"]
    assert [a["key"] for a in overdue] == [f"overdue:{action}"] and overdue[0]["kind_label"] == "기한 초과 조치"
    acknowledged = client.post(f"/api/v1/alerts/{overdue[0]['id']}/acknowledge", headers=lead).json()
    assert acknowledged["acknowledged_at"] and acknowledged["acknowledged_by"].startswith("key-")
    assert client.get("/api/v1/alerts", headers=lead, params={"open_only": "true"}).json()["total"] == len(alerts) - 1
    assert client.get("/api/v1/alerts", headers=auth(api_keys.other_staff)).json()["total"] == 0
    assert client.get("/api/v1/candidates", headers=auth(api_keys.researcher)).status_code == 200
    assert client.get("/api/v1/alerts", headers=auth(api_keys.researcher)).status_code == 403
