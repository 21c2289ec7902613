"""Agency names: NFC, stripped, 1-100 characters, no control or invisible format characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.store.agencies import AGENCY_NAME_MAX, clean_agency_name

REFUSED = st.characters(categories=["Cc", "Cf", "Co", "Zl", "Zp"])


@given(st.text(min_size=1, max_size=120))
def test_clean_agency_name_accepts_only_clean_names(name: str) -> None:
    try:
        cleaned = clean_agency_name(name)
    except AnalyzerError as error:
        assert error.code == "agency_name_invalid"
        return
    assert cleaned == unicodedata.normalize("NFC", cleaned).strip()
    assert 1 <= len(cleaned) <= AGENCY_NAME_MAX
    assert not any(unicodedata.category(ch).startswith("C") for ch in cleaned)
    assert clean_agency_name(cleaned) == cleaned


@given(st.text(min_size=0, max_size=20), REFUSED, st.text(min_size=0, max_size=20))
def test_clean_agency_name_refuses_a_control_character_anywhere_inside(before: str, bad: str, after: str) -> None:
    name = f"기관{before}{bad}{after}기관"
    with pytest.raises(AnalyzerError) as error:
        clean_agency_name(name)
    assert error.value.code == "agency_name_invalid"


@pytest.mark.parametrize(
    ("given_name", "cleaned"), [("  구미TP ", "구미TP"), ("\u1100\u1161", "가"), ("가" * 100, "가" * 100)]
)
def test_clean_agency_name_normalises(given_name: str, cleaned: str) -> None:
    assert clean_agency_name(given_name) == cleaned
