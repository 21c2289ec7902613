"""Request parameters shared by the routes: database ids and paging, bounded to what the databases can hold."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: The largest id or offset either database stores (a signed 64-bit integer); larger ones are refused with 422.
MAX_ROW = 2**63 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW, description="id")]
RowIdFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW, description="이 id로 거르기")]
Limit = Annotated[int, Query(ge=1, le=1000, description="한 쪽의 항목 수")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW, description="건너뛸 항목 수")]
