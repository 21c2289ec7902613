"""The labelled corpus: JSON Lines → DataFrame, schema checks, near-duplicate removal, document split."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from analyzer.errors import AnalyzerError
from analyzer.taxonomy import Taxonomy

REQUIRED = ("id", "text", "categories", "kind", "register", "doc")
REGISTERS = ("minutes", "transcript", "survey")
NEAR_DUPLICATE = 0.9
TEST_SHARE = 0.2


def read_jsonl(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Read corpus files (files or folders of ``*.jsonl``) into one frame, one unit per row."""
    rows: list[dict[str, object]] = []
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("**/*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise AnalyzerError("corpus_invalid", f"{file.name}:{number}: not JSON") from exc
    frame = pd.DataFrame(rows)
    for column in ("industry", "region"):
        if column not in frame:
            frame[column] = ""
    return frame


def validate(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Check the corpus schema against the taxonomy; raise ``corpus_invalid`` with the first problem."""
    missing = [column for column in REQUIRED if column not in frame]
    if missing:
        raise AnalyzerError("corpus_invalid", f"missing fields: {', '.join(missing)}")
    if frame["id"].duplicated().any():
        raise AnalyzerError("corpus_invalid", f"duplicate id {frame['id'][frame['id'].duplicated()].iloc[0]}")
    known = set(taxonomy.category_ids)
    for row in frame.itertuples():
        if not isinstance(row.text, str) or not row.text.strip():
            raise AnalyzerError("corpus_invalid", f"{row.id}: empty text")
        if not isinstance(row.categories, list) or not set(row.categories) <= known:
            raise AnalyzerError("corpus_invalid", f"{row.id}: unknown categories {row.categories}")
        if row.kind not in taxonomy.kind_ids:
            raise AnalyzerError("corpus_invalid", f"{row.id}: unknown kind {row.kind}")
        if row.register not in REGISTERS:
            raise AnalyzerError("corpus_invalid", f"{row.id}: unknown register {row.register}")
    return frame


def near_duplicate_pairs(texts: list[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs (i < j) whose character 3-gram TF-IDF cosine similarity is at least ``threshold``."""
    if len(texts) < 2:
        return []
    letters = [re.sub(r"[\W_]+", "", text) or text for text in texts]  # spacing and punctuation do not count
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(3, 3)).fit_transform(letters)
    neighbours = NearestNeighbors(n_neighbors=min(6, len(texts)), metric="cosine").fit(vectors)
    distances, indices = neighbours.kneighbors(vectors)
    pairs = set()
    for i, (row_d, row_i) in enumerate(zip(distances, indices, strict=True)):
        for distance, j in zip(row_d, row_i, strict=True):
            similarity = 1.0 - float(distance)
            if j != i and similarity >= threshold:
                pairs.add((min(i, int(j)), max(i, int(j)), round(similarity, 4)))
    return sorted(pairs)


def drop_near_duplicates(frame: pd.DataFrame, threshold: float = NEAR_DUPLICATE) -> pd.DataFrame:
    """Keep the first of every group of near-duplicate texts."""
    frame = frame.reset_index(drop=True)
    drop = {j for _, j, _ in near_duplicate_pairs(frame["text"].tolist(), threshold)}
    return frame.drop(index=sorted(drop)).reset_index(drop=True)


def split_of(doc: str, test_share: float = TEST_SHARE) -> str:
    """ "train" or "test" for a document, from a hash of its id: stable as the corpus grows."""
    bucket = int(hashlib.sha256(doc.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < test_share else "train"


def with_split(frame: pd.DataFrame, test_share: float = TEST_SHARE) -> pd.DataFrame:
    return frame.assign(split=[split_of(doc, test_share) for doc in frame["doc"]])


def corpus_hash(frame: pd.DataFrame) -> str:
    """A hash of the labelled content (ids, texts, labels), independent of row order."""
    rows = sorted(
        json.dumps([r.id, r.text, sorted(r.categories), r.kind, r.doc], ensure_ascii=False) for r in frame.itertuples()
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def label_matrix(frame: pd.DataFrame, category_ids: tuple[str, ...]) -> np.ndarray:
    """The multi-label indicator matrix of the ``categories`` column."""
    index = {c: i for i, c in enumerate(category_ids)}
    Y = np.zeros((len(frame), len(category_ids)), dtype=int)
    for row, categories in enumerate(frame["categories"]):
        for category in categories:
            Y[row, index[category]] = 1
    return Y


def load_corpus(paths: Iterable[Path | str], taxonomy: Taxonomy) -> pd.DataFrame:
    """Read, validate, de-duplicate and split the corpus."""
    return with_split(drop_near_duplicates(validate(read_jsonl(paths), taxonomy)))


def relabelled(frame: pd.DataFrame, taxonomy: Taxonomy, source: Taxonomy) -> pd.DataFrame:
    """*frame*, labelled under *source*, with its categories carried over to *taxonomy* by the declared changes.

    ``taxonomy_unmapped`` when *taxonomy*'s changes do not lead from *source*. Kinds are unchanged.
    """
    if source.key == taxonomy.key:
        return frame
    out = frame.assign(categories=taxonomy.remap_rows(frame["categories"], source.key))
    out.attrs = dict(frame.attrs)
    return out
