"""Meeting dates from minutes headers become ISO text."""

from __future__ import annotations

import pytest

from analyzer.store.dates import iso_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024. 5. 14.(화) 14:00~16:00", "2024-05-14"),
        ("2024년 5월 14일(화) 오후 2시", "2024-05-14"),
        ("2024-05-14", "2024-05-14"),
        ("2024.05.14", "2024-05-14"),
        ("2024/7/3 오후", "2024-07-03"),
        ("회의 2023. 12. 1. 개최", "2023-12-01"),
        ("2024. 2. 30.", ""),
        ("2024. 13. 1.", ""),
        ("5월 14일", ""),
        ("", ""),
    ],
)
def test_iso_date_reads_korean_date_forms(text: str, expected: str) -> None:
    assert iso_date(text) == expected
