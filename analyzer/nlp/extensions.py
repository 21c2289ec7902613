"""The one place where our spaCy ``Doc`` extensions are registered."""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    if not Doc.has_extension("keyphrases"):
        Doc.set_extension("keyphrases", default=[])
