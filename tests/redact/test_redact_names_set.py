"""Masking of person names before titles, on a hand-labelled set written before the rules changed.

tests/redact/names_set.jsonl holds 376 sentences in 15 registers (minutes, reported speech, spoken transcripts,
survey answers, press-release contact tables, attendee lists, speaker table rows, ...), 254 of them with 291
labelled names and 122 without any (title-like ordinary words: 시장 규모, 대표 제품, 이사 비용, 과장 광고, ...).
Each sentence goes through :func:`analyzer.redact.redact` as one block (a speaker table row as a ``table_row``
block whose cells are separated by tabs, as the readers give them). Recall counts labelled name occurrences none
of whose characters survive; precision counts the masks introduced (``[이름]`` and speaker pseudonyms) whose
replaced text overlaps a labelled name.

Measured:

- before (the rules as they were when the set was written): recall 207/295 = 0.702, precision 210/230 = 0.913
  (no name after its title, 담당과장 홍길동; no 시의원, 교육감, CTO, 명예교수, ...; 전 장관 read as a name);
- after (title-then-name in tables and before a particle, more ranks, names in parentheses, spaced one-syllable
  given names, speakers before a colon or in a first table cell, guards for 전/현/한 and noun endings):
  recall 291/295 = 0.986, precision 291/291 = 1.000. Left: a given name alone (지민이라고 합니다), 고경표 군 and
  이세영 양 (군/양 are too often ordinary words), a letter-spaced two-syllable name in a table cell (유 진).

Four labels were corrected after the first run, all in the same direction: a bare surname repeated just before
the full name (신 과장님, 아니 신재훈 과장님) is that person's surname and is labelled as a name, as 장 부장님 was.
The set counts 295 name occurrences (a name is found where it starts a word; a bare surname is a whole word).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.records import Block, Document
from analyzer.redact import NAME, PSEUDONYM_RE, redact

NAMES_SET = Path(__file__).with_name("names_set.jsonl")
_MASK = re.compile(re.escape(NAME) + "|" + PSEUDONYM_RE.pattern)
_MARK = "\ue000"  # one private-use character per mask, so the alignment never matches inside a placeholder


@dataclass(frozen=True)
class NameScore:
    """Per-occurrence recall over labelled names, precision over introduced name masks."""

    found: int
    names: int
    right: int
    produced: int
    misses: tuple[str, ...]
    false_masks: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.names

    @property
    def precision(self) -> float:
        return self.right / self.produced if self.produced else 1.0


def _masked(text: str, register: str) -> str:
    if register == "speaker_table":
        block = Block(text.replace(" | ", "\t"), kind="table_row")
        return redact(Document("set.docx", "docx", (block,)), b"k").text.replace("\t", " | ")
    return redact(Document("set.txt", "txt", (Block(text),)), b"k").text


def _spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for name in dict.fromkeys(names):
        # A name starts a word; a bare surname (김 박사님) is a whole word.
        end = "(?![가-힣])" if len(name) == 1 else ""
        spans += [(m.start(), m.end()) for m in re.finditer(f"(?<![가-힣]){re.escape(name)}{end}", text)]
    return spans


def _score_row(text: str, names: list[str], masked: str) -> tuple[int, int, int, int, list[str], list[str]]:
    spans = _spans(text, names)
    marked = _MASK.sub(_MARK, masked)
    kept = [False] * len(text)
    right = produced = 0
    false_masks: list[str] = []
    matcher = difflib.SequenceMatcher(None, text, marked, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept[i1:i2] = [True] * (i2 - i1)
            continue
        masks = marked[j1:j2].count(_MARK)
        hits = sum(1 for start, end in spans if start < i2 and i1 < end)
        produced += masks
        right += min(masks, hits)
        if masks > hits:
            false_masks.append(text[i1:i2])
    found = sum(1 for start, end in spans if not any(kept[start:end]))
    misses = [text[start:end] for start, end in spans if any(kept[start:end])]
    return found, len(spans), right, produced, misses, false_masks


def score() -> NameScore:
    found = total = right = produced = 0
    misses: list[str] = []
    false_masks: list[str] = []
    for line in NAMES_SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        masked = _masked(row["text"], row["register"])
        f, n, r, p, miss, false = _score_row(row["text"], row["names"], masked)
        found, total, right, produced = found + f, total + n, right + r, produced + p
        misses += [f"{name}: {masked}" for name in miss]
        false_masks += [f"{text!r}: {masked}" for text in false]
    return NameScore(found, total, right, produced, tuple(misses), tuple(false_masks))


def test_redact_names_set_is_labelled_consistently() -> None:
    rows = [json.loads(line) for line in NAMES_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 320
    assert sum(1 for row in rows if not row["names"]) >= 100
    assert all(name in row["text"] for row in rows for name in row["names"])


def test_redact_names_set_masking_is_idempotent() -> None:
    for line in NAMES_SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        once = _masked(row["text"], row["register"])
        assert _masked(once, row["register"]) == once


def test_redact_names_set_scorer_counts_a_miss_and_a_false_mask() -> None:
    assert _score_row("김철수 과장", ["김철수"], f"{NAME} 과장")[:4] == (1, 1, 1, 1)
    assert _score_row("김철수 과장", ["김철수"], "김철수 과장")[:4] == (0, 1, 0, 0)
    assert _score_row("시장 규모", [], f"{NAME} 규모")[:4] == (0, 0, 0, 1)


def test_redact_names_set_reaches_targets() -> None:
    result = score()
    print(f"recall {result.found}/{result.names} = {result.recall:.3f}")
    print(f"precision {result.right}/{result.produced} = {result.precision:.3f}")
    assert result.recall >= 0.98, result.misses
    assert result.precision >= 0.95, result.false_masks


if __name__ == "__main__":
    outcome = score()
    print(f"recall {outcome.found}/{outcome.names} = {outcome.recall:.3f}")
    print(f"precision {outcome.right}/{outcome.produced} = {outcome.precision:.3f}")
    print("misses:", *outcome.misses, sep="\n  ")
    print("false masks:", *outcome.false_masks, sep="\n  ")
