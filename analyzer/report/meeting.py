"""The one-meeting summary (회의 결과 요지): who took part by organisation, each organisation's pain points and
requests grouped by category, and the follow-ups (what the hosts undertook to do, what still needs review)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from analyzer.report.model import Block, Heading, Line, Report, Table
from analyzer.report.wording import KIND_LABELS, UNKNOWN_ORGANISATION, count, short_quote

#: A statement that undertakes something: "검토하겠습니다", "반영하도록 하겠습니다", "전달해 드리겠습니다".
COMMITMENT = re.compile(
    r"(검토|반영|추진|협의|마련|전달|공유|확인|살펴|건의|지원|개선|준비|알려|안내|챙기)[가-힣\s]{0,8}겠(습니다|음|다)"
)
UNCATEGORISED = "기타(범주 없음)"
ASKED = ("pain_point", "request")


def _organisation(unit: Mapping[str, Any]) -> str:
    return str(unit.get("organisation") or "").strip() or UNKNOWN_ORGANISATION


def attendees(units: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(organisation, speakers by title, statements) in order of first appearance; speakers are counted by their
    pseudonym and shown by title only."""
    seen: dict[str, dict[str, str]] = {}
    statements: dict[str, int] = {}
    for unit in units:
        organisation = _organisation(unit)
        speakers = seen.setdefault(organisation, {})
        if unit.get("speaker"):
            speakers.setdefault(str(unit["speaker"]), str(unit.get("title") or "참석자"))
        statements[organisation] = statements.get(organisation, 0) + 1
    rows = []
    for organisation, speakers in seen.items():
        titles: dict[str, int] = {}
        for title in speakers.values():
            titles[title] = titles.get(title, 0) + 1
        shown = ", ".join(f"{title} {n}명" if n > 1 else title for title, n in titles.items()) or "-"
        rows.append((organisation, shown, f"{statements[organisation]:,}"))
    return rows


def by_organisation(
    units: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, dict[str, list[Mapping[str, Any]]]]:
    """Pain points and requests: organisation → first category's label → units, in order of first appearance (a
    unit of several categories is listed once, under its first)."""
    grouped: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for unit in units:
        if unit.get("kind") not in ASKED:
            continue
        categories = [labels.get(c, c) for c in unit.get("categories") or []] or [UNCATEGORISED]
        grouped.setdefault(_organisation(unit), {}).setdefault(categories[0], []).append(unit)
    return grouped


def _also(unit: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    others = [labels.get(c, c) for c in (unit.get("categories") or [])[1:]]
    return f" ※ 함께: {', '.join(others)}" if others else ""


def follow_ups(units: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Statements in which someone undertakes to act (a host's answer: 검토하겠습니다, 반영하겠습니다, …)."""
    return [unit for unit in units if COMMITMENT.search(str(unit.get("text") or ""))]


def _meta(meeting: Mapping[str, Any], units: Sequence[Mapping[str, Any]], model: str, written: dt.date) -> Any:
    fields = (
        ("기관", meeting.get("agency")),
        ("일시", meeting.get("date")),
        ("장소", meeting.get("place")),
        ("지원사업", meeting.get("programme")),
        ("지역", meeting.get("region")),
        ("분석 단위", count(len(units))),
        ("모델 버전", model),
        ("작성일", written.isoformat()),
    )
    return tuple((label, str(value or "-")) for label, value in fields)


def meeting_report(
    meeting: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    *,
    model_version: str,
    written: dt.date,
) -> Report:
    """The 요지 of one *meeting* from its tagged *units* (effective labels); *labels*: category id → label."""
    kinds = {kind: sum(1 for u in units if u.get("kind") == kind) for kind in KIND_LABELS}
    review = sum(1 for u in units if u.get("needs_review"))
    present = attendees(units)
    blocks: list[Block] = [
        Heading("Ⅰ. 개요"),
        Line(f"발언 {count(len(units))}, 참석(발언) 기관·기업 {count(len(present), '곳')}", strong=True),
        Line(" · ".join(f"{label} {count(kinds[kind])}" for kind, label in KIND_LABELS.items()), 1),
        Heading("Ⅱ. 참석 기관별 발언자"),
        Table(("기관·기업", "발언자(직함)", "발언 수"), tuple(present), (3, 4, 1.2), (False, False, True)),
        Line("이름은 가명 처리되어 직함만 적음; 회의록에 발언이 없는 참석자는 빠짐", 3),
        Heading("Ⅲ. 기관별 애로·건의"),
    ]
    grouped = by_organisation(units, labels)
    if not grouped:
        blocks.append(Line("애로나 건의로 분류된 발언이 없음"))
    for organisation, categories in grouped.items():
        asked = {k: sum(1 for u in units if _organisation(u) == organisation and u.get("kind") == k) for k in ASKED}
        blocks.append(
            Line(f"{organisation}: 애로 {count(asked['pain_point'])}, 건의 {count(asked['request'])}", strong=True)
        )
        for label, members in categories.items():
            blocks.append(Line(label, 1))
            blocks.extend(
                Line(f"({KIND_LABELS[str(u['kind'])]}) {short_quote(str(u.get('text') or ''))}{_also(u, labels)}", 2)
                for u in members
            )
    blocks.append(Heading("Ⅳ. 후속 조치"))
    undertaken = follow_ups(units)
    for unit in undertaken:
        blocks.append(Line(f"{_organisation(unit)}: {short_quote(str(unit.get('text') or ''))}", 0))
    if not undertaken:
        blocks.append(Line("회의에서 약속된 조치(…하겠습니다)는 찾지 못함"))
    requests = kinds["request"]
    blocks.append(Line(f"건의 {count(requests)}에 대한 회신·반영 여부 확인 필요", 0))
    blocks.append(Line(f"분류 검토 필요 발언 {count(review)}: 담당자가 '검토 필요'에서 확인", 0))
    title = f"{meeting.get('title') or '회의'} 결과 요지"
    return Report(
        title, _meta(meeting, units, model_version, written), tuple(blocks), f"moksori-meeting-{meeting['id']}"
    )
