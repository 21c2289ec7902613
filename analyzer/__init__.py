"""moksori (목소리): Korean roundtable and survey feedback → tagged pain points and requests.

The flow is one way: ingest → redact → segment → nlp → classify → store → aggregate → serve.

The names below are imported when first used: a process that needs one stage (the ``moksori`` command before it
starts Kiwi) does not pay for the others' imports (the taxonomy's YAML and pydantic).
"""

from __future__ import annotations

from importlib import import_module
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.errors import CATALOGUE, AnalyzerError
    from analyzer.records import Block, Document, Meeting, Unit
    from analyzer.taxonomy import Taxonomy, load_taxonomy

__version__ = "0.1.0"

#: Each public name and the module it comes from.
_HOMES = MappingProxyType(
    {
        "CATALOGUE": "analyzer.errors",
        "AnalyzerError": "analyzer.errors",
        "Block": "analyzer.records",
        "Document": "analyzer.records",
        "Meeting": "analyzer.records",
        "Unit": "analyzer.records",
        "Taxonomy": "analyzer.taxonomy",
        "load_taxonomy": "analyzer.taxonomy",
    }
)

__all__ = [
    "CATALOGUE",
    "AnalyzerError",
    "Block",
    "Document",
    "Meeting",
    "Taxonomy",
    "Unit",
    "__version__",
    "load_taxonomy",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
    return getattr(import_module(home), name)
