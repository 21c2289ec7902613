"""The one place where our spaCy ``Doc`` extensions and the key-phrase component are registered (imported by
:func:`analyzer.nlp.build_nlp` only: analysis does not import spaCy)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from analyzer.nlp.keyphrases import noun_phrases


def register_extensions() -> None:
    if not Doc.has_extension("keyphrases"):
        Doc.set_extension("keyphrases", default=[])


class KeyphraseComponent:
    """Sets ``doc._.keyphrases`` to the noun phrases of the doc."""

    def __init__(self, max_words: int = 4) -> None:
        self.max_words = max_words

    def __call__(self, doc: Doc) -> Doc:
        doc._.keyphrases = noun_phrases(doc, self.max_words)
        return doc


@Language.factory("moksori_keyphrases", default_config={"max_words": 4})
def make_keyphrase_component(nlp: Language, name: str, max_words: int) -> KeyphraseComponent:
    register_extensions()
    return KeyphraseComponent(max_words)
