"""spaCy tokenizers for Korean: Kiwi (default) and KoNLPy's Okt, behind one interface.

Morphemes become tokens whose surface is a slice of the text, so ``doc.text == text`` always holds:
overlapping or zero-width morphemes (지원돼야: 되/XSV + 어야/EC) are merged into one token tagged
``XSV+EC``, and whitespace beyond one space becomes a token of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: (start, end, tag, lemma) of one morpheme, offsets in the text.
Morph = tuple[int, int, str, str]

DEFAULT_USER_DICT = "default"


@dataclass
class _Group:
    start: int
    end: int
    tags: list[str]
    lemma: str


def doc_from_morphs(vocab: Vocab, text: str, morphs: Sequence[Morph]) -> Doc:
    """Build a Doc whose tokens cover ``text`` exactly, from possibly overlapping morphemes."""
    groups: list[_Group] = []
    for start, end, tag, lemma in sorted(morphs, key=lambda m: m[0]):
        if start < 0 or end > len(text) or start > end:
            continue
        if groups and (start < groups[-1].end or start == end):
            group = groups[-1]
            group.end = max(group.end, end)
            group.tags.append(tag)
        else:
            groups.append(_Group(start, end, [tag], lemma))
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    lemmas: list[str] = []

    def emit_gap(gap: str) -> None:
        if not gap:
            return
        if gap[0] == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
            tags.append("_SP" if gap.isspace() else "SW")
            lemmas.append(gap)

    cursor = 0
    for group in groups:
        if group.start < cursor:  # a group swallowed by an earlier, longer one
            continue
        emit_gap(text[cursor : group.start])
        words.append(text[group.start : group.end])
        spaces.append(False)
        tags.append("+".join(group.tags))
        lemmas.append(group.lemma or text[group.start : group.end])
        cursor = group.end
    emit_gap(text[cursor:])
    return Doc(vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas)


class KiwiTokenizer:
    """Kiwi morphological analysis as a spaCy tokenizer; ``pipe`` batches with Kiwi's threads."""

    def __init__(self, vocab: Vocab, user_dict: str | None = DEFAULT_USER_DICT, num_workers: int = 2) -> None:
        from kiwipiepy import Kiwi

        self.vocab = vocab
        self.user_dict = user_dict
        self.num_workers = num_workers
        self.kiwi = Kiwi(num_workers=num_workers)
        for word, tag in read_user_dict(user_dict):
            self.kiwi.add_user_word(word, tag, 0.0)

    def __call__(self, text: str) -> Doc:
        return doc_from_morphs(self.vocab, text, _kiwi_morphs(self.kiwi.tokenize(text)))

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        buffered = list(texts)
        for text, tokens in zip(buffered, self.kiwi.tokenize(iter(buffered)), strict=True):
            yield doc_from_morphs(self.vocab, text, _kiwi_morphs(tokens))

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


def _kiwi_morphs(tokens: Iterable[Any]) -> list[Morph]:
    return [(t.start, t.start + t.len, t.tag, t.form) for t in tokens]


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
        from konlpy.tag import Okt

        self.vocab = vocab
        self.okt = Okt()

    def __call__(self, text: str) -> Doc:
        morphs: list[Morph] = []
        cursor = 0
        for surface, tag in self.okt.pos(text, norm=False, stem=False):
            start = text.find(surface, cursor)
            if start < 0:
                continue
            end = start + len(surface)
            morphs.append((start, end, _OKT_TAGS.get(tag, tag), surface))
            cursor = end
        return doc_from_morphs(self.vocab, text, morphs)

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        return (self(text) for text in texts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (OktTokenizer, (self.vocab,))


def read_user_dict(name: str | None) -> list[tuple[str, str]]:
    """Entries of a user dictionary (``word<TAB>tag<TAB>score``); ``"default"`` is the shipped one."""
    if not name:
        return []
    if name == DEFAULT_USER_DICT:
        text = resources.files("analyzer").joinpath("data/user_dict.tsv").read_text(encoding="utf-8")
    else:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    entries = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, tag, *_ = line.split("\t")
            entries.append((word.strip(), tag.strip()))
    return entries


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
