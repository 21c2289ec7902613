"""moksori (목소리): Korean roundtable and survey feedback → tagged pain points and requests.

The flow is one way: ingest → redact → segment → nlp → classify → store → aggregate → serve.
"""

from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.records import Block, Document, Meeting, Unit
from analyzer.taxonomy import Taxonomy, load_taxonomy

__version__ = "0.1.0"

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
