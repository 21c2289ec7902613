"""Column headings of a speaker table (``발언자 | 소속 | 발언 내용``) and the role each column plays."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

ColumnRole = Literal["speaker", "organisation", "title", "statement", "other"]

_ROLES: tuple[tuple[ColumnRole, re.Pattern[str]], ...] = (
    ("speaker", re.compile(r"(?:발언|발표|참석|질의|답변|토론)(?:자|인)(?:명|성명)?|성명|이름|화자|위원명?")),
    ("organisation", re.compile(r"(?:소속|기관|회사|기업|업체|단체)(?:기관|단체)?명?")),
    ("title", re.compile(r"직위|직책|직급|직함")),
    (
        "statement",
        re.compile(
            r"(?:주요)?(?:발언|발표|의견|건의|질의|답변|요청|애로)?(?:내용|사항|요지)|(?:주요)?(?:발언|의견|건의|질의|답변)"
        ),
    ),
    ("other", re.compile(r"번호|순번|연번|구분|비고|시간|no\.?|순서|차례|분야", re.IGNORECASE)),
)
#: "성명(직위)", "소속 및 직위", "발언자/소속": the first word decides.
_QUALIFIER = re.compile(r"\s*(?:[(/·,]|및).*$")


def column_role(cell: str) -> ColumnRole | None:
    """The role a heading cell names, or ``None`` when the cell is not a column heading."""
    word = _QUALIFIER.sub("", re.sub(r"\s+", "", cell)) or re.sub(r"\s+", "", cell)
    for role, pattern in _ROLES:
        if pattern.fullmatch(word):
            return role
    return None


def heading_roles(cells: Sequence[str], *, declared: bool = False) -> list[ColumnRole] | None:
    """The role of each of *cells* (an empty one is ``other``) when they are a heading row, else ``None``.

    A row is a heading when every non-empty cell is a column heading and it names a speaker or a statement
    column, or when the document *declared* it one (Word's "repeat as header row"); then unknown cells are
    ``other``.
    """
    roles = [column_role(cell) if cell.strip() else "other" for cell in cells]
    named = [role for cell, role in zip(cells, roles, strict=True) if cell.strip()]
    if declared and named:
        return [role or "other" for role in roles]
    if len(named) < 2 or None in named or not {"speaker", "statement"} & set(named):
        return None
    return [role or "other" for role in roles]
