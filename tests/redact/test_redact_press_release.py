"""Masking on a real ministry press release: the officials in its header table, in both orders."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import ingest
from analyzer.redact import NAME, redact

PRESS_RELEASE = Path(__file__).parents[1] / "real_documents" / "hwpjs_noori_press_release.hwp"

#: The people the release names: 담당과장 장인숙 (title, then name in the next cell), 용찬재 사무관 (name, then
#: title), the minister and the institute director in parentheses (장관 유영민, 원장 임철호), and the student
#: who proposed the name (백승엽 학생, 백승엽학생에게는).
PEOPLE = ("장인숙", "용찬재", "유영민", "임철호", "백승엽")


@pytest.fixture(scope="module")
def raw_and_masked() -> tuple[str, str]:
    document = ingest(PRESS_RELEASE.name, PRESS_RELEASE.read_bytes())
    return document.text, redact(document, b"key").text


def test_redact_press_release_names_are_in_the_raw_text(raw_and_masked: tuple[str, str]) -> None:
    raw, _ = raw_and_masked
    assert all(person in raw for person in PEOPLE)


@pytest.mark.parametrize("person", PEOPLE)
def test_redact_press_release_masks_every_official(raw_and_masked: tuple[str, str], person: str) -> None:
    _, masked = raw_and_masked
    assert person not in masked


def test_redact_press_release_keeps_the_header_table_readable(raw_and_masked: tuple[str, str]) -> None:
    _, masked = raw_and_masked
    assert f"담당과장\t{NAME}([전화번호])" in masked
    assert f"{NAME} 사무관([전화번호])" in masked
    assert "거대공공연구정책과" in masked and "과학기술정보통신부" in masked
