"""Cue tokens of a unit, read from its text and morpheme string with plain Python (no scikit-learn): the kind
cues (how each sentence ends, the predicate its ending hangs on, reported speech), the predicate-argument
pairs and the content lemmas. :mod:`analyzer.classify.kind_cues`, :mod:`analyzer.classify.arguments` and
:mod:`analyzer.classify.content_words` vectorise them for training;
:mod:`analyzer.classify.compiled` reads the same strings at inference.
"""

from __future__ import annotations

import itertools
import re

#: Nouns and verbs that report what a speaker said (the complement before them carries the kind).
SPEECH = frozenset(
    [
        "건의",
        "요청",
        "호소",
        "지적",
        "촉구",
        "주문",
        "당부",
        "요구",
        "제안",
        "제기",
        "토로",
        "의견",
        "목소리",
        "입장",
        "강조",
        "설명",
        "답변",
        "말",
        "밝히",
        "전하",
        "덧붙이",
        "우려",
        "불만",
        "하소연",
        "감사",
        "평가",
    ]
)
#: Endings and particles that close a quoted or reported clause.
QUOTATIVE = frozenset(["다고", "라고", "자고", "냐고", "다는", "라는", "자는", "냐는", "달라고", "달라는", "고", "는"])
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")
_SENTENCE_END = re.compile(r"[.!?\n…]+|\s{2,}|(?<=[다요음함됨임])\s+(?=\S)")
_LETTERS = re.compile(r"[^\w]+")
_WORD = re.compile(r"\w")


def _morphs(morphs: str) -> list[tuple[str, str]]:
    pairs = []
    for token in morphs.split():
        lemma, _, tag = token.rpartition("/")
        pairs.append((lemma, tag.split("-")[0]))
    return pairs


def ending_cues(text: str) -> list[str]:
    """The last word of every sentence as suffixes of 1-3 characters (``F`` marks the unit's last sentence)."""
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    cues = []
    for number, sentence in enumerate(sentences):
        last, *before = last_words(sentence)
        mark = "F" if number == len(sentences) - 1 else "S"
        cues += [f"{mark}e{n}:{last[-n:]}" for n in (1, 2, 3) if len(last) >= n]
        if before:
            cues.append(f"{mark}ep:{before[0][-2:]}_{last[-2:]}")
    return cues


def last_words(sentence: str) -> list[str]:
    """The last word of *sentence* and the one before it (if any), last first, each without its non-word
    characters; words with nothing else are passed over. Only these two are cleaned: a sentence is read from its end."""
    found: list[str] = []
    for word in reversed(sentence.split()):
        cleaned = _LETTERS.sub("", word)
        if cleaned:
            found.append(cleaned)
            if len(found) == 2:
                break
    return found


def predicate_cues(morphs: str) -> list[str]:
    """Each ending with the predicate it closes; the unit's last predicate and tail; quoted predicate and
    speech verb pairs of reported speech."""
    pairs = _morphs(morphs)
    cues = []
    predicate = ""
    for index, (lemma, tag) in enumerate(pairs):
        if tag.startswith(_PREDICATE_TAGS):
            before = pairs[index - 1][0] if index and tag in ("XSV", "XSA") else ""
            predicate = f"{before}{lemma}"
        elif tag in ("EF", "EC", "ETM", "ETN") and predicate:
            cues.append(f"pe:{predicate}+{lemma}")
        if (lemma in QUOTATIVE and tag in ("EC", "ETM", "JKQ", "EF")) or tag == "JKQ":
            speech = next((m for m, _ in pairs[index + 1 : index + 4] if m in SPEECH), "")
            if speech:
                cues += [f"rs:{lemma}+{speech}", f"rq:{predicate}+{speech}", f"rp:{predicate}"]
    if pairs:
        cues.append("t1:" + "_".join(f"{m}/{t}" for m, t in pairs[-1:]))
        cues.append("t2:" + "_".join(f"{m}/{t}" for m, t in pairs[-2:]))
        cues.append("t3:" + "_".join(f"{m}/{t}" for m, t in pairs[-3:]))
    if predicate:
        cues.append(f"lp:{predicate}")
    return cues


_NOUN = ("NNG", "NNP", "SL", "XR")
_PREDICATE = ("VV", "VA", "XSV", "XSA")
#: How many morphemes after a noun its predicate may come (particles, auxiliaries, adverbs in between).
WINDOW = 5


def argument_pairs(morphs: str) -> list[str]:
    """``a:<noun>+<predicate>`` for each noun and the next predicate within :data:`WINDOW`, and
    ``c:<content>_<content>`` for consecutive content words (particles and endings skipped)."""
    pairs = [(lemma, tag.split("-")[0]) for lemma, _, tag in (t.rpartition("/") for t in morphs.split())]
    found = []
    for index, (lemma, tag) in enumerate(pairs):
        if not tag.startswith(_NOUN) or len(lemma) < 2:
            continue
        for offset, (other, other_tag) in enumerate(pairs[index + 1 : index + 1 + WINDOW], 1):
            if offset == 1 and (other_tag.startswith(_NOUN) or other_tag in ("XSV", "XSA")):
                break  # a compound noun (its head takes the predicate) or a verbal noun (지원하다)
            if other_tag.startswith(_PREDICATE):
                verb = pairs[index + offset - 1][0] + other if other_tag in ("XSV", "XSA") else other
                found.append(f"a:{lemma}+{verb}")
                break
    content = [lemma for lemma, tag in pairs if tag.startswith((*_NOUN, "VV", "VA")) and len(lemma) > 1]
    found += [f"c:{a}_{b}" for a, b in itertools.pairwise(content)]
    return found


#: The morphemes that carry a unit's content: nouns, verbs, adjectives, roots, Latin words (irregular tags included).
_CONTENT = ("NNG", "NNP", "VV", "VA", "XR", "SL")


def content_lemmas(morphs: str) -> list[str]:
    """The unit's content morphemes in order, verbs and adjectives as their dictionary form (구하/VV → 구하다)."""
    found = []
    for lemma, _, tag in (token.rpartition("/") for token in morphs.split()):
        base = tag.split("-")[0]
        if base in _CONTENT and lemma:
            found.append(lemma + "다" if base in ("VV", "VA") else lemma)
    return found


def content_string(morphs: str) -> str:
    """Content lemmas and each pair of neighbouring ones (``인력 구하다 인력_구하다``), space-separated."""
    lemmas = content_lemmas(morphs)
    return " ".join(lemmas + [f"{a}_{b}" for a, b in itertools.pairwise(lemmas)])


def kind_cue_string(text: str, morphs: str) -> str:
    """The kind cue tokens of one unit, space-separated."""
    return " ".join(ending_cues(text) + predicate_cues(morphs))


def argument_string(morphs: str) -> str:
    """The predicate-argument and content-word pairs of one unit, space-separated."""
    return " ".join(argument_pairs(morphs))
