"""Key-phrase candidates: runs of nouns (noun compounds and domain terms) within a unit."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
STOP_NOUNS = frozenset(
    {"것", "수", "등", "때", "점", "부분", "정도", "경우", "관련", "이번", "저희", "우리", "생각", "말씀", "부분들",
     "이름", "전화번호", "이메일", "주민번호", "사업자번호", "때문", "가지", "얘기", "거", "뭐", "좀"}
)


def _is_noun(token: Any) -> bool:
    first = token.tag_.split("+")[0]
    return first in NOUN_TAGS or (first == "XSN" and token.text in {"화", "성", "형"})


def noun_phrases(doc: Doc, max_words: int = 4) -> list[str]:
    """Maximal runs of nouns (spaces kept as in the text), without stop nouns at either edge."""
    phrases: list[str] = []
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and _is_noun(token) and len(run) < max_words:
            if run and run[-1].whitespace_ == "" and not _is_noun(run[-1]):
                run = []
            run.append(token)
            continue
        while run and run[0].text in STOP_NOUNS:
            run.pop(0)
        while run and run[-1].text in STOP_NOUNS:
            run.pop()
        if run:
            phrase = doc[run[0].i : run[-1].i + 1].text
            if len(phrase.replace(" ", "")) >= 2:
                phrases.append(phrase)
        run = [token] if token is not None and _is_noun(token) else []
    return phrases


class KeyphraseComponent:
    """Sets ``doc._.keyphrases`` to the noun phrases of the doc."""

    def __init__(self, max_words: int = 4) -> None:
        self.max_words = max_words

    def __call__(self, doc: Doc) -> Doc:
        doc._.keyphrases = noun_phrases(doc, self.max_words)
        return doc


@Language.factory("moksori_keyphrases", default_config={"max_words": 4})
def make_keyphrase_component(nlp: Language, name: str, max_words: int) -> KeyphraseComponent:
    from analyzer.nlp.extensions import register_extensions

    register_extensions()
    return KeyphraseComponent(max_words)
