"""The Korean tokenizers keep the text exactly, merge overlapping morphemes, pickle, and batch."""

from __future__ import annotations

import pickle
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.nlp import build_nlp, docs_of
from analyzer.nlp.keyphrases import noun_phrases

KOREAN = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from(list(" \n\t.,?!~·()[]ㅠㅋ0123456789abcXYZ-")),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(KOREAN)
def test_kiwi_doc_text_equals_input(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert nlp(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "연계 지원돼야 한다",
        "  이차전지  공정이\n\n어렵다 ",
        "",
        " ",
        "a  b",
        "해주셧으면ㅠㅠ 됬으면...",
        "\t선두\t공백",
    ],
)
def test_kiwi_doc_text_equals_input_on_hard_cases(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert nlp(text).text == text


def test_overlapping_morphemes_merge_into_one_token(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("지원돼야 한다")
    merged = [t for t in doc if t.text == "돼야"]
    assert merged and "+" in merged[0].tag_


def test_user_dictionary_keeps_domain_compounds(nlp) -> None:  # type: ignore[no-untyped-def]
    words = [t.text for t in nlp("이차전지 시스템반도체 산업기반구축사업 테크노파크 시험인증")]
    for term in ("이차전지", "시스템반도체", "산업기반구축사업", "테크노파크", "시험인증"):
        assert term in words


def test_pipeline_pickles_and_batches(nlp) -> None:  # type: ignore[no-untyped-def]
    clone = pickle.loads(pickle.dumps(nlp))
    assert clone("장비 예약이 어렵다").text == "장비 예약이 어렵다"
    texts = ["수출 판로 개척이 필요하다", "인력이 부족합니다", ""]
    assert [d.text for d in docs_of(nlp, texts)] == texts


def test_keyphrases_are_noun_compounds(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("기술개발 결과물의 사업화를 위해 공정 분석, 수출 판로 개척까지 지원된다면 좋겠다")
    assert "공정 분석" in doc._.keyphrases and "수출 판로 개척" in doc._.keyphrases
    assert noun_phrases(nlp("그 것 등")) == []


@pytest.mark.jvm
@pytest.mark.skipif(shutil.which("java") is None, reason="KoNLPy's Okt needs a Java runtime")
def test_okt_backend_keeps_text_and_tags_nouns() -> None:
    okt = build_nlp("okt")
    for text in ["장비에 맞는 기술 전문가들이 연계 지원돼야 한다", "  두 칸  띄움\n다음 줄", ""]:
        assert okt(text).text == text
    doc = okt("수출 판로 개척이 필요하다")
    assert any(t.tag_ == "NNG" for t in doc)
    assert pickle.loads(pickle.dumps(okt))("테스트").text == "테스트"
