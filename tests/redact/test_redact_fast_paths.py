"""The cheap pre-checks of ``mask_text`` and the wrapped-name pass change no masked output.

The reference below is the former code path: every pattern runs on every text, the text folded again before each
digit or e-mail pattern, every pair of paragraph lines joined and scanned. It uses the module's own patterns and
decisions, so the two differ only in which passes are skipped and how often the text is folded.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import redact as module
from analyzer.names import TITLES
from analyzer.records import BLOCK_SEPARATOR, Block, Document

ROOT = Path(__file__).resolve().parents[2]


def _reference_sub(pattern: re.Pattern[str], text: str, replace_match: Callable[[re.Match[str]], str | None]) -> str:
    pieces, last = [], 0
    for match in pattern.finditer(text.translate(module.FOLD)):
        replacement = replace_match(match)
        if replacement is not None:
            pieces += [text[last : match.start()], replacement]
            last = match.end()
    return "".join(pieces) + text[last:] if pieces else text


def reference_mask_text(text: str) -> str:
    text = _reference_sub(module._EMAIL, text, lambda _: module.EMAIL)
    text = _reference_sub(module._RRN, text, lambda m: module.RRN if module._valid_rrn(m) else None)
    text = _reference_sub(module._BRN, text, lambda m: module.BRN if module._valid_brn(m) else None)
    text = _reference_sub(module._PHONE, text, lambda _: module.PHONE)
    text = module._NAME_TITLE.sub(module._mask_name_title, text)
    text = module._TITLE_NAME.sub(module._mask_title_name, text)
    text = module._SPEAKER_NAME.sub(module._mask_speaker_name, text)
    text = module._NAME_HONORIFIC.sub(module._mask_honorific, text)
    return module._GIVEN_SSI.sub(module._mask_given_ssi, text)


def reference_wrapped(blocks: list[Block]) -> list[Block]:
    for index in range(len(blocks) - 1):
        first, second = blocks[index], blocks[index + 1]
        if first.kind != "paragraph" or second.kind != "paragraph":
            continue
        cut = len(first.text)
        for match in module._NAME_TITLE.finditer(first.text + BLOCK_SEPARATOR + second.text):
            if match.start("gap") <= cut < match.end("gap") and module._is_titled_name(match):
                start, end = match.span("name")
                blocks[index] = replace(first, text=first.text[:start] + module.NAME + first.text[end:])
    return blocks


def corpus_lines() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpora" / "units").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((ROOT / "tests" / "redact").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts += [value for value in json.loads(line).values() if isinstance(value, str)]
    return texts


def benchmark_text() -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from common import corpus_texts, minutes_text
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return minutes_text(corpus_texts(), repeat=2)


#: One text per pre-check, each masked by the pass that the check guards.
GUARDED = [
    "아름 씨가 왔다",
    "홍길동님이 오셨다",
    "김영수: 네",
    "김영수：네",
    "메일 kim@mail.go.kr",
    "메일 kim＠mail.go.kr",
    "０１０-２３４５-６７８９",
    "900101-1234568",
    "220-81-62517",
    "담당 과장 홍길동 (044)",
]


def test_mask_text_same_as_every_pass_on_the_corpus_and_the_benchmark_transcript() -> None:
    for text in GUARDED:
        assert module.mask_text(text) == reference_mask_text(text) != text
    lines = corpus_lines() + benchmark_text().splitlines()
    assert len(lines) > 5000
    changed = 0
    for line in lines:
        expected = reference_mask_text(line)
        assert module.mask_text(line) == expected, line
        changed += expected != line
    assert changed > 100  # the comparison covers masked texts, not only untouched ones


def test_wrapped_names_same_as_scanning_every_pair() -> None:
    lines = benchmark_text().splitlines() + corpus_lines()[:2000]
    lines += [
        "회의에서 김철수",
        "대표가 말했다",
        "박형준 부",
        "산시장은",
        "이 前",
        "장관은",
        "정민",
        " (주무관) 답변",
        "최",
        "과장님",
    ]
    blocks = [Block(line) for line in lines]
    assert module._mask_wrapped_names(list(blocks)) == reference_wrapped(list(blocks))
    assert module._mask_wrapped_names(list(blocks)) != blocks


PIECES = [
    *sorted(TITLES)[:40],
    "김",
    "이",
    "박형준",
    "남궁",
    "OO",
    "○",
    " ",
    "\n",
    "\t",
    "\u3000",
    ":",
    "：",
    "님",
    "씨",
    "@",
    "＠",
    "a.b",
    ".kr",
    "010",
    "０１０",
    "-",
    "－",
    "1234",
    "5678",
    "900101",
    "1234568",
    "220",
    "81",
    "62517",
    "前",
    "(",
    ")",
    "부산",
    "광역시",
    "이름]",
    "[",
    "께서",
    "이",
    "가",
    "는",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=5))
def test_fast_paths_agree_with_every_pass_on_mixed_pieces(lines: list[str]) -> None:
    for line in lines:
        assert module.mask_text(line) == reference_mask_text(line)
    blocks = [Block(line) for line in lines]
    assert module._mask_wrapped_names(list(blocks)) == reference_wrapped(list(blocks))
    document = Document(name="x.txt", format="txt", blocks=tuple(blocks), sha256="s")
    assert module.redact(document, b"k" * 32).blocks == tuple(
        reference_wrapped([module._redact_block(block, b"k" * 32, "s") for block in blocks])
    )
