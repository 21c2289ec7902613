"""Cues of a statement's kind that surface n-grams miss: how each sentence ends, the predicate its ending hangs
on, and in reported speech (…해 달라고 건의했다, …어렵다고 호소했다) the quoted predicate with its speech verb.

:class:`KindCues` turns a frame's ``text`` and ``morphs`` columns into one string of cue tokens per unit;
:func:`build_kind_features` vectorises them (TF-IDF) for the kind model. Everything is read from the text and
the morpheme string the shared features already carry: no second morphological analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from analyzer.features import MORPHS, TEXT, CompactTfidfVectorizer

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


def _morphs(morphs: str) -> list[tuple[str, str]]:
    pairs = []
    for token in morphs.split():
        lemma, _, tag = token.rpartition("/")
        pairs.append((lemma, tag.split("-")[0]))
    return pairs


def ending_cues(text: str) -> list[str]:
    """The last word of every sentence as suffixes of 1-3 characters (``F`` marks the unit's last sentence)."""
    sentences = [s for s in _SENTENCE_END.split(text) if _LETTERS.sub("", s)]
    cues = []
    for number, sentence in enumerate(sentences):
        words = [_LETTERS.sub("", w) for w in sentence.split()]
        words = [w for w in words if w]
        last = words[-1]
        mark = "F" if number == len(sentences) - 1 else "S"
        cues += [f"{mark}e{n}:{last[-n:]}" for n in (1, 2, 3) if len(last) >= n]
        if len(words) > 1:
            cues.append(f"{mark}ep:{words[-2][-2:]}_{last[-2:]}")
    return cues


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


class KindCues(TransformerMixin, BaseEstimator):
    """A frame with ``text`` and ``morphs`` → one space-separated string of cue tokens per row."""

    def fit(self, X: pd.DataFrame, y: object = None) -> KindCues:
        self.n_features_in_ = 2
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        texts: Iterable[str] = X[TEXT]
        morphs: Iterable[str] = X[MORPHS]
        return np.asarray(
            [" ".join(ending_cues(t) + predicate_cues(m)) for t, m in zip(texts, morphs, strict=True)], dtype=object
        )

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["cues"], dtype=object)


def token_tfidf() -> CompactTfidfVectorizer:
    """TF-IDF over space-separated cue tokens; a token seen in fewer than two units is dropped."""
    return CompactTfidfVectorizer(analyzer="word", token_pattern=r"\S+", min_df=2, sublinear_tf=True, lowercase=False)


def build_kind_features() -> ColumnTransformer:
    """TF-IDF over the cue tokens."""
    return ColumnTransformer([("cues", make_pipeline(KindCues(), token_tfidf()), [TEXT, MORPHS])], sparse_threshold=1.0)


def with_cues(X: Any, kind_features: Any, frame: pd.DataFrame) -> Any:
    """The shared features *X* with the cue columns of *kind_features* (fitted, or None) appended."""
    if kind_features is None:
        return X
    return sparse.hstack([X, kind_features.transform(frame)], format="csr")
