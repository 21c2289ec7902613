"""The whole API under TestClient against a real SQLite file: upload → job → units → findings → corrections."""

from __future__ import annotations

import csv
import io

import pytest
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient
from file_samples import make_hwp

MINUTES = """2024년 창원 로봇기업 간담회
일시: 2024. 7. 9.(화) 14:00
장소: 경남테크노파크 세미나실
○ 김철수 대표(㈜가나로봇): 시험 장비 예약이 너무 밀려 있습니다. 장비를 다룰 전문가도 함께 연계해 주셨으면 합니다.
○ 이○○ 이사(㈜다라정밀): 해외 인증 비용이 너무 비쌉니다. 연락처는 010-2345-6789입니다.
[박 팀장] 어 그러니까 사람을 못 구해서 라인을 못 돌리고 있거든요
사회자: 건의하신 내용은 검토해서 반영하겠습니다.
"""


def upload(client: TestClient, key: str, name: str, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/uploads",
        headers=auth(key),
        files={"file": (name, data)},
        data={"title": fields.pop("title", "창원 로봇기업 간담회"), "date": "2024-07-09", "region": "경남", **fields},
    )


def test_health_needs_no_key(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_missing_or_bad_key_is_a_korean_problem(client: TestClient, api_keys: Keys) -> None:
    for headers in ({}, auth("mks_nope_nope")):
        response = client.get("/api/v1/meetings", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["code"] == "unauthorized" and "API 키" in body["detail"] and body["status"] == 401


def test_upload_analyse_correct_and_count(client: TestClient, api_keys: Keys, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    first = upload(client, api_keys.staff, "minutes.txt", MINUTES.encode("utf-8"))
    assert first.status_code == 202, first.text
    accepted = first.json()
    again = upload(client, api_keys.staff, "minutes.txt", MINUTES.encode("utf-8"))
    assert again.status_code == 202
    assert again.json()["document_id"] == accepted["document_id"] and again.json()["created"] is False

    assert client.get(accepted["status_url"], headers=auth(api_keys.staff)).json()["status"] == "queued"
    run_jobs(client, analyzer_instance)
    assert client.get(accepted["status_url"], headers=auth(api_keys.staff)).json()["status"] == "done"

    meeting = client.get(f"/api/v1/meetings/{accepted['meeting_id']}", headers=auth(api_keys.staff)).json()
    assert meeting["place"] == "경남테크노파크 세미나실" and meeting["units"] >= 6

    units = client.get("/api/v1/units", params={"meeting_id": accepted["meeting_id"]}, headers=auth(api_keys.staff))
    assert units.status_code == 200
    items = units.json()["items"]
    dump = units.text
    assert "010-2345-6789" not in dump and "김철수" not in dump and "[전화번호]" in dump
    assert all({"categories", "kind", "kind_confidence", "needs_review"} <= set(item) for item in items)

    before = client.get("/api/v1/findings", headers=auth(api_keys.leadership)).json()
    target = next(i for i in items if "사람을 못 구해서" in i["text"])
    corrected = client.post(
        f"/api/v1/units/{target['unit_id']}/corrections",
        headers=auth(api_keys.staff),
        json={"categories": ["regulation"], "kind": "pain_point"},
    )
    assert corrected.status_code == 201, corrected.text
    after = client.get("/api/v1/findings", headers=auth(api_keys.leadership)).json()

    def count(findings: dict, category: str) -> int:  # type: ignore[type-arg]
        return sum(r["units"] for r in findings["top"] if r["category"] == category)

    assert count(after, "regulation") == count(before, "regulation") + (
        0 if "regulation" in target["categories"] else 1
    )
    filtered = client.get("/api/v1/units", params={"category": "regulation"}, headers=auth(api_keys.staff)).json()
    assert any(i["unit_id"] == target["unit_id"] and i["corrected"] for i in filtered["items"])


def test_meeting_metadata_is_masked_too(client: TestClient, api_keys: Keys) -> None:
    response = upload(
        client, api_keys.staff, "m.txt", "사회자: 시작합니다".encode(), title="김철수 대표 면담 010-1234-5678"
    )
    meeting = client.get(f"/api/v1/meetings/{response.json()['meeting_id']}", headers=auth(api_keys.staff)).json()
    assert meeting["title"] == "[이름] 대표 면담 [전화번호]"


def test_hwpx_upload_is_analysed(client: TestClient, api_keys: Keys, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, api_keys.staff, "minutes.hwpx", make_hwp("hwpx"))
    assert response.status_code == 202
    run_jobs(client, analyzer_instance)
    job = client.get(response.json()["status_url"], headers=auth(api_keys.staff)).json()
    assert job["status"] == "done"


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.txt", b"", 422, "empty_file"),
        ("minutes.hwpx", b"%PDF-1.7\n1 0 obj", 415, "type_mismatch"),
        ("blob.bin", b"\x00\x01\x02\x03" * 64, 415, "unknown_type"),
    ],
)
def test_bad_uploads_are_refused_with_their_code(
    client: TestClient, api_keys: Keys, name: str, data: bytes, status: int, code: str
) -> None:
    response = upload(client, api_keys.staff, name, data)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["detail"]


def test_oversized_body_is_413(tmp_path, api_keys: Keys) -> None:  # type: ignore[no-untyped-def]
    from analyzer.settings import Settings
    from api.app import create_app

    with TestClient(create_app(Settings(data_dir=tmp_path / "small", max_upload_bytes=1000))) as small:
        engine = small.app.state.context.engine  # type: ignore[attr-defined]
        from analyzer.store import keys

        _, admin = keys.create_key(engine, "admin", None, "a", None)
        response = small.post(
            "/api/v1/uploads", headers=auth(admin), files={"file": ("big.txt", b"a" * 3_000_000)}, data={"agency": "x"}
        )
        assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


def test_upload_rate_limit_answers_429_in_korean(tmp_path, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    from analyzer.settings import Settings
    from analyzer.store import keys
    from analyzer.store.agencies import create_agency
    from api.app import create_app

    with TestClient(create_app(Settings(data_dir=tmp_path / "rl", uploads_per_minute=2))) as limited:
        _, admin = keys.create_key(limited.app.state.context.engine, "admin", None, "a", None)  # type: ignore[attr-defined]
        create_agency(limited.app.state.context.engine, "x")  # type: ignore[attr-defined]
        codes = [
            upload(limited, admin, f"m{i}.txt", f"사회자: 안건 {i}번".encode(), agency="x").status_code
            for i in range(3)
        ]
        assert codes == [202, 202, 429]


def test_exports_are_formula_safe(client: TestClient, api_keys: Keys, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    text = "사회자: 시작합니다\n○ 김OO 대표(=HYPERLINK(1)): =1+2 장비 예약이 너무 어렵습니다. 장비 사용료도 비쌉니다.\n"
    upload(client, api_keys.staff, "formula.txt", text.encode("utf-8"))
    run_jobs(client, analyzer_instance)
    csv_response = client.get("/api/v1/findings/export.csv", headers=auth(api_keys.leadership))
    assert csv_response.status_code == 200 and csv_response.content.startswith(b"\xef\xbb\xbf")
    cells = [c for row in csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    xlsx = client.get("/api/v1/findings/export.xlsx", headers=auth(api_keys.leadership))
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert all(not str(c.value or "").startswith("=") for row in sheet.iter_rows() for c in row)


def test_openapi_declares_problem_responses(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            if path != "/api/v1/health":
                assert "401" in operation["responses"] and "403" in operation["responses"], (method, path)


def test_docs_are_self_hosted(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
