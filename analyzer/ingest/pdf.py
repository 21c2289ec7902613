"""PDF: the text layer of every page (pypdf, layout-free extraction)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from analyzer.errors import AnalyzerError
from analyzer.ingest.blocks import line_blocks
from analyzer.records import Block


def parse_pdf(data: bytes) -> list[Block]:
    """One paragraph block per non-blank line, page after page.

    An encrypted PDF that an empty password does not open raises ``password_protected``; pages without any
    text (a scan) raise ``no_text_layer``.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AnalyzerError("password_protected", "PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise AnalyzerError("password_protected", "PDF") from exc
    except PdfReadError as exc:
        raise AnalyzerError("corrupt_file", "PDF") from exc
    if not pages:
        raise AnalyzerError("corrupt_file", "PDF without pages")
    blocks = [block for text in pages for block in line_blocks(text)]
    if not blocks:
        raise AnalyzerError("no_text_layer")
    return blocks
