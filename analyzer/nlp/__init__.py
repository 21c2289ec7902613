"""The Korean spaCy pipeline: our tokenizer (Kiwi or Okt) and the key-phrase component (spaCy imported on use)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Backend = Literal["kiwi", "okt"]
TOKENIZERS = {"kiwi": "moksori.KiwiTokenizer.v1", "okt": "moksori.OktTokenizer.v1"}

__all__ = ["Backend", "build_nlp", "docs_of"]


def build_nlp(backend: Backend = "kiwi", threads: int = 2) -> Language:
    """A blank Korean pipeline with our tokenizer and key phrases (Kiwi with *threads* worker threads); build it
    once per process. spaCy is imported here, not with the package: analysis reads Kiwi directly."""
    import spacy

    import analyzer.nlp.tokenizer  # noqa: F401  (registers the tokenizers)
    from analyzer.nlp.extensions import register_extensions

    register_extensions()
    tokenizer: dict[str, object] = {"@tokenizers": TOKENIZERS[backend]}
    if backend == "kiwi":
        tokenizer["num_workers"] = threads
    nlp = spacy.blank("ko", config={"nlp": {"tokenizer": tokenizer}})
    nlp.add_pipe("moksori_keyphrases")
    return nlp


def docs_of(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """Run the pipeline over texts, tokenizing them as one batch (Kiwi uses its worker threads)."""
    tokenizer = nlp.tokenizer
    pre = tokenizer.pipe(texts, batch_size=batch_size) if hasattr(tokenizer, "pipe") else texts
    return nlp.pipe(pre, batch_size=batch_size)
