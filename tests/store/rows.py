"""Unit and tagging rows as the worker builds them, for tests that write results without running the analyzer."""

from __future__ import annotations

from typing import Any

#: The key of the default taxonomy, under which the rows here are tagged and corrected.
DEFAULT_TAXONOMY = "moksori-default@1"


def unit_and_tag_rows(
    texts: list[str],
    categories: list[list[str]] | None = None,
    kinds: list[str] | None = None,
    margins: list[float] | None = None,
    taxonomy: str = DEFAULT_TAXONOMY,
    **unit: Any,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows as the worker builds them, for texts with the given model categories, kinds and review margins."""
    categories = categories or [["workforce"] for _ in texts]
    kinds = kinds or ["pain_point" for _ in texts]
    margins = margins or [0.4 for _ in texts]
    units, offset = [], 0
    for seq, text in enumerate(texts):
        units.append(
            {
                "seq": seq,
                "unit_kind": "sentence",
                "text": text,
                "start": offset,
                "end_offset": offset + len(text),
                "turn": seq,
                "speaker": unit.get("speaker", "화자-1"),
                "title": "대표",
                "organisation": unit.get("organisation", "㈜한빛전자"),
                "region": unit.get("region", ""),
                "industry": "",
                "keyphrases": ["인력 부족"],
                "meta": {},
            }
        )
        offset += len(text) + 1
    tags = [
        {
            "categories": cats,
            "probabilities": dict.fromkeys(cats, 0.9),
            "kind": kind,
            "kind_confidence": 0.8,
            "needs_review": False,
            "margin": margin,
            "taxonomy": taxonomy,
        }
        for cats, kind, margin in zip(categories, kinds, margins, strict=True)
    ]
    return units, tags
