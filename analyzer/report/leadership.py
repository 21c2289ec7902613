"""The leadership report (주요 애로·건의 분석 보고) from the findings: the one source of its numbers.

Title block, one page of 요약 (□ lines with ○ sub-points), then per category, recurring issues, the review status
and an appendix table of every category, with a bar chart and a trend chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from analyzer.report.charts import bar_chart, trend_chart
from analyzer.report.model import Block, Heading, Line, PageBreak, Report, Table
from analyzer.report.wording import KIND_LABELS, count, distinct_quotes, quote_line, short_quote, trend_words

#: How many pain points and requests the 요약 names, quotes per category, categories in the trend chart.
SUMMARY_TOP, QUOTES, TREND_LINES, PHRASES, SUMMARY_QUOTE = 3, 3, 5, 6, 44
FILTER_LABELS = {"programme": "지원사업", "region": "지역", "industry": "업종"}
APPENDIX_HEADER = ("범주", "애로", "건의", "합계", "회의 수", "기관·기업 수", "정규화 점수")


def conditions(found: Mapping[str, Any]) -> str:
    filters = found.get("filters") or {}
    shown = [f"{label} {filters[name]}" for name, label in FILTER_LABELS.items() if filters.get(name)]
    return ", ".join(shown) or "전체"


def period_of(found: Mapping[str, Any]) -> str:
    filters, totals = found.get("filters") or {}, found.get("totals") or {}
    start = filters.get("date_from") or totals.get("first_date") or ""
    end = filters.get("date_to") or totals.get("last_date") or ""
    return f"{start} ~ {end}" if start or end else "기간 정보 없음"


def title_meta(found: Mapping[str, Any], agency: str, written: dt.date) -> tuple[tuple[str, str], ...]:
    totals = found.get("totals") or {}
    return (
        ("기관", agency),
        ("기간", period_of(found)),
        ("조건", conditions(found)),
        ("대상 회의·설문", count(totals.get("meetings"))),
        ("분석 단위", count(totals.get("units"))),
        ("모델 버전", str(found.get("model_version") or "")),
        ("작성일", written.isoformat()),
    )


def _ranked(top: Sequence[Mapping[str, Any]], column: str) -> list[Mapping[str, Any]]:
    chosen = [row for row in top if row.get(column)]
    return sorted(chosen, key=lambda row: (-int(row[column]), -float(row.get("score") or 0)))[:SUMMARY_TOP]


def summary(found: Mapping[str, Any]) -> list[Block]:
    """요약: the totals, the top pain points and requests (counts, change since the previous period), review."""
    totals, top = found.get("totals") or {}, found.get("top") or []
    kinds = totals.get("kinds") or {}
    trends = {row["category"]: row for row in found.get("trends") or []}
    alpha = float((found.get("parameters") or {}).get("alpha") or 0.05)
    blocks: list[Block] = [
        Heading("Ⅰ. 요약"),
        Line(
            f"개요: 회의·설문 {count(totals.get('meetings'))}, 기관·기업 {count(totals.get('organisations'), '곳')}의 "
            f"발언 {count(totals.get('units'))} 분석",
            strong=True,
        ),
        Line(" · ".join(f"{label} {count(kinds.get(kind))}" for kind, label in KIND_LABELS.items()), 1),
    ]
    if not top:
        return [*blocks, Line("해당 조건에 애로·건의로 분류된 발언이 없습니다.", 1)]
    for kind, column in (("pain_point", "units_pain_point"), ("request", "units_request")):
        kind_label = KIND_LABELS[kind]
        for row in _ranked(top, column):
            blocks.append(
                Line(
                    f"({kind_label}) {row['label']} {count(row[column])}: 회의 {count(row.get('meetings'))}, "
                    f"기관·기업 {count(row.get('organisations'), '곳')}",
                    strong=True,
                )
            )
            blocks.append(Line(f"변화: {trend_words(trends.get(row['category']), alpha)}", 1))
            quotes = distinct_quotes(
                [q for q in (found["by_category"].get(row["category"], {}).get("quotes") or []) if q["kind"] == kind],
                1,
            )
            if quotes:
                blocks.append(Line(f"예) “{short_quote(quotes[0]['text'], SUMMARY_QUOTE)}”", 1))
    rising = [row["label"] for row in found.get("trends") or [] if row.get("rising")]
    blocks.append(
        Line(
            ("통계적으로 유의하게 늘어난 범주: " + ", ".join(rising))
            if rising
            else "직전 기간보다 통계적으로 유의하게 늘어난 범주는 없음",
            strong=True,
        )
    )
    blocks.append(Line(f"검토 현황: {review_sentence(totals)}", strong=True))
    if (found.get("actions") or {}).get("total"):
        blocks.append(Line(f"처리 현황: {action_sentence(found['actions'])}", strong=True))
    blocks.append(Line("건수는 발언(분석 단위) 수, 한 발언이 여러 범주에 해당하면 범주마다 셈", 3))
    return blocks


def review_sentence(totals: Mapping[str, Any]) -> str:
    return (
        f"검토 필요 {count(totals.get('needs_review'))} (분석 단위의 "
        f"{100 * int(totals.get('needs_review') or 0) / max(1, int(totals.get('units') or 0)):.1f}%), "
        f"사람이 바로잡은 분류 {count(totals.get('corrected'))}"
    )


def charts(found: Mapping[str, Any]) -> list[Block]:
    top = found.get("top") or []
    if not top:
        return []
    rows = [(row["label"], int(row.get("units_pain_point") or 0), int(row.get("units_request") or 0)) for row in top]
    blocks: list[Block] = [bar_chart(rows, "[그림 1] 범주별 애로·건의 건수 (정규화 점수 순)")]
    by_period: dict[str, dict[str, int]] = {}
    for row in (found.get("breakdowns") or {}).get("period") or []:
        if row.get("value") and row["value"] != "(미상)":
            by_period.setdefault(row["category"], {})[row["value"]] = int(row.get("units") or 0)
    periods = month_range(sorted({period for counts in by_period.values() for period in counts}))
    if periods:
        series = [
            (row["label"], [by_period.get(row["category"], {}).get(period, 0) for period in periods])
            for row in top[:TREND_LINES]
        ]
        blocks.append(trend_chart(periods, series, f"[그림 2] 상위 {len(series)}개 범주의 월별 건수"))
    return blocks


def month_range(periods: list[str], most: int = 24) -> list[str]:
    """Every month from the first to the last of *periods* (``yyyy-mm``), at most the last *most*; other period
    labels are kept as they are."""
    if not periods or not all(len(p) == 7 and p[4] == "-" for p in periods):
        return periods[-most:]
    (y0, m0), (y1, m1) = (map(int, periods[0].split("-")), map(int, periods[-1].split("-")))
    months = [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]
    return months[-most:]


def category_sections(found: Mapping[str, Any]) -> list[Block]:
    """Per category: counts by kind, the trend and its test in words, key phrases, quotes."""
    trends = {row["category"]: row for row in found.get("trends") or []}
    alpha = float((found.get("parameters") or {}).get("alpha") or 0.05)
    blocks: list[Block] = [Heading("Ⅱ. 범주별 현황"), *charts(found)]
    for rank, row in enumerate(found.get("top") or [], start=1):
        detail = found["by_category"].get(row["category"], {})
        blocks.append(Heading(f"{rank}. {row['label']}", 2))
        blocks.append(
            Line(
                f"건수: 애로 {count(row.get('units_pain_point'))}, 건의 {count(row.get('units_request'))} "
                f"(회의 {count(row.get('meetings'))}, 기관·기업 {count(row.get('organisations'), '곳')})"
            )
        )
        blocks.append(Line(f"추세: {trend_words(trends.get(row['category']), alpha)}"))
        phrases = [p["phrase"] for p in detail.get("key_phrases") or []][:PHRASES]
        if phrases:
            blocks.append(Line("주요 표현: " + ", ".join(phrases)))
        quotes = distinct_quotes(detail.get("quotes") or [], QUOTES)
        if quotes:
            blocks.append(Line("대표 발언"))
            blocks.extend(Line(quote_line(quote), 1) for quote in quotes)
    return blocks


def recurring_section(found: Mapping[str, Any], limit: int = 10) -> list[Block]:
    rows = found.get("recurring") or []
    blocks: list[Block] = [Heading("Ⅲ. 여러 회의에서 반복된 사항")]
    if not rows:
        return [*blocks, Line("두 번 이상의 회의에서 되풀이된 애로·건의는 찾지 못함")]
    for row in rows[:limit]:
        blocks.append(Line(f"{row['label']}: 회의 {count(row.get('meetings'))}에서 {count(row.get('units'))}", 0))
        blocks.append(Line(f"“{short_quote(str(row.get('text', '')))}”", 1))
    return blocks


def review_section(found: Mapping[str, Any]) -> list[Block]:
    totals = found.get("totals") or {}
    return [
        Heading("Ⅳ. 검토 현황"),
        Line(review_sentence(totals)),
        Line("검토 필요: 모델이 범주나 유형을 확신하지 못한 발언으로, 담당자가 대시보드의 '검토 필요'에서 확인", 1),
        Line("바로잡은 분류는 모든 집계에서 모델의 분류보다 우선함", 1),
    ]


def action_sentence(actions: Mapping[str, Any]) -> str:
    """One line of 처리 현황: actions, answered and 처리율, overdue, median days to the first answer."""
    rate = actions.get("answer_rate")
    median = actions.get("median_days_to_answer")
    return (
        f"조치 {count(actions.get('total'))} 중 답변 {count(actions.get('answered'))}"
        f" (처리율 {100 * float(rate or 0):.1f}%), 기한 초과 {count(len(actions.get('overdue') or []))}"
        + (f", 답변까지 중앙값 {float(median):.1f}일" if median is not None else "")
    )


def actions_section(found: Mapping[str, Any]) -> list[Block]:
    """Ⅴ. 처리 현황: the sentence, counts by status and by department, and the overdue actions."""
    actions = found.get("actions") or {}
    if not actions.get("total"):
        return []
    statuses = actions.get("by_status") or []
    by_status = Table(
        tuple(str(row["label"]) for row in statuses),
        (tuple(f"{int(row['count']):,}" for row in statuses),),
        tuple(1.0 for _ in statuses),
        tuple(True for _ in statuses),
    )
    blocks: list[Block] = [Heading("Ⅴ. 처리 현황"), Line(action_sentence(actions)), by_status]
    departments = [
        (str(row["department"]), f"{row['total']:,}", f"{row['answered']:,}", f"{row['overdue']:,}")
        for row in actions.get("by_department") or []
    ]
    if departments:
        blocks.append(
            Table(("담당 부서", "조치", "답변", "기한 초과"), tuple(departments), (3, 1, 1, 1), (False, *[True] * 3))
        )
    for row in (actions.get("overdue") or [])[:10]:
        where = f"{row['department'] or '부서 미지정'}, 기한 {row['due_date']}, {row['status_label']}"
        blocks.append(Line(f"기한 초과: {row['title']} ({where})", 1))
    return blocks


def appendix(found: Mapping[str, Any], categories: Sequence[tuple[str, str]]) -> list[Block]:
    """붙임: every category of the taxonomy, those without units as zeros, in the findings' order first."""
    top = {row["category"]: row for row in found.get("top") or []}
    order = [row["category"] for row in found.get("top") or []] + [c for c, _ in categories if c not in top]
    labels = dict(categories)
    rows = []
    for category in order:
        row = top.get(category, {})
        pain, request = int(row.get("units_pain_point") or 0), int(row.get("units_request") or 0)
        rows.append(
            (
                str(row.get("label") or labels.get(category, category)),
                f"{pain:,}",
                f"{request:,}",
                f"{int(row.get('units') or 0):,}",
                f"{int(row.get('meetings') or 0):,}",
                f"{int(row.get('organisations') or 0):,}",
                f"{float(row.get('score') or 0):.2f}",
            )
        )
    table = Table(APPENDIX_HEADER, tuple(rows), (3.2, 1, 1, 1, 1, 1.4, 1.4), (False, *([True] * 6)))
    return [
        PageBreak(),
        Heading("붙임. 범주별 집계표"),
        table,
        Line("합계는 애로와 건의 발언 수의 합 (발언마다 유형은 하나), 점수는 회의마다 같은 무게로 정규화한 값", 3),
    ]


def findings_report(
    found: Mapping[str, Any], categories: Sequence[tuple[str, str]], *, agency: str, written: dt.date
) -> Report:
    """The whole leadership report of *found* (a findings answer); *categories* are the taxonomy's (id, label)."""
    blocks: list[Block] = [
        *summary(found),
        PageBreak(),
        *category_sections(found),
        *recurring_section(found),
        *review_section(found),
        *actions_section(found),
        *appendix(found, categories),
    ]
    return Report("주요 애로·건의 분석 보고", title_meta(found, agency, written), tuple(blocks), "moksori-report")
