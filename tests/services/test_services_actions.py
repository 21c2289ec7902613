"""Follow-up actions on both databases: made from units, moved through statuses with an append-only history,
filtered, kept within their agency, and counted as 처리 현황."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from analyzer.errors import AnalyzerError
from analyzer.services import actions as service
from analyzer.services.actions import ActionFilters
from analyzer.services.context import Context
from analyzer.store import actions as store
from analyzer.store.actions import action_history
from analyzer.store.agencies import agency_id
from tests.store.stored import MODEL, analysed


def _stored(context: Context, agency: str, sha: str, texts: list[str], categories: list[list[str]]) -> list[int]:
    return analysed(context.engine, texts, sha, agency=agency, categories=categories, kinds=["request"] * len(texts))


def test_an_action_moves_through_its_statuses_and_keeps_every_change(context: Context) -> None:
    own = agency_id(context.engine, "한국산업기술진흥원")
    unit_ids = _stored(
        context, "한국산업기술진흥원", "a", ["장비 예약을 늘려 주세요.", "인력 지원을 바랍니다."], [["x"]] * 2
    )
    made = service.create_action(
        context, own, unit_ids, "장비 예약 확대 검토", "기업지원과", "2099-01-31", "staff:1 김철수 과장"
    )
    assert made["status"] == "received" and made["status_label"] == "접수"
    assert made["unit_ids"] == unit_ids and len(made["meeting_ids"]) == 1
    for status, answer in [("reviewing", ""), ("accepted", "예약 창구를 늘리겠습니다."), ("done", "완료했습니다.")]:
        service.update_action(context, own, made["id"], status, answer, "staff:1")
    after = service.get_action(context, own, made["id"])
    assert after["status"] == "done" and after["answer"] == "완료했습니다."
    steps = service.action_history(context, own, made["id"])
    assert [row["status"] for row in steps] == ["received", "reviewing", "accepted", "done"]
    assert [row["answer"] for row in steps][2] == "예약 창구를 늘리겠습니다."
    assert all(row["at"].tzinfo is not None for row in steps)
    assert steps == sorted(steps, key=lambda row: row["at"])


def test_typed_text_is_masked_before_it_is_stored(context: Context) -> None:
    own = agency_id(context.engine, "한국산업기술진흥원")
    unit_ids = _stored(context, "한국산업기술진흥원", "b", ["연락 바랍니다."], [["x"]])
    made = service.create_action(context, own, unit_ids, "김철수 대표 건의 회신 010-1234-5678", "기업지원과", "", "s")
    assert "김철수" not in made["title"] and "010-1234-5678" not in made["title"]
    updated = service.update_action(context, own, made["id"], "reviewing", "담당 홍길동 과장이 검토", "s")
    assert "홍길동" not in updated["answer"]


@pytest.mark.parametrize(
    ("units", "title", "due", "status", "code"),
    [
        ([], "제목", "", "reviewing", "action_invalid"),
        (None, "  ", "", "reviewing", "action_invalid"),
        (None, "제목", "2024-02-30", "reviewing", "action_invalid"),
        (None, "제목", "", "finished", "action_invalid"),
        ([10**9], "제목", "", "reviewing", "unit_not_found"),
    ],
)
def test_bad_requests_are_refused_with_a_code(
    context: Context, units: list[int] | None, title: str, due: str, status: str, code: str
) -> None:
    own = agency_id(context.engine, "한국산업기술진흥원")
    stored = _stored(context, "한국산업기술진흥원", "c", ["문장입니다."], [["x"]])
    with pytest.raises(AnalyzerError) as caught:
        made = service.create_action(context, own, stored if units is None else units, title, "", due, "s")
        service.update_action(context, own, made["id"], status, "", "s")
    assert caught.value.code == code


def test_another_agency_neither_sees_nor_uses_nor_changes_an_action(context: Context) -> None:
    own, other = (agency_id(context.engine, n) for n in ("한국산업기술진흥원", "경남테크노파크"))
    own_units = _stored(context, "한국산업기술진흥원", "d", ["우리 발언"], [["x"]])
    other_units = _stored(context, "경남테크노파크", "e", ["남의 발언"], [["x"]])
    made = service.create_action(context, own, own_units, "조치", "", "", "s")
    for call in (
        lambda: service.get_action(context, other, made["id"]),
        lambda: service.update_action(context, other, made["id"], "done", "", "s"),
        lambda: service.action_history(context, other, made["id"]),
    ):
        with pytest.raises(AnalyzerError) as caught:
            call()
        assert caught.value.code == "action_not_found"
    with pytest.raises(AnalyzerError) as caught:
        service.create_action(context, own, other_units, "남의 발언으로", "", "", "s")
    assert caught.value.code == "unit_not_found"
    with pytest.raises(AnalyzerError) as caught:
        service.create_action(context, None, own_units + other_units, "두 기관", "", "", "s")
    assert caught.value.code == "action_invalid"
    assert service.list_actions(context, other, ActionFilters())[1] == 0
    assert service.list_actions(context, None, ActionFilters())[1] == 1


def test_filters_and_the_status_summary(context: Context) -> None:
    own = agency_id(context.engine, "한국산업기술진흥원")
    ids = _stored(
        context, "한국산업기술진흥원", "f", ["가", "나", "다", "라"], [["funding"], ["workforce"], ["x"], ["x"]]
    )
    past, future = (date.today() + timedelta(days=d) for d in (-3, 30))
    a = service.create_action(context, own, ids[:1], "자금 건", "재정과", past.isoformat(), "s")["id"]
    b = service.create_action(context, own, ids[1:2], "인력 건", "인력과", past.isoformat(), "s")["id"]
    c = service.create_action(context, own, ids[2:], "기타 건", "인력과", future.isoformat(), "s")["id"]
    service.update_action(context, own, b, "declined", "불가", "s")
    service.update_action(context, own, c, "accepted", "수용", "s")
    with context.engine.begin() as conn:  # answered two days after receipt
        conn.execute(
            update(action_history)
            .where(action_history.c.action_id == c, action_history.c.status == "accepted")
            .values(at=store.get_action(context.engine, c)["created_at"] + timedelta(days=2))  # type: ignore[index]
        )

    def ids_of(**chosen: object) -> list[int]:
        return [row["id"] for row in service.list_actions(context, own, ActionFilters(**chosen))[0]]  # type: ignore[arg-type]

    assert ids_of() == [a, b, c]
    assert ids_of(overdue=True) == [a]  # b is past due but declined (closed)
    assert ids_of(department="인력과") == [b, c]
    assert ids_of(status="accepted") == [c]
    rows, _ = store.list_actions(context.engine, own, category=(MODEL, "funding"))
    assert [row["id"] for row in rows] == [a]
    meeting = store.get_action(context.engine, a)["meeting_ids"][0]  # type: ignore[index]
    assert ids_of(meeting_id=meeting) == [a, b, c] and ids_of(meeting_id=meeting + 999) == []
    summary = service.action_status(context, own)
    counts = {row["status"]: row["count"] for row in summary["by_status"]}
    assert counts == {s: {"received": 1, "declined": 1, "accepted": 1}.get(s, 0) for s in store.ACTION_STATUSES}
    assert summary["total"] == 3 and summary["answered"] == 2 and summary["answer_rate"] == round(2 / 3, 4)
    assert [row["id"] for row in summary["overdue"]] == [a]
    assert summary["median_days_to_answer"] == pytest.approx(1.0, abs=0.01)  # median of ~0 and 2 days
    assert {row["department"]: row["total"] for row in summary["by_department"]} == {"재정과": 1, "인력과": 2}
