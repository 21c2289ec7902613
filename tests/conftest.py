"""Shared test set-up: the project root is importable however pytest is started."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import pytest  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """Keys (pseudonyms, the originals' encryption) go to a throwaway home, also for the servers tests start."""
    import os
    import tempfile

    os.environ.setdefault("MOKSORI_HOME", tempfile.mkdtemp(prefix="moksori-home-"))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """One Korean spaCy pipeline (and so one Kiwi) for the whole test session."""
    from analyzer.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def splitter(nlp):  # type: ignore[no-untyped-def]
    from analyzer.segment import KiwiSentenceSplitter

    return KiwiSentenceSplitter(nlp.tokenizer.kiwi)
