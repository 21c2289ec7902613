"""Personal data at rest: masked upload fields and file names, encrypted originals, private files, deletion with an
audit line, retention, and survey respondents that are nobody's across surveys."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from analyzer.settings import Settings
from analyzer.store.deletion import apply_retention
from analyzer.store.tables import audit_log, corrections, documents, jobs, meetings, taggings, units, utcnow

RAW = ("김철수", "900101-1234568", "1234568", "010-1234-5678", "5678", "chulsoo@example.com", "박영희")
MINUTES = "사회자: 간담회를 시작합니다.\n○ 이OO 대표: 장비 예약이 너무 어렵습니다. 시험 인증 비용도 부담됩니다.\n"


def _upload(client: TestClient, key: str, data: bytes = MINUTES.encode(), **fields: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/uploads",
        headers=auth(key),
        files={"file": (fields.pop("name", "minutes.txt"), data)},
        data={"title": "개인정보 시험", "date": "2024-07-09", **fields},
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def _database_text(settings: Settings) -> str:
    """Every value of every row of every table, as one string."""
    connection = sqlite3.connect(settings.data_dir / "moksori.db")
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(str(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))
    finally:
        connection.close()


def test_upload_fields_and_file_name_are_masked_before_storage(
    client: TestClient, api_keys: Keys, settings: Settings, analyzer_instance: Any
) -> None:
    _upload(
        client,
        api_keys.staff,
        name="김철수_900101-1234568_010-1234-5678.txt",
        title="",
        programme="김철수 대표 010-1234-5678 지원사업",
        region="경남 박영희 팀장 chulsoo@example.com",
        industry="기계 900101-1234568",
        place="박영희 과장 사무실",
    )
    run_jobs(client, analyzer_instance)
    stored = _database_text(settings)
    served = "".join(
        client.get(path, headers=auth(api_keys.admin)).text
        for path in ("/api/v1/meetings", "/api/v1/meetings/1", "/api/v1/units", "/api/v1/findings")
    )
    for raw in RAW:
        assert raw not in stored, raw
        assert raw not in served, raw
    assert "[이름]_[주민번호]_[전화번호].txt" in stored


def test_originals_are_encrypted_and_files_private(client: TestClient, api_keys: Keys, settings: Settings) -> None:
    _upload(client, api_keys.staff, data="김철수 대표: 900101-1234568 장비가 없습니다.".encode())
    blobs = [path for path in (settings.data_dir / "blobs").rglob("*") if path.is_file()]
    assert blobs and all("김철수".encode() not in path.read_bytes() for path in blobs)
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in blobs)
    assert settings.data_dir.stat().st_mode & 0o777 == 0o700
    for name in ("moksori.db", "moksori.db-wal"):
        assert (settings.data_dir / name).stat().st_mode & 0o777 == 0o600, name
    key = settings.blob_key_path
    assert not key.is_relative_to(settings.data_dir) and key.stat().st_mode & 0o777 == 0o600


def _count(client: TestClient, table: Any, *where: Any) -> int:
    with client.app.state.context.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_deleting_a_meeting_removes_everything_derived_and_leaves_an_audit_line(
    client: TestClient, api_keys: Keys, settings: Settings, analyzer_instance: Any
) -> None:
    mine = _upload(client, api_keys.staff)
    kept = _upload(client, api_keys.staff, data="사회자: 다른 회의입니다.\n○ 정OO 대표: 인력이 부족합니다.".encode())
    run_jobs(client, analyzer_instance)
    unit = client.get("/api/v1/units", params={"meeting_id": mine["meeting_id"]}, headers=auth(api_keys.staff))
    unit_id = unit.json()["items"][0]["unit_id"]
    corrected = client.post(
        f"/api/v1/units/{unit_id}/corrections", headers=auth(api_keys.staff), json={"categories": [], "kind": "neutral"}
    )
    assert corrected.status_code in (200, 201)
    blob_files = {p.name for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()}
    assert len(blob_files) == 2

    target = f"/api/v1/meetings/{mine['meeting_id']}"
    assert client.delete(target, headers=auth(api_keys.other_staff)).status_code == 404
    assert client.delete(target, headers=auth(api_keys.leadership)).status_code == 403
    assert client.delete(target, headers=auth(api_keys.staff)).status_code == 204
    assert client.delete(target, headers=auth(api_keys.staff)).status_code == 404

    assert _count(client, meetings, meetings.c.id == mine["meeting_id"]) == 0
    assert _count(client, documents, documents.c.id == mine["document_id"]) == 0
    assert _count(client, units, units.c.meeting_id == mine["meeting_id"]) == 0
    assert _count(client, corrections) == 0
    assert _count(client, jobs, jobs.c.document_id == mine["document_id"]) == 0
    assert _count(client, taggings) == _count(client, units) > 0  # the other meeting's rows stay
    assert _count(client, units, units.c.meeting_id == kept["meeting_id"]) > 0
    assert len([p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()]) == 1
    assert client.get(target, headers=auth(api_keys.admin)).status_code == 404

    lines = client.get("/api/v1/audit", headers=auth(api_keys.admin)).json()["items"]
    assert lines[0]["action"] == "delete_meeting" and lines[0]["target"] == f"meeting:{mine['meeting_id']}"
    assert lines[0]["detail"]["corrections"] == 1 and lines[0]["detail"]["units"] > 0
    assert lines[0]["actor"].startswith("key-")


def test_deleting_a_document_keeps_a_file_another_agency_still_uses(
    client: TestClient, api_keys: Keys, settings: Settings
) -> None:
    mine = _upload(client, api_keys.staff)
    _upload(client, api_keys.other_staff)  # the same bytes, another agency: one file on disk
    assert len([p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()]) == 1
    assert client.delete(f"/api/v1/documents/{mine['document_id']}", headers=auth(api_keys.staff)).status_code == 204
    assert _count(client, meetings, meetings.c.id == mine["meeting_id"]) == 0  # it held nothing else
    assert len([p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()]) == 1
    assert _count(client, audit_log, audit_log.c.action == "delete_document") == 1


def test_retention_forgets_originals_but_keeps_the_masked_units(
    client: TestClient, api_keys: Keys, settings: Settings, analyzer_instance: Any
) -> None:
    _upload(client, api_keys.staff)
    run_jobs(client, analyzer_instance)
    state = client.app.state  # type: ignore[attr-defined]
    before = _count(client, units)
    assert apply_retention(state.context.engine, state.context.blobs, days=30) == 0  # nothing is old yet
    assert apply_retention(state.context.engine, state.context.blobs, days=30, now=utcnow() + timedelta(days=31)) == 1
    assert [p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()] == []
    assert _count(client, units) == before > 0
    assert _count(client, documents, documents.c.blob_path == "") == 1
    assert _count(client, audit_log, audit_log.c.action == "purge_originals") == 1


def test_an_orphaned_original_is_swept(client: TestClient, settings: Settings) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    stored = state.context.blobs.put_bytes("업로드 중 끊긴 원본".encode())  # its row was never written
    engine, blobs = state.context.engine, state.context.blobs
    assert apply_retention(engine, blobs, days=0) == 0  # too fresh to be taken for an orphan
    assert apply_retention(engine, blobs, days=0, now=utcnow() + timedelta(hours=2)) == 1
    assert not state.context.blobs.exists(stored.path)


def test_an_upload_never_creates_an_agency(client: TestClient, api_keys: Keys) -> None:
    response = client.post(
        "/api/v1/uploads",
        headers=auth(api_keys.admin),
        files={"file": ("m.txt", MINUTES.encode())},
        data={"agency": "없는기관"},
    )
    assert response.status_code == 422 and response.json()["code"] == "agency_not_found"


def test_survey_respondents_are_pseudonymous_per_survey() -> None:
    """Respondent 1 of one survey and respondent 1 of another are not the same speaker."""
    from analyzer.records import Block, Document
    from analyzer.redact import redact

    def respondent(name: str) -> str:
        block = Block("답변입니다", "answer", {"respondent": "1", "row": "1", "column": "의견"})
        document = Document(f"{name}.csv", "csv", (block,), sha256=name * 8)
        return redact(document, b"k" * 32).blocks[0].meta["respondent"]

    assert respondent("설문A") == respondent("설문A")
    assert respondent("설문A") != respondent("설문B")
