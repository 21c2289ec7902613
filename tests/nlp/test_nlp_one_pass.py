"""One Kiwi pass: the splitter's morphemes feed the tagger; plain tokens give what the spaCy Doc gives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analyzer.analyze import morphemes, process_morphology
from analyzer.features import LexiconFeatures, _term_pattern, bucketed_pattern, morph_string
from analyzer.lexicon import load_lexicon
from analyzer.nlp.keyphrases import noun_phrases
from analyzer.nlp.tokenizer import doc_from_tokens
from analyzer.nlp.tokens import Tokens, tokens_from_morphs
from analyzer.segment import KiwiSentenceSplitter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import corpus_texts  # noqa: E402

KOREAN = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from(list(" \n\t.,?!~·()[]ㅠㅋ0123456789abcXYZ-")),
    ),
    max_size=80,
)
SAMPLES = corpus_texts()[::7]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(KOREAN)
def test_tokens_are_the_docs_tokens(nlp, text: str) -> None:  # type: ignore[no-untyped-def,unused-ignore]
    doc = nlp(text)
    tokens = tokens_from_morphs(text, nlp.tokenizer.morphs([text])[0])
    assert tokens == Tokens.of_doc(doc)
    assert [(t.idx, t.text, t.tag_) for t in doc] == list(tokens.rows())
    assert morph_string(tokens) == morph_string(doc)
    assert noun_phrases(tokens) == noun_phrases(doc) == doc._.keyphrases
    assert doc_from_tokens(nlp.vocab, tokens).text == text


@settings(max_examples=300, deadline=None)
@given(KOREAN, st.lists(st.tuples(st.integers(-2, 90), st.integers(0, 8), st.sampled_from(["NNG", "XSV", "EC"]))))
def test_tokens_cover_the_text_whatever_the_morphemes(text: str, drawn: list[tuple[int, int, str]]) -> None:
    """Overlapping, zero-width, unordered or out-of-range morphemes: the tokens still spell the text exactly, and
    every morpheme inside the text lies within one token."""
    morphs = [(start, start + width, tag, text[start : start + width]) for start, width, tag in drawn]
    tokens = tokens_from_morphs(text, morphs)
    assert "".join(w + " " * s for w, s in zip(tokens.words, tokens.spaces, strict=True)) == text
    bounds = [offset for offset, _, _ in tokens.rows()] + [len(text)]
    for start, end, _, _ in morphs:
        if 0 <= start < end <= len(text):
            first = max(b for b in bounds if b <= start)
            assert end <= min(b for b in bounds if b > first)


def test_splitter_keeps_each_sentences_morphemes(nlp) -> None:  # type: ignore[no-untyped-def,unused-ignore]
    splitter = KiwiSentenceSplitter(nlp.tokenizer.kiwi, keep_tokens=True)
    texts = ["장비 예약이 어렵습니다. 그래서 인력 지원을 건의드립니다", "수출 판로가 막혔어요"]
    spans = splitter.split(texts)
    sentences = [text[a:b] for text, found in zip(texts, spans, strict=True) for a, b in found]
    assert len(sentences) == 3 and set(splitter.tokens) == set(sentences)
    for sentence in sentences:
        tokens = tokens_from_morphs(sentence, splitter.tokens[sentence])
        assert "".join(w + " " * s for w, s in zip(tokens.words, tokens.spaces, strict=True)) == sentence
        assert "SW" not in tokens.tags  # every character is in a morpheme, as when analysed alone
    assert KiwiSentenceSplitter(nlp.tokenizer.kiwi).split(texts) == spans


def test_one_pass_tokens_match_separate_tokenisation_nearly_always(nlp) -> None:  # type: ignore[no-untyped-def,unused-ignore]
    """Kiwi analyses a sentence in its turn's context: the morphemes equal those of the sentence alone for
    at least 97% of sentences (the rest differ in an ending read in context, e.g. EF instead of EC+JX)."""
    splitter = KiwiSentenceSplitter(nlp.tokenizer.kiwi, keep_tokens=True)
    splitter.split(SAMPLES)
    sentences = list(splitter.tokens)
    alone = nlp.tokenizer.morphs(sentences)
    same = sum(splitter.tokens[s] == m for s, m in zip(sentences, alone, strict=True))
    assert same / len(sentences) >= 0.97


def test_bucketed_lexicon_pattern_matches_like_the_flat_one() -> None:
    lexicon = load_lexicon()
    terms = sorted({t for entries in lexicon.terms.values() for t in entries}, key=len, reverse=True)
    flat = re.compile("|".join(_term_pattern(t) for t in terms))
    fast = re.compile(bucketed_pattern(terms))
    for text in [*SAMPLES, "R&D 지원과 CE 인증, XCE 아님, UL과 TP", "aUL UL1 (UL)"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in flat.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["R&D", "CE", "UL", "인증", "장비", " ", "a", "시험", "인력", "\n", "TP", "x"])))
def test_lexicon_features_equal_the_flat_pattern_counts(pieces: list[str]) -> None:
    lexicon = {"a": ["CE", "시험 인증", "R&D"], "b": ["UL", "장비 인력", "CE 인증"], "c": ["TP", "인력"]}
    features = LexiconFeatures(lexicon).fit([])
    text = "".join(pieces)
    flat = re.compile(features.pattern_)
    fast = re.compile(bucketed_pattern(list(features.term_labels_)))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in flat.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="인증장비 CEa", min_size=1, max_size=4), min_size=1, max_size=12),
    st.text(alphabet="인증장비 CEa\nx", max_size=30),
)
@example([" 인증장비", "인증", "인증장"], "인증장비")  # the space-led group first: reordered, "인증장" would win
def test_bucketed_pattern_in_any_group_order_matches_like_the_flat_one(terms: list[str], text: str) -> None:
    """Groups reordered (largest first), or kept in order when a term starts with whitespace: the same spans."""
    ordered = sorted(dict.fromkeys(terms), key=len, reverse=True)
    flat = re.compile("|".join(_term_pattern(t) for t in ordered))
    fast = re.compile(bucketed_pattern(ordered))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_morphemes_come_from_the_splitter_else_from_one_kiwi_batch() -> None:
    morphology = process_morphology(1)
    known = {"장비 예약이 어렵습니다.": [(0, 2, "NNG", "장비")]}  # not Kiwi's analysis: kept as given
    calls: list[list[str]] = []

    class Counting:
        def morphs(self, texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
            calls.append(list(texts))
            return morphology.morphs(texts)

    texts = ["장비 예약이 어렵습니다.", "인력 지원이 필요합니다.", "인력 지원이 필요합니다.", "수출 판로"]
    found = morphemes(Counting(), texts, known)
    assert calls == [["인력 지원이 필요합니다.", "수출 판로"]]  # the unknown texts once each, in one batch
    assert found["장비 예약이 어렵습니다."] is known["장비 예약이 어렵습니다."]
    assert found["수출 판로"] == morphology.morphs(["수출 판로"])[0]
    assert morphemes(Counting(), ["장비 예약이 어렵습니다."], known) and len(calls) == 1  # nothing missing: no call
