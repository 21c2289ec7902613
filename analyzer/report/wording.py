"""How the reports say things in Korean: counts, a trend and its test in words, quotes with their attribution."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

KIND_LABELS = {"pain_point": "애로", "request": "건의", "positive": "긍정", "neutral": "기타"}
#: A quote longer than this is cut (at a space) and ends with an ellipsis.
QUOTE_CHARS = 140
UNKNOWN_ORGANISATION = "소속 미상"


def count(value: object, unit: str = "건") -> str:
    """``1,234건``."""
    return f"{int(value or 0):,}{unit}"  # type: ignore[call-overload]


def trend_words(row: Mapping[str, Any] | None, alpha: float) -> str:
    """A category's latest period against the previous one, with the exact rate test in words:
    ``2024-09 10건 → 2024-10 2건, 감소`` or ``…, 증가, 통계적으로 유의 (p=0.012)``."""
    if not row:
        return "최근 두 기간에 해당 발언 없음"
    current, period = int(row.get("current_count") or 0), row.get("period")
    previous_period = row.get("previous_period")
    if not previous_period:
        return f"{period} {count(current)} (비교할 직전 기간 없음)"
    previous = int(row.get("previous_count") or 0)
    e1, e0 = row.get("exposure") or 0, row.get("previous_exposure") or 0
    head = f"{previous_period} {count(previous)} → {period} {count(current)}"
    p_value = row.get("p_value")
    if not e1 or not e0:
        return f"{head} (회의 수 자료 부족)"
    rate, previous_rate = current / e1, previous / e0
    if rate > previous_rate:
        if row.get("rising"):
            return f"{head}, 증가, 통계적으로 유의 (p={p_value:.3f})"
        if p_value is not None and p_value < alpha:
            return f"{head}, 증가, 건수가 적어 판단 유보 (p={p_value:.3f})"
        shown = f" (p={p_value:.3f})" if p_value is not None else ""
        return f"{head}, 증가, 통계적으로 유의하지 않음{shown}"
    if rate < previous_rate:
        return f"{head}, 감소"
    return f"{head}, 변화 없음"


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """*text* on one line, cut near *limit* characters at a space (with ``…``)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,.") + "…"


def quote_key(text: str) -> str:
    """What makes two quotes the same: NFKC, no spaces or punctuation."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def distinct_quotes(quotes: Iterable[Mapping[str, Any]], limit: int) -> list[Mapping[str, Any]]:
    """The first *limit* quotes whose text differs (see :func:`quote_key`) and is not contained in another."""
    kept: list[Mapping[str, Any]] = []
    keys: list[str] = []
    for quote in quotes:
        key = quote_key(str(quote.get("text", "")))
        if not key or any(key in other or other in key for other in keys):
            continue
        kept.append(quote)
        keys.append(key)
        if len(kept) == limit:
            break
    return kept


def attribution(quote: Mapping[str, Any]) -> str:
    """``㈜누리모션 · 2024-05-구미 간담회 (2024-05-14)``."""
    organisation = quote.get("organisation") or UNKNOWN_ORGANISATION
    meeting = quote.get("meeting_title") or f"회의 {quote.get('meeting_id')}"
    date = f" ({quote['meeting_date']})" if quote.get("meeting_date") else ""
    return f"{organisation} · {meeting}{date}"


def quote_line(quote: Mapping[str, Any]) -> str:
    kind = KIND_LABELS.get(str(quote.get("kind")), "")
    prefix = f"[{kind}] " if kind else ""
    return f"{prefix}“{short_quote(str(quote.get('text', '')))}” ({attribution(quote)})"
