"""spaCy tokenizers for Korean: Kiwi (default) and KoNLPy's Okt, behind one interface.

Morphemes become tokens whose surface is a slice of the text, so ``doc.text == text`` always holds:
overlapping or zero-width morphemes (지원돼야: 되/XSV + 어야/EC) are merged into one token tagged
``XSV+EC``, and whitespace beyond one space becomes a token of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from analyzer.nlp.morphology import DEFAULT_USER_DICT, KiwiMorphology, kiwi_morphs, read_user_dict  # noqa: F401
from analyzer.nlp.tokens import Morph, Tokens, tokens_from_morphs


def doc_from_morphs(vocab: Vocab, text: str, morphs: Sequence[Morph]) -> Doc:
    """Build a Doc whose tokens cover ``text`` exactly, from possibly overlapping morphemes."""
    return doc_from_tokens(vocab, tokens_from_morphs(text, morphs))


def doc_from_tokens(vocab: Vocab, tokens: Tokens) -> Doc:
    """The spaCy ``Doc`` of :class:`Tokens`, in one call."""
    return Doc(vocab, words=tokens.words, spaces=tokens.spaces, tags=tokens.tags, lemmas=tokens.lemmas)


class KiwiTokenizer:
    """Kiwi morphological analysis as a spaCy tokenizer; ``pipe`` batches with Kiwi's threads."""

    def __init__(self, vocab: Vocab, user_dict: str | None = DEFAULT_USER_DICT, num_workers: int = 2) -> None:
        self.vocab = vocab
        self.user_dict = user_dict
        self.num_workers = num_workers
        self.morphology = KiwiMorphology(user_dict, num_workers)
        self.kiwi = self.morphology.kiwi

    def __call__(self, text: str) -> Doc:
        return doc_from_morphs(self.vocab, text, kiwi_morphs(self.kiwi.tokenize(text)))

    def morphs(self, texts: Sequence[str]) -> list[list[Morph]]:
        """The morphemes of each text, as one batch through Kiwi's worker threads."""
        return self.morphology.morphs(texts)

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        buffered = list(texts)
        for text, morphs in zip(buffered, self.morphs(buffered), strict=True):
            yield doc_from_morphs(self.vocab, text, morphs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (KiwiTokenizer, (self.vocab, self.user_dict, self.num_workers))

    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> KiwiTokenizer:
        return self

    def to_disk(self, _path: Any, **_: Any) -> None:
        return None

    def from_disk(self, _path: Any, **_: Any) -> KiwiTokenizer:
        return self


_OKT_TAGS = {
    "Noun": "NNG",
    "Verb": "VV",
    "Adjective": "VA",
    "Adverb": "MAG",
    "Josa": "JX",
    "Eomi": "EC",
    "PreEomi": "EP",
    "Suffix": "XSN",
    "Determiner": "MM",
    "Number": "SN",
    "Alpha": "SL",
    "Foreign": "SL",
    "Punctuation": "SF",
    "Conjunction": "MAJ",
    "Exclamation": "IC",
}


class OktTokenizer:
    """KoNLPy's Okt (needs a JVM) aligned to the text by searching each surface form in order."""

    def __init__(self, vocab: Vocab) -> None:
        import scipy.linalg  # noqa: F401  (loads SciPy's own OpenBLAS, so that the limit below reaches it too)
        from konlpy.tag import Okt
        from threadpoolctl import threadpool_limits

        self.vocab = vocab
        self.okt = Okt()
        # Once a JVM runs in the process, OpenBLAS's worker threads crash in LAPACK (SIGSEGV in scikit-learn's
        # randomized SVD, seen with candidate issues): keep BLAS on one thread in a process that uses Okt.
        threadpool_limits(limits=1, user_api="blas")

    def __call__(self, text: str) -> Doc:
        return doc_from_morphs(self.vocab, text, self.morphs([text])[0])

    def morphs(self, texts: Sequence[str]) -> list[list[Morph]]:
        """The morphemes of each text, aligned to it."""
        return [self._morphs(text) for text in texts]

    def _morphs(self, text: str) -> list[Morph]:
        morphs: list[Morph] = []
        cursor = 0
        for surface, tag in self.okt.pos(text, norm=False, stem=False):
            start = text.find(surface, cursor)
            if start < 0:
                continue
            end = start + len(surface)
            morphs.append((start, end, _OKT_TAGS.get(tag, tag), surface))
            cursor = end
        return morphs

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        return (self(text) for text in texts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (OktTokenizer, (self.vocab,))


@spacy.registry.tokenizers("moksori.KiwiTokenizer.v1")
def create_kiwi_tokenizer(user_dict: str | None = DEFAULT_USER_DICT, num_workers: int = 2) -> Any:
    def make(nlp: Any) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab, user_dict=user_dict, num_workers=num_workers)

    return make


@spacy.registry.tokenizers("moksori.OktTokenizer.v1")
def create_okt_tokenizer() -> Any:
    def make(nlp: Any) -> OktTokenizer:
        return OktTokenizer(nlp.vocab)

    return make
