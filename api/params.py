"""Request parameters shared by the routes: database ids and paging, bounded to what the databases can hold.

Every list endpoint pages with :func:`paging`: a ``limit`` above ``MOKSORI_PAGE_SIZE_MAX`` is lowered to it, and
the answer's ``limit`` is the one applied (one behaviour for every list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Path, Query

from api.deps import SettingsDep

#: The largest id or offset either database stores (a signed 64-bit integer); larger ones are refused with 422.
MAX_ROW = 2**63 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW, description="id")]
RowIdFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW, description="이 id로 거르기")]
Limit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_ROW,
        description="한 쪽의 항목 수 (최대 쪽 크기보다 크면 최대 쪽 크기로 줄여 적용하고 응답의 limit에 알림)",
    ),
]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW, description="건너뛸 항목 수")]


@dataclass(frozen=True, slots=True)
class Paging:
    """The page a list endpoint serves: ``limit`` is the applied one (never above the largest page)."""

    limit: int
    offset: int


def paging(default: int) -> Callable[..., Paging]:
    """The ``limit``/``offset`` dependency of a list endpoint whose page holds *default* items unless asked."""

    def dependency(settings: SettingsDep, limit: Limit = default, offset: Offset = 0) -> Paging:
        return Paging(min(limit, settings.page_size_max), offset)

    return dependency
