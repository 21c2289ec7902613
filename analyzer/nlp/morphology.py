"""Kiwi without spaCy: one analyser per process, the shipped user dictionary, batches through its worker threads.

Analysis reads morphemes from here (:class:`KiwiMorphology`); the spaCy tokenizer of :mod:`analyzer.nlp.tokenizer`
wraps the same object for the components that need a ``Doc``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any

from analyzer.nlp.tokens import Morph

DEFAULT_USER_DICT = "default"
#: Kiwi's options everywhere the project analyses text. No multi-word dictionary: it holds WikiData's proper nouns,
#: and building it is most of Kiwi's start (2.2 s against 0.9 s with it left out, build and first analysis). It
#: changed 3 of the corpus's 6,202 texts, each for the worse ("셋업" read as the proper noun "셋 업", "불화수소" as
#: "불화 수소"), and foreign names of several words become runs of nouns (key phrases join them again); the
#: project's own terms are in the user dictionary.
KIWI_OPTIONS: Mapping[str, bool] = MappingProxyType({"load_multi_dict": False})
#: Most nouns in a key phrase (the spaCy component's default too).
KEYPHRASE_WORDS = 4


class KiwiMorphology:
    """A Kiwi analyser with the user dictionary; ``morphs`` analyses a batch with *num_workers* threads."""

    def __init__(self, user_dict: str | None = DEFAULT_USER_DICT, num_workers: int = 2) -> None:
        from kiwipiepy import Kiwi

        self.user_dict = user_dict
        self.num_workers = num_workers
        self.kiwi = Kiwi(num_workers=num_workers, **KIWI_OPTIONS)
        for word, tag in read_user_dict(user_dict):
            self.kiwi.add_user_word(word, tag, 0.0)

    def morphs(self, texts: Sequence[str]) -> list[list[Morph]]:
        """The morphemes of each text, as one batch through Kiwi's worker threads (one string object per tag and
        form of the batch, see :func:`kiwi_morphs`)."""
        if not texts:
            return []
        names: dict[str, str] = {}
        return [kiwi_morphs(tokens, names) for tokens in self.kiwi.tokenize(iter(texts))]

    def serial(self) -> None:
        """Analyse each text in the calling thread from now on: in a process forked after Kiwi was built, Kiwi's
        worker threads are gone and a batch would wait for them forever."""
        if not isinstance(self.kiwi, SerialKiwi):
            self.kiwi = SerialKiwi(self.kiwi)


class SerialKiwi:
    """A Kiwi whose batches are analysed one text at a time in the calling thread (the same analyses)."""

    def __init__(self, kiwi: Any) -> None:
        self.kiwi = kiwi

    def tokenize(self, text: str | Iterable[str], **options: Any) -> Any:
        if isinstance(text, str):
            return self.kiwi.tokenize(text, **options)
        return (self.kiwi.tokenize(one, **options) for one in text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kiwi, name)


def kiwi_morphs(tokens: Iterable[Any], names: dict[str, str] | None = None) -> list[Morph]:
    """Kiwi's tokens as morphemes. Each tag and form is replaced by the equal string kept in *names*, if there (it
    is kept there otherwise): Kiwi makes a new string per token, and morphemes sent to another process then pickle
    each string once (as :func:`analyzer.segment.sentences.kiwi_sentences` keeps them)."""
    one = {} if names is None else names
    morphs: list[Morph] = []
    for token in tokens:
        start, tag, form = token.start, token.tag, token.form
        morphs.append((start, start + token.len, one.setdefault(tag, tag), one.setdefault(form, form)))
    return morphs


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
