"""Word recall of our reading of real HWP/HWPX documents against an independent reader.

References: for HWPX, every ``hp:t`` text run of the section XML read directly (zipfile + defusedxml), paragraph
by paragraph in document order; for HWP, the ``@ohah/hwpjs`` npm package (a Rust HWP parser with Node bindings)
run from Node when it is installed (its Markdown, less its heading, images, link
addresses and emphasis marks) (``npm install @ohah/hwpjs`` in a folder named by ``HWPJS_DIR``, default
``/tmp/hwpjs``); HWP documents are skipped without it.

Two levels are measured: **ingest** (the ``Document`` text against the reference) isolates ingestion; **units**
(redact + segment, what ``moksori units --json`` prints: unit texts, speakers, titles, organisations and meeting
fields) shows what reaches analysis. Word recall is the share of the reference's word tokens (whitespace split,
punctuation and symbols stripped, masked placeholders excluded on both sides) found in ours, as a multiset.
**Units (letters)** counts only tokens with a letter: number-only tokens (list numbers ``1.``, page numbers, table
figures) are skipped by segmentation with a reason, never silently; **accounted** adds those skipped pieces, so it
measures what segmentation loses without a trace (the conservation law says: nothing).

Run: python benchmarks/reference_recall.py [--json] [--no-units]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parents[1]
REAL_DOCUMENTS = ROOT / "tests" / "real_documents"
HWPJS_DIR = Path(os.environ.get("HWPJS_DIR", "/tmp/hwpjs"))
_SECTION = re.compile(r"^Contents/section(\d+)\.xml$")
#: Documents with fewer reference words (a lone "A" in a test file) are listed but also left out of a second mean.
SUBSTANTIAL_WORDS = 20
_PLACEHOLDER = re.compile(r"\[(?:이름|주민번호|전화번호|이메일|사업자번호)\]|화자-[0-9A-F]{6}")
_HWPJS_SCRIPT = r"""
const hwpjs = require('@ohah/hwpjs');
const markdown = hwpjs.toMarkdown(require('fs').readFileSync(process.argv[1]), {includeVersion: false}).markdown;
// the first line is the converter's own heading ("# HWP 문서"), not the document's
// emphasis marks go without a trace: **선정**되었다고 is one word
const text = markdown.replace(/^# HWP 문서\s*/, '').replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
  .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');  // a link's text, not its address
process.stdout.write(text.replace(/\*\*|~~|<\/?(?:u|sup|sub)>/g, ''));
"""


@dataclass(frozen=True)
class Row:
    """One document's figures; ``None`` where a side could not be read."""

    name: str
    reader: str
    reference_words: int
    ingest_recall: float | None
    units_recall: float | None
    plain_recall: float | None = None
    note: str = ""
    letters_recall: float | None = None
    accounted_recall: float | None = None


def words(text: str) -> Counter[str]:
    """Word tokens: placeholders removed, punctuation and symbols turned into spaces, whitespace split."""
    text = _PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", text))
    cleaned = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    return Counter(cleaned.split())


def lettered(found: Counter[str]) -> Counter[str]:
    """Only the tokens with a Hangul or Latin letter."""
    return Counter({word: n for word, n in found.items() if re.search(r"[가-힣A-Za-z]", word)})


def recall(reference: Counter[str], ours: Counter[str]) -> float | None:
    total = sum(reference.values())
    if not total:
        return None
    return sum((reference & ours).values()) / total


def hwpx_reference(data: bytes) -> str:
    """Every ``hp:t`` run of every section, one line per paragraph, in document order."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sections = sorted((int(match.group(1)), name) for name in archive.namelist() if (match := _SECTION.match(name)))
        for _, name in sections:
            root = ElementTree.fromstring(archive.read(name))
            for paragraph in root.iter():
                if _local(paragraph.tag) != "p":
                    continue
                runs = [child for child in paragraph if _local(child.tag) == "run"]
                texts = ["".join(t.itertext()) for run in runs for t in run if _local(t.tag) == "t"]
                lines.append("".join(texts))
    return "\n".join(lines)


def hwpjs_available() -> bool:
    return shutil.which("node") is not None and (HWPJS_DIR / "node_modules" / "@ohah" / "hwpjs").is_dir()


def hwp_reference(path: Path) -> str:
    """The Markdown ``@ohah/hwpjs`` makes of an HWP file, image references removed."""
    done = subprocess.run(
        ["node", "-e", _HWPJS_SCRIPT, str(path)],
        cwd=HWPJS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def plain_text(path: Path, data: bytes) -> str:
    """python-hwpx's own plain-text export (``extract_text``), the candidate we walk the document model instead of."""
    from hwpx.hwp5.package import convert, to_hwpx_bytes
    from hwpx.tools.text_extractor import TextExtractor

    package = to_hwpx_bytes(convert(data).files) if path.suffix.lower() == ".hwp" else data
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return str(TextExtractor(archive).extract_text())


def ingest_text(name: str, data: bytes) -> str:
    from analyzer.ingest import ingest

    return ingest(name, data, sandbox=False).text


def units_text(name: str, data: bytes, splitter: object, with_skipped: bool = False) -> str:
    """What ``moksori units --json`` gives of a file: unit texts and fields, meeting fields once (and, with
    *with_skipped*, the skipped pieces ``--show-skipped`` adds)."""
    from analyzer.ingest import ingest
    from analyzer.redact import redact
    from analyzer.segment import segment_document

    document = redact(ingest(name, data, sandbox=False), bytes(32))
    result = segment_document(document, splitter)  # type: ignore[arg-type]
    meeting, found = result[0], result[1]
    parts = [str(value) for value in meeting.as_dict().values() if value]
    for unit in found:
        parts += [unit.text, unit.speaker, unit.title, unit.organisation]
    if with_skipped:
        parts += [document.text[piece.start : piece.end] for piece in result.skipped]
    return "\n".join(parts)


def masked_reference(name: str, reference: str) -> str:
    """The reference with the same redaction applied, so masked words count on neither side."""
    from analyzer.records import Block, Document
    from analyzer.redact import redact

    blocks = tuple(Block(line) for line in reference.splitlines() if line.strip())
    return redact(Document(name=name, format="txt", blocks=blocks), bytes(32)).text


def measure(path: Path, splitter: object | None) -> Row:
    data = path.read_bytes()
    from analyzer.errors import AnalyzerError

    if path.suffix.lower() == ".hwpx":
        reader, reference = "hwpx-xml", hwpx_reference(data)
    elif hwpjs_available():
        reader = "@ohah/hwpjs"
        try:
            reference = hwp_reference(path)
        except (subprocess.SubprocessError, OSError) as exc:
            return Row(path.name, reader, 0, None, None, note=f"reference failed: {type(exc).__name__}")
    else:
        return Row(path.name, "none", 0, None, None, note="Node or @ohah/hwpjs missing")
    reference_words = words(reference)
    try:
        ours = ingest_text(path.name, data)
    except AnalyzerError as error:
        return Row(path.name, reader, sum(reference_words.values()), None, None, note=error.code)
    units = letters = accounted = None
    if splitter is not None:
        masked = words(masked_reference(path.name, reference))
        unit_words = words(units_text(path.name, data, splitter))
        units, letters = recall(masked, unit_words), recall(lettered(masked), lettered(unit_words))
        accounted = recall(masked, words(units_text(path.name, data, splitter, with_skipped=True)))
    try:
        plain = recall(reference_words, words(plain_text(path, data)))
    except Exception:  # the candidate library failing on a file is a result, not an error here
        plain = None
    ours_recall = recall(reference_words, words(ours))
    return Row(path.name, reader, sum(reference_words.values()), ours_recall, units, plain, "", letters, accounted)


def all_rows(with_units: bool = True) -> list[Row]:
    splitter = None
    if with_units:
        from kiwipiepy import Kiwi

        from analyzer.segment import KiwiSentenceSplitter

        splitter = KiwiSentenceSplitter(Kiwi(num_workers=1))
    paths = sorted(p for p in REAL_DOCUMENTS.iterdir() if p.suffix.lower() in (".hwp", ".hwpx"))
    return [measure(path, splitter) for path in paths]


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def report(rows: list[Row]) -> str:
    lines = [
        "| document | reader | reference words | ingest recall | units recall | units (letters) | accounted "
        "| python-hwpx plain text | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{row.name}` | {row.reader} | {row.reference_words} | {_figure(row.ingest_recall)} | "
        f"{_figure(row.units_recall)} | {_figure(row.letters_recall)} | {_figure(row.accounted_recall)} | "
        f"{_figure(row.plain_recall)} | {row.note} |"
        for row in rows
    ]
    measured = [row for row in rows if row.reference_words]
    lines.append("")
    for reader in sorted({row.reader for row in measured}):
        for least in (1, SUBSTANTIAL_WORDS):
            group = [row for row in measured if row.reader == reader and row.reference_words >= least]
            lines.append(
                f"{reader}, {len(group)} documents with ≥ {least} reference words: mean ingest recall "
                f"{_figure(_mean([row.ingest_recall for row in group]))}, mean units recall "
                f"{_figure(_mean([row.units_recall for row in group]))} (letters "
                f"{_figure(_mean([row.letters_recall for row in group]))}, accounted "
                f"{_figure(_mean([row.accounted_recall for row in group]))}), python-hwpx plain text "
                f"{_figure(_mean([row.plain_recall for row in group]))}"
            )
    worst = sorted((row for row in measured if row.ingest_recall is not None), key=lambda row: row.ingest_recall or 0)
    lines.append("worst ingest recall: " + ", ".join(f"{row.name} {row.ingest_recall:.3f}" for row in worst[:5]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per document")
    parser.add_argument("--no-units", action="store_true", help="measure ingestion only (no Kiwi)")
    args = parser.parse_args()
    if not hwpjs_available():
        print(f"note: Node or @ohah/hwpjs not found in {HWPJS_DIR}; HWP documents are skipped", file=sys.stderr)
    rows = all_rows(with_units=not args.no_units)
    if args.json:
        for row in rows:
            print(json.dumps(row.__dict__, ensure_ascii=False))
    else:
        print(report(rows))


if __name__ == "__main__":
    main()
