"""새 범주 후보 from stored units, and an admin turning one into a category through the taxonomy's ``add``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from analyzer.errors import AnalyzerError
from analyzer.nlp import docs_of
from analyzer.nlp.keyphrases import noun_phrases
from analyzer.services import candidates as service
from analyzer.services.context import Context
from analyzer.store.agencies import agency_id
from analyzer.store.queries import corrections_of
from analyzer.store.tables import units
from analyzer.taxonomy import load_taxonomy
from tests.store.stored import analysed

CARBON = [
    "탄소 배출량 산정 부담이 너무 큽니다.",
    "탄소 배출량 보고 양식이 복잡합니다.",
    "탄소 배출량 측정 장비 지원을 바랍니다.",
    "탄소 배출량 검증 비용을 지원해 주세요.",
    "탄소 배출량 산정 교육이 필요합니다.",
    "탄소 배출량 데이터 관리가 어렵습니다.",
]
OTHER = [
    "공장 주차장이 좁아 불편합니다.",
    "직원 식당 메뉴가 단조롭습니다.",
    "홈페이지 공지가 늦게 올라옵니다.",
    "우편물 발송이 자주 지연됩니다.",
]


def _store(context: Context, nlp: Any, texts: list[str], sha: str) -> list[int]:
    """Units the model gave no category, with the key phrases the analysis finds (Kiwi noun runs)."""
    version = context.deployed().model_version
    ids = analysed(context.engine, texts, sha, categories=[[]] * len(texts), model_version=version)
    with context.engine.begin() as conn:
        for unit_id, doc in zip(ids, docs_of(nlp, texts), strict=True):
            conn.execute(update(units).where(units.c.id == unit_id).values(keyphrases=noun_phrases(doc)))
    return ids


def test_uncovered_requests_come_back_as_a_candidate_and_become_a_category(context: Context, nlp: Any) -> None:
    carbon = _store(context, nlp, CARBON, "a")
    _store(context, nlp, OTHER, "b")
    own = agency_id(context.engine, "한국산업기술진흥원")
    found = service.candidates(context, own)
    best = max(found, key=lambda c: len(set(c["unit_ids"]) & set(carbon)))
    assert set(best["unit_ids"]) == set(carbon)
    assert best["size"] == 6 and best["quotes"] and best["organisations"] == ["㈜한빛전자"]
    assert service.candidates(context, agency_id(context.engine, "경남테크노파크")) == []

    made = service.promote(context, own, best["candidate_id"], "carbon_reporting", "탄소 배출 보고", "", "admin:1")
    deployed = context.deployed().taxonomy
    assert made["labelled_units"] == 6 and made["taxonomy"]["version"] == deployed.version + 1
    written = load_taxonomy(context.models_root / "taxonomies" / made["file"])
    assert written.category_ids == (*deployed.category_ids, "carbon_reporting")
    assert written.mapping_from(deployed.key, deployed.category_ids) == {c: (c,) for c in deployed.category_ids}
    latest = corrections_of(context.engine, carbon[0])[-1]
    assert latest["taxonomy"] == written.key and latest["categories"] == ["carbon_reporting"]
    assert latest["kind"] == "pain_point"

    with pytest.raises(AnalyzerError) as caught:  # the id is taken now, in the newest taxonomy
        service.promote(context, own, best["candidate_id"], "carbon_reporting", "다른 이름", "", "admin:1")
    assert caught.value.code == "category_exists"
    with pytest.raises(AnalyzerError) as caught:
        service.promote(context, own, "000000000000", "x_new", "새 범주", "", "admin:1")
    assert caught.value.code == "candidate_not_found"
    with pytest.raises(AnalyzerError) as caught:
        service.promote(context, own, best["candidate_id"], "Bad-Id", "새 범주", "", "admin:1")
    assert caught.value.code == "taxonomy_invalid"
