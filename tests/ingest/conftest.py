"""Session fixtures: the sample files of :mod:`file_samples`, written once by the real libraries."""

from __future__ import annotations

import pytest
from file_samples import (
    MINUTES_HEADER,
    NANUM,
    SPEAKER_LINES,
    make_docx,
    make_hwp,
    make_hwpx_with_footnote,
    make_pdf,
    make_scanned_pdf,
    make_xlsx,
)


@pytest.fixture(scope="session")
def hwpx_bytes() -> bytes:
    return make_hwp("hwpx")


@pytest.fixture(scope="session")
def hwp_bytes() -> bytes:
    return make_hwp("hwp")


@pytest.fixture(scope="session")
def hwpx_with_footnote() -> bytes:
    return make_hwpx_with_footnote()


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    return make_docx()


@pytest.fixture(scope="session")
def xlsx_bytes() -> bytes:
    return make_xlsx()


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    if not NANUM.exists():
        pytest.skip(f"Korean font missing: install fonts-nanum ({NANUM})")
    return make_pdf([MINUTES_HEADER, SPEAKER_LINES])


@pytest.fixture(scope="session")
def scanned_pdf_bytes() -> bytes:
    return make_scanned_pdf()
