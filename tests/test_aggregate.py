"""Findings for leadership: normalised top issues, breakdowns, trends, quotes, key phrases, recurring issues."""

from __future__ import annotations

import json
import math
from itertools import count

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

import analyzer.aggregate
from analyzer.aggregate import (
    UNKNOWN,
    breakdown,
    findings,
    key_phrases,
    prepare_units,
    recurring_issues,
    representative_quotes,
    top_issues,
    trends,
)
from analyzer.aggregate.units import period_labels
from analyzer.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
_IDS = count(1)


def row(
    meeting: int,
    text: str,
    categories: list[str],
    kind: str = "pain_point",
    *,
    organisation: str = "",
    speaker: str = "",
    date: str = "2024-03-05",
    needs_review: bool = False,
    keyphrases: tuple[str, ...] = (),
    **dimensions: str,
) -> dict[str, object]:
    """One tagged unit as the store hands it to aggregate (meeting-level fields follow the meeting id)."""
    return {
        "unit_id": next(_IDS),
        "meeting_id": meeting,
        "meeting_title": f"{meeting}차 기업 간담회",
        "meeting_date": date,
        "agency": dimensions.get("agency", "한국산업기술진흥원"),
        "programme": dimensions.get("programme", "산업기반구축사업"),
        "region": dimensions.get("region", "경북 구미"),
        "industry": dimensions.get("industry", "디스플레이"),
        "organisation": organisation,
        "speaker": speaker,
        "text": text,
        "categories": categories,
        "kind": kind,
        "needs_review": needs_review,
        "keyphrases": list(keyphrases),
        "corrected": False,
    }


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def scores(table: pd.DataFrame) -> dict[str, float]:
    return dict(zip(table["category"], table["score"], strict=True))


# --- top issues -----------------------------------------------------------------------------------------------


def long_meeting_and_three_short() -> pd.DataFrame:
    rows = [
        row(1, f"숙련 인력이 부족해서 {i}번째 라인을 못 돌립니다", ["workforce"], speaker=f"화자-00000{i % 2}")
        for i in range(100)
    ]
    for meeting in (2, 3, 4):
        rows.append(row(meeting, "운전자금이 모자라 정책자금 한도를 늘려 주셨으면 합니다", ["funding"], "request"))
        rows.append(row(meeting, "오늘 간담회에 참석해 주셔서 감사합니다", [], "neutral"))
    return frame(rows)


@pytest.mark.parametrize(
    ("normalise", "first", "expected"),
    [
        (None, "workforce", {"workforce": 100, "funding": 3}),
        ("meeting", "funding", {"workforce": 1, "funding": 3}),
        ("respondent", "funding", {"workforce": 2, "funding": 3}),
    ],
)
def test_top_issues_normalisation_keeps_one_long_meeting_from_dominating(
    normalise: str | None, first: str, expected: dict[str, float]
) -> None:
    table = top_issues(long_meeting_and_three_short(), TAXONOMY, normalise=normalise)  # type: ignore[arg-type]
    assert table["category"].iloc[0] == first
    assert scores(table) == pytest.approx(expected)
    assert dict(zip(table["category"], table["units"], strict=True)) == {"workforce": 100, "funding": 3}


def test_top_issues_meeting_share_splits_a_meeting_between_its_categories() -> None:
    rows = [
        row(1, "인증 비용이 부담됩니다", ["commercialization"]),
        row(1, "해외 인증을 받으려면 시험 성적서가 필요합니다", ["commercialization", "export_channels"]),
        row(1, "바이어를 만날 기회가 없습니다", ["export_channels"]),
        row(1, "공장 진입로가 좁습니다", []),
    ]
    table = top_issues(frame(rows), TAXONOMY)
    assert scores(table) == pytest.approx({"commercialization": 0.5, "export_channels": 0.5})
    assert table["share"].sum() == pytest.approx(1.0)


def test_top_issues_respondent_is_the_organisation_when_the_speaker_is_unknown() -> None:
    rows = [
        row(1, f"장비 예약이 {i}주씩 밀립니다", ["equipment_facilities"], organisation="(주)가나") for i in range(9)
    ]
    rows.append(row(1, "수출 물류비가 너무 올랐어요", ["export_channels"], organisation="다라테크"))
    table = top_issues(frame(rows), TAXONOMY, normalise="respondent")
    assert scores(table) == pytest.approx({"equipment_facilities": 1.0, "export_channels": 1.0})


def test_top_issues_reports_labels_meetings_organisations_and_kinds() -> None:
    rows = [
        row(1, "인력 채용이 어렵습니다", ["workforce"], organisation="(주)가나"),
        row(1, "청년 인력이 지역을 떠납니다", ["workforce"], organisation="(주)가나"),
        row(2, "기숙사 지원을 늘려 주세요", ["workforce"], "request", organisation="다라전자"),
        row(2, "교육 과정이 도움이 되었습니다", ["workforce"], "positive", organisation="마바산업"),
        row(3, "외국인 근로자 쿼터를 늘려 주세요", ["workforce", "regulation"], "request"),
    ]
    table = top_issues(frame(rows), TAXONOMY).set_index("category")
    workforce = table.loc["workforce"]
    assert workforce["label"] == "인력·교육"
    assert (workforce["units"], workforce["meetings"], workforce["organisations"]) == (4, 3, 2)
    assert (workforce["units_pain_point"], workforce["units_request"]) == (2, 2)
    everything = top_issues(frame(rows), TAXONOMY, kinds=None).set_index("category")
    assert everything.loc["workforce", "units"] == 5 and everything.loc["workforce", "units_positive"] == 1
    by_kind = top_issues(frame(rows), TAXONOMY, by_kind=True)
    assert set(zip(by_kind["category"], by_kind["kind"], by_kind["kind_label"], strict=True)) == {
        ("workforce", "pain_point", "애로"),
        ("workforce", "request", "건의"),
        ("regulation", "request", "건의"),
    }


def test_top_issues_keeps_categories_the_taxonomy_lacks_under_their_id() -> None:
    rows = [row(1, "산단 도로가 좁아 화물차가 못 들어옵니다", ["roads"]), row(1, "자금이 부족합니다", ["funding"])]
    table = top_issues(frame(rows), TAXONOMY).set_index("category")
    assert table.loc["roads", "label"] == "roads" and table.loc["funding", "label"] == "자금·금융"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.lists(st.sampled_from([*TAXONOMY.category_ids[:4], "roads"]), max_size=4),
            st.sampled_from(TAXONOMY.kind_ids),
            st.sampled_from(["", "(주)가나", "다라전자"]),
            st.sampled_from(["", "화자-1A2B3C", "사회자"]),
        ),
        max_size=40,
    ),
    st.sampled_from([("pain_point", "request"), ("positive",), None]),
    st.sampled_from(["meeting", "respondent", None]),
)
def test_top_issues_counts_every_unit_category_pair_once(
    units: list[tuple[int, list[str], str, str, str]], kinds: tuple[str, ...] | None, normalise: str | None
) -> None:
    rows = [
        row(meeting, "의견", categories, kind, organisation=org, speaker=who)
        for meeting, categories, kind, org, who in units
    ]
    table = top_issues(frame(rows), TAXONOMY, kinds=kinds, normalise=normalise)  # type: ignore[arg-type]
    selected = [(meeting, set(cats)) for meeting, cats, kind, _, _ in units if kinds is None or kind in kinds]
    assert table["units"].sum() == sum(len(cats) for _, cats in selected)
    if normalise == "meeting":
        assert table["score"].sum() == pytest.approx(len({meeting for meeting, cats in selected if cats}))
    assert table["score"].is_monotonic_decreasing


# --- breakdowns and periods -----------------------------------------------------------------------------------


def dimension_rows() -> list[dict[str, object]]:
    return [
        row(1, "인력이 없습니다", ["workforce"], organisation="(주)가나", industry="이차전지", date="2024-01-10",
            region="경북 구미", agency="한국산업기술진흥원", programme="산업기반구축사업"),
        row(1, "자금이 부족합니다", ["funding"], organisation="다라전자", industry="디스플레이", date="2024-01-10",
            region="경북 구미", agency="한국산업기술진흥원", programme="산업기반구축사업"),
        row(2, "인력 채용이 어렵습니다", ["workforce"], organisation="다라전자", industry="디스플레이",
            date="2024-05-02", region="광주", agency="중소벤처기업진흥공단", programme="지역혁신선도기업"),
        row(3, "교육이 필요합니다", ["workforce"], organisation="", industry="", date="", region="",
            agency="", programme=""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("organisation", {("(주)가나", "workforce"): 1, ("다라전자", "funding"): 1, ("다라전자", "workforce"): 1,
                          (UNKNOWN, "workforce"): 1}),
        ("industry", {("이차전지", "workforce"): 1, ("디스플레이", "funding"): 1, ("디스플레이", "workforce"): 1,
                      (UNKNOWN, "workforce"): 1}),
        ("region", {("경북 구미", "workforce"): 1, ("경북 구미", "funding"): 1, ("광주", "workforce"): 1,
                    (UNKNOWN, "workforce"): 1}),
        ("agency", {("한국산업기술진흥원", "workforce"): 1, ("한국산업기술진흥원", "funding"): 1,
                    ("중소벤처기업진흥공단", "workforce"): 1, (UNKNOWN, "workforce"): 1}),
        ("programme", {("산업기반구축사업", "workforce"): 1, ("산업기반구축사업", "funding"): 1,
                       ("지역혁신선도기업", "workforce"): 1, (UNKNOWN, "workforce"): 1}),
        ("period", {("2024-01", "workforce"): 1, ("2024-01", "funding"): 1, ("2024-05", "workforce"): 1,
                    (UNKNOWN, "workforce"): 1}),
    ],
)  # fmt: skip
def test_breakdown_by_each_dimension(by: str, expected: dict[tuple[str, str], int]) -> None:
    table = breakdown(frame(dimension_rows()), TAXONOMY, by)  # type: ignore[arg-type]
    assert dict(zip(zip(table["value"], table["category"], strict=True), table["units"], strict=True)) == expected
    assert table["value"].iloc[-1] == UNKNOWN
    assert set(table["label"]) == {"인력·교육", "자금·금융"}
    top = scores(top_issues(frame(dimension_rows()), TAXONOMY))
    assert table.groupby("category")["score"].sum().to_dict() == pytest.approx(top)


def test_breakdown_by_quarter_and_unknown_dimension() -> None:
    table = breakdown(frame(dimension_rows()), TAXONOMY, "period", period="Q")
    assert list(dict.fromkeys(table["value"])) == ["2024Q1", "2024Q2", UNKNOWN]
    with pytest.raises(ValueError, match="by must be"):
        breakdown(frame(dimension_rows()), TAXONOMY, "speaker")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("date", "monthly", "quarterly"),
    [
        ("2024-03-05", "2024-03", "2024Q1"),
        ("2024-12-31", "2024-12", "2024Q4"),
        ("2025-04-01", "2025-04", "2025Q2"),
        ("", UNKNOWN, UNKNOWN),
        ("2024-13-45", UNKNOWN, UNKNOWN),
        ("미정", UNKNOWN, UNKNOWN),
    ],
)
def test_period_labels_parse_iso_dates_and_mark_missing_ones(date: str, monthly: str, quarterly: str) -> None:
    dates = pd.Series([date, "2024-03-05"])
    assert period_labels(dates, "M").iloc[0] == monthly
    assert period_labels(dates, "Q").iloc[0] == quarterly


# --- trends ---------------------------------------------------------------------------------------------------


def trend_rows(
    previous: int, latest: int, meetings_before: int, meetings_after: int, months: tuple[str, str] = ("01", "02")
) -> list[dict[str, object]]:
    """``previous`` then ``latest`` workforce units spread over the meetings of two months (January, February)."""
    rows = []
    before, after = (months[0], previous, meetings_before, 100), (months[1], latest, meetings_after, 200)
    for month, units, meetings, first in (before, after):
        for meeting in range(first, first + meetings):
            rows.append(row(meeting, "회의 시작", [], "neutral", date=f"2024-{month}-15"))
        for i in range(units):
            rows.append(row(first + i % meetings, "사람을 구할 수가 없습니다", ["workforce"], date=f"2024-{month}-15"))
    return rows


@pytest.mark.parametrize(
    ("previous", "latest", "before", "after", "min_count", "rising"),
    [
        (2, 6, 2, 2, 10, False),  # a small rise is noise
        (0, 6, 2, 2, 10, False),  # p < 0.05, yet below the minimum count
        (0, 6, 2, 2, 5, True),  # the same rise passes a lower minimum count
        (20, 60, 2, 2, 10, True),  # a large rise at equal exposure
        (30, 30, 2, 2, 5, False),  # equal rates
        (20, 40, 2, 4, 5, False),  # twice the units from twice the meetings: the same rate
        (60, 20, 2, 2, 5, False),  # falling
    ],
)
def test_trends_flag_only_significant_rises_with_enough_volume(
    previous: int, latest: int, before: int, after: int, min_count: int, rising: bool
) -> None:
    table = trends(frame(trend_rows(previous, latest, before, after)), TAXONOMY, min_count=min_count)
    workforce = table.set_index("category").loc["workforce"]
    assert bool(workforce["rising"]) is rising
    assert (workforce["period"], workforce["previous_period"]) == ("2024-02", "2024-01")
    assert (workforce["current_count"], workforce["previous_count"]) == (latest, previous)
    assert workforce["series"] == [previous, latest]
    assert (workforce["exposure"], workforce["previous_exposure"]) == (after, before)
    expected = binomtest(latest, latest + previous, after / (after + before), alternative="greater").pvalue
    assert workforce["p_value"] == pytest.approx(expected)


def test_trends_rate_ratio_and_units_exposure() -> None:
    rows = trend_rows(10, 30, 2, 2)
    by_meetings = trends(frame(rows), TAXONOMY).iloc[0]
    assert by_meetings["rate_ratio"] == pytest.approx(3.0)
    by_units = trends(frame(rows), TAXONOMY, exposure="units").iloc[0]
    assert (by_units["exposure"], by_units["previous_exposure"]) == (30, 10)  # neutral units are not exposure
    assert by_units["rate_ratio"] == pytest.approx(1.0) and not by_units["rising"]


def test_trends_skip_an_empty_month_and_ignore_undated_units() -> None:
    rows = trend_rows(20, 60, 2, 2)
    for unit in rows:
        if unit["meeting_date"] == "2024-02-15":
            unit["meeting_date"] = "2024-04-15"
    rows += [row(999, "인력이 없습니다", ["workforce"], date="") for _ in range(50)]
    workforce = trends(frame(rows), TAXONOMY).iloc[0]
    assert (workforce["period"], workforce["previous_period"], workforce["current_count"]) == ("2024-04", "2024-01", 60)
    assert workforce["rising"]


def test_trends_with_a_single_period_flag_nothing() -> None:
    rows = [row(1, "인력이 없습니다", ["workforce"]) for _ in range(30)]
    table = trends(frame(rows), TAXONOMY, min_count=1)
    assert len(table) == 1 and not table["rising"].any()
    assert table["previous_period"].isna().all() and table["p_value"].isna().all()
    undated = trends(frame([row(1, "인력이 없습니다", ["workforce"], date="")]), TAXONOMY)
    assert undated.empty and "rising" in undated.columns


# --- quotes ---------------------------------------------------------------------------------------------------

HIRING = "청년들이 수도권으로 떠나서 지역에서는 사람을 뽑을 수가 없습니다"


def quote_rows() -> list[dict[str, object]]:
    return [
        row(1, HIRING, ["workforce"], organisation="(주)가나", speaker="화자-AAAAAA", needs_review=True),
        row(2, "청년들이 수도권으로 떠나서 지역에서는 사람을 뽑을 수가 없습니다.", ["workforce"],
            organisation="다라전자", speaker="화자-BBBBBB"),
        row(3, "청년들이 수도권으로 떠나서, 지역에서는 사람을 뽑을 수가 없습니다", ["workforce"],
            organisation="마바산업", speaker="화자-CCCCCC"),
        row(4, "요즘 청년들이 수도권으로 떠나서 지역에서는 사람을 뽑을 수가 없습니다", ["workforce"],
            organisation="사아정밀", speaker="화자-DDDDDD"),
        row(1, "외국인 근로자 기숙사가 부족해서 채용해도 오래 못 버팁니다", ["workforce"],
            organisation="(주)가나", speaker="화자-AAAAAA"),
        row(1, "외국인 근로자 한국어 교육을 산단 안에서 해 주셨으면 합니다", ["workforce"], "request",
            organisation="(주)가나", speaker="화자-AAAAAA"),
        row(5, "숙련 기능인력이 정년퇴직하면 기술을 이어받을 사람이 없습니다", ["workforce"],
            organisation="자차테크", speaker="화자-EEEEEE"),
        row(5, "정책자금 금리가 너무 높습니다", ["funding"], organisation="자차테크", speaker="화자-EEEEEE"),
    ]  # fmt: skip


def test_quotes_collapse_near_duplicates_and_count_what_they_stand_for() -> None:
    quotes = representative_quotes(frame(quote_rows()), "workforce", n=5)
    hiring = quotes[quotes["text"].str.contains("수도권")]
    assert len(hiring) == 1
    assert (hiring["count"].iloc[0], hiring["meetings"].iloc[0]) == (4, 4)
    assert quotes["text"].iloc[0] == hiring["text"].iloc[0]  # the most repeated concern comes first
    assert not hiring["needs_review"].iloc[0]  # the reviewed twin stands in for the unit needing review
    assert len(quotes) == 4 and quotes["unit_id"].is_unique
    assert {"unit_id", "meeting_id", "organisation"} <= set(quotes.columns)


def test_quotes_are_attributed_to_organisations_never_speakers() -> None:
    quotes = representative_quotes(frame(quote_rows()), "workforce", n=5)
    assert "speaker" not in quotes.columns
    assert not quotes.astype(str).apply(lambda column: column.str.contains("화자-")).any().any()
    assert set(quotes["organisation"]) <= {"(주)가나", "다라전자", "마바산업", "사아정밀", "자차테크"}


def test_quotes_prefer_distinct_organisations_and_filter_kind() -> None:
    quotes = representative_quotes(frame(quote_rows()), "workforce", n=3)
    assert quotes["organisation"].is_unique and quotes["meeting_id"].is_unique
    requests = representative_quotes(frame(quote_rows()), "workforce", kind="request")
    assert requests["text"].tolist() == ["외국인 근로자 한국어 교육을 산단 안에서 해 주셨으면 합니다"]


@pytest.mark.parametrize("category", ["regulation", "funding_typo"])
def test_quotes_of_an_unraised_category_are_empty(category: str) -> None:
    quotes = representative_quotes(frame(quote_rows()), category)
    assert quotes.empty and "text" in quotes.columns


# --- key phrases ----------------------------------------------------------------------------------------------


def test_key_phrases_rank_by_units_and_drop_phrases_common_everywhere() -> None:
    rows = []
    for meeting in (1, 2, 3):
        rows += [
            row(meeting, "외국인 근로자가 부족합니다", ["workforce"], keyphrases=("외국인 근로자", "기업 지원")),
            row(meeting, "기숙사가 없습니다", ["workforce"], keyphrases=("기숙사", "기업 지원", "기숙사")),
            row(meeting, "정책자금이 부족합니다", ["funding"], keyphrases=("정책자금", "기업 지원")),
            row(meeting, "전시회 참가비가 비쌉니다", ["export_channels"], keyphrases=("해외 전시회", "기업 지원")),
            row(meeting, "인허가가 오래 걸립니다", ["regulation"], keyphrases=("인허가",)),
        ]
    rows += [
        row(4, "외국인  근로자 교육", ["workforce"], keyphrases=("외국인  근로자 ",)),
        row(4, "통근 버스가 없습니다", ["workforce"], keyphrases=("통근 버스",)),
        row(5, "통근 버스 노선을 늘려 주세요", ["workforce"], "request", keyphrases=("통근 버스",)),
        row(5, "야간 근무를 꺼립니다", ["workforce"], keyphrases=("야간 근무",)),
    ]
    table = key_phrases(frame(rows), "workforce")
    # 기업 지원 is as common in the other categories; 야간 근무 is mentioned once
    assert table["phrase"].tolist() == ["외국인 근로자", "기숙사", "통근 버스"]
    assert table[["units", "meetings"]].values.tolist() == [[4, 4], [3, 3], [2, 2]]
    assert table["lift"].tolist() == pytest.approx([4.0, 3.0, 2.0])
    assert key_phrases(frame(rows), "workforce", n=1)["phrase"].tolist() == ["외국인 근로자"]
    assert key_phrases(frame(rows), "workforce", min_count=3)["phrase"].tolist() == ["외국인 근로자", "기숙사"]
    assert key_phrases(frame(rows), "workforce", kinds="request")["phrase"].tolist() == []


def test_key_phrases_of_the_only_category_keep_everything() -> None:
    rows = [row(m, "인력 부족", ["workforce"], keyphrases=("인력 부족",)) for m in (1, 2)]
    table = key_phrases(frame(rows), "workforce")
    assert table["phrase"].tolist() == ["인력 부족"] and table["lift"].isna().all()


# --- recurring issues -----------------------------------------------------------------------------------------


def recurring_rows() -> list[dict[str, object]]:
    return [
        row(1, "장비 담당 연구원이 한 명뿐이라 휴가 가면 장비를 못 씁니다", ["equipment_facilities"],
            organisation="(주)가나"),
        row(2, "장비 담당 연구원이 한 명뿐이라서 휴가 가면 장비를 못 써요", ["equipment_facilities"], "request",
            organisation="다라전자"),
        row(3, "장비 담당 연구원이 한 명 뿐이라 휴가 가시면 장비를 못 씁니다", ["equipment_facilities"],
            organisation="(주)가나"),
        row(3, "장비 예약 시스템이 복잡해서 쓰기가 어렵습니다", ["equipment_facilities"]),
        row(4, "장비 예약 시스템이 복잡해서 쓰기가 어렵습니다", ["equipment_facilities"], "positive"),
        row(5, "원청이 납품 단가를 계속 깎습니다", ["collaboration"]),
        row(5, "원청이 납품 단가를 계속 깎아요", ["collaboration"]),
        row(6, "인증 비용 지원을 늘려 주세요", ["commercialization"], "request"),
        row(7, "정책자금 금리가 너무 높습니다", ["funding"]),
    ]  # fmt: skip


def test_recurring_issues_show_a_concern_raised_at_several_meetings_once() -> None:
    table = recurring_issues(frame(recurring_rows()), TAXONOMY)
    assert len(table) == 1  # 단가 twice in one meeting is not recurring; the positive 예약 unit is not a concern
    issue = table.iloc[0]
    assert (issue["category"], issue["label"]) == ("equipment_facilities", "장비·시설 활용")
    assert (issue["meetings"], issue["meeting_ids"], issue["units"], issue["organisations"]) == (3, [1, 2, 3], 3, 2)
    assert "연구원" in issue["text"] and not issue["sampled"]


def test_recurring_issues_threshold_and_caps() -> None:
    rows = recurring_rows()
    assert recurring_issues(frame(rows), TAXONOMY, min_meetings=4).empty
    loose = recurring_issues(frame(rows), TAXONOMY, kinds=None, min_meetings=2)
    assert sorted(loose["meetings"].tolist()) == [2, 3]  # the 예약 complaint and its positive twin
    capped = recurring_issues(frame(rows), TAXONOMY, max_units=1)
    assert capped.empty or capped["sampled"].all()


# --- findings -------------------------------------------------------------------------------------------------


def all_rows() -> list[dict[str, object]]:
    rows = quote_rows() + recurring_rows() + trend_rows(0, 12, 1, 2, ("06", "07")) + dimension_rows()
    rows.append(row(9, "오늘 회의는 여기까지입니다", [], "neutral", date=""))
    return rows


def assert_plain_json(value: object) -> None:
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            assert_plain_json(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain_json(item)
    else:
        assert value is None or type(value) in (bool, int, float, str), type(value)
        assert not (isinstance(value, float) and not math.isfinite(value))


def test_findings_are_plain_json_without_nan() -> None:
    result = findings(frame(all_rows()), TAXONOMY, min_count=3)
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert_plain_json(result)
    assert "화자-" not in text  # speaker pseudonyms never leave aggregate
    assert set(result) == {"parameters", "totals", "top", "breakdowns", "trends", "recurring", "by_category"}
    totals = result["totals"]
    assert isinstance(totals, dict)
    assert totals["units"] == len(all_rows()) and totals["needs_review"] == 1
    assert totals["first_date"] == "2024-01-10" and totals["last_date"] == "2024-07-15"
    top = result["top"]
    assert isinstance(top, list) and {entry["category"] for entry in top} == set(result["by_category"])  # type: ignore[index]
    workforce = result["by_category"]["workforce"]  # type: ignore[index]
    assert workforce["label"] == "인력·교육" and "speaker" not in workforce["quotes"][0]  # type: ignore[index]
    assert set(workforce) == {"label", "quotes", "key_phrases"}  # type: ignore[arg-type]
    rising = [entry for entry in result["trends"] if entry["rising"]]  # type: ignore[index, union-attr]
    assert rising and rising[0]["rate_ratio"] is None  # 0 → 12: an infinite ratio becomes null
    recurring = result["recurring"]
    assert isinstance(recurring, list) and recurring[0]["meeting_ids"] == [1, 2, 3, 4]  # type: ignore[index]
    assert "수도권" in recurring[0]["text"]  # type: ignore[index, operator]


@pytest.mark.parametrize("empty", [pd.DataFrame(), pd.DataFrame(columns=["unit_id", "meeting_id", "text"])])
def test_findings_of_an_empty_frame_are_empty(empty: pd.DataFrame) -> None:
    result = findings(empty, TAXONOMY)
    json.dumps(result, allow_nan=False)
    assert result["totals"]["units"] == 0 and result["totals"]["first_date"] is None  # type: ignore[index]
    assert result["top"] == [] and result["trends"] == [] and result["recurring"] == []
    assert result["by_category"] == {} and all(value == [] for value in result["breakdowns"].values())  # type: ignore[union-attr]


def test_findings_of_a_frame_with_only_neutral_units() -> None:
    rows = [row(1, "회의를 시작하겠습니다", [], "neutral"), row(2, "참석자 소개", [], "neutral", date="")]
    result = findings(frame(rows), TAXONOMY)
    assert result["totals"]["meetings"] == 2 and result["top"] == []  # type: ignore[index]


# --- input ----------------------------------------------------------------------------------------------------


def test_prepare_units_fills_optional_columns_and_reads_list_cells() -> None:
    raw = pd.DataFrame(
        {
            "unit_id": [1, 2, 3],
            "meeting_id": [1, 1, 2],
            "text": ["인력 부족", None, "자금"],
            "categories": [["workforce", "workforce", " funding "], None, "funding"],
            "kind": ["pain_point", "request", "pain_point"],
        }
    )
    units = prepare_units(raw)
    assert units["organisation"].tolist() == ["", "", ""] and not units["needs_review"].any()
    assert units["text"].tolist() == ["인력 부족", "", "자금"]
    table = top_issues(raw, TAXONOMY, normalise=None)
    assert dict(zip(table["category"], table["units"], strict=True)) == {"funding": 2, "workforce": 1}
    with pytest.raises(ValueError, match="lacks columns: categories, kind"):
        prepare_units(raw.drop(columns=["categories", "kind"]))


def test_aggregate_exports_what_it_documents() -> None:
    public = {"top_issues", "breakdown", "trends", "representative_quotes", "key_phrases", "recurring_issues"}
    assert public | {"findings"} <= set(analyzer.aggregate.__all__)
    assert all(hasattr(analyzer.aggregate, name) for name in analyzer.aggregate.__all__)
