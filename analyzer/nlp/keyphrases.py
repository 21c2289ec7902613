"""Key-phrase candidates: runs of nouns (noun compounds and domain terms) within a unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.nlp.tokens import Tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
NOUN_SUFFIXES = frozenset({"화", "성", "형"})
STOP_NOUNS = frozenset(
    {
        "것",
        "수",
        "등",
        "때",
        "점",
        "부분",
        "정도",
        "경우",
        "관련",
        "이번",
        "저희",
        "우리",
        "생각",
        "말씀",
        "부분들",
        "이름",
        "전화번호",
        "이메일",
        "주민번호",
        "사업자번호",
        "때문",
        "가지",
        "얘기",
        "거",
        "뭐",
        "좀",
    }
)


def noun_phrases(doc: Doc | Tokens, max_words: int = 4) -> list[str]:
    """Maximal runs of nouns (spaces kept as in the text), without stop nouns at either edge."""
    text = doc.text
    rows = doc.rows() if isinstance(doc, Tokens) else ((t.idx, t.text, t.tag_) for t in doc)
    phrases: list[str] = []
    run: list[tuple[int, int, str]] = []  # (start, end, surface) of the nouns in the current run

    def close() -> None:
        while run and run[0][2] in STOP_NOUNS:
            run.pop(0)
        while run and run[-1][2] in STOP_NOUNS:
            run.pop()
        if run:
            phrase = text[run[0][0] : run[-1][1]]
            if len(phrase) - phrase.count(" ") >= 2:
                phrases.append(phrase)
        run.clear()

    for idx, surface, tag in rows:
        head = tag.partition("+")[0]
        if head in NOUN_TAGS or (head == "XSN" and surface in NOUN_SUFFIXES):
            if len(run) == max_words:
                close()
            run.append((idx, idx + len(surface), surface))
        elif run and (not surface.isspace() or "\n" in surface):  # an empty run has nothing to close
            close()
    close()
    return phrases


def __getattr__(name: str) -> object:
    """``make_keyphrase_component`` (the spaCy factory of the package's entry point) lives with spaCy's imports in
    :mod:`analyzer.nlp.extensions`; found here on demand so that importing this module does not import spaCy."""
    if name == "make_keyphrase_component":
        from analyzer.nlp.extensions import make_keyphrase_component

        return make_keyphrase_component
    raise AttributeError(name)
