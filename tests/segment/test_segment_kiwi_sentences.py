"""The splitter groups Kiwi's tokens into sentences itself: the same sentences and morphemes as Kiwi's own
``split_sents=True`` grouping, and the same spans through a forked (serial) Kiwi."""

from __future__ import annotations

from typing import Any

import pytest

from analyzer.nlp.morphology import KiwiMorphology, SerialKiwi
from analyzer.segment import KiwiSentenceSplitter
from analyzer.segment.sentences import kiwi_sentences

TEXTS = [
    "시험 장비 예약이 너무 밀려 있습니다. 전문가도 연계해 주셨으면 합니다",
    "어 그러니까 사람을 못 구해서 라인을 못 돌리고 있거든요 그래서 지원이 필요해요!! 네?",
    "",
    "   ",
    "하나.둘.셋... 그리고 (괄호 안 문장입니다.) 끝",
    "인증 비용이 비쌉니다\n\n다음 줄입니다",
]


@pytest.fixture(scope="module")
def kiwi() -> Any:
    return KiwiMorphology(num_workers=2).kiwi


def test_grouping_is_kiwis_split_sents(kiwi: Any) -> None:
    for text, tokens, sentences in zip(
        TEXTS, kiwi.tokenize(iter(TEXTS)), kiwi.tokenize(iter(TEXTS), split_sents=True), strict=True
    ):
        expected = [
            (
                s[0].start,
                s[-1].start + s[-1].len,
                [(t.start - s[0].start, t.end - s[0].start, t.tag, t.form) for t in s],
            )
            for s in sentences
        ]
        assert kiwi_sentences(tokens) == expected, text
    assert any(len(kiwi_sentences(tokens)) > 1 for tokens in kiwi.tokenize(iter(TEXTS)))


def test_streamed_spans_are_the_listed_spans_and_a_serial_kiwi_gives_them_too(kiwi: Any) -> None:
    threaded = KiwiSentenceSplitter(kiwi, max_chars=30, keep_tokens=True)
    serial = KiwiSentenceSplitter(SerialKiwi(kiwi), max_chars=30, keep_tokens=True)
    listed = threaded.split(TEXTS)
    assert list(threaded.split_each(TEXTS)) == listed == serial.split(TEXTS)
    assert threaded.tokens == serial.tokens and threaded.tokens
    assert list(threaded.split_each([])) == []
