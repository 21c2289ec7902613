"""Training data from the corpus plus the people's corrections stored in the database.

:func:`corrections_frame` turns the latest correction of every corrected unit (read by
:func:`analyzer.store.training.latest_corrections`) into the corpus schema; :func:`assemble` merges it with the
corpus frame, lets corrections win, removes near-duplicates, adds the document split and records the
``dataset_hash`` in ``frame.attrs``.

Register of a database unit (kept simple on purpose): ``survey`` when its meeting is a survey (or the unit is a
survey answer); otherwise ``transcript`` when the unit has a speaker turn structure (a non-empty speaker);
otherwise ``minutes``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from analyzer.corpus import corpus_hash, drop_near_duplicates, with_split
from analyzer.errors import AnalyzerError
from analyzer.store.training import latest_corrections
from analyzer.taxonomy import Taxonomy

CORPUS_COLUMNS = ("id", "text", "categories", "kind", "register", "doc", "industry", "region")
PROVENANCE_COLUMNS = ("author", "corrected_at", "unit_id", "meeting_id")
COLUMNS = (*CORPUS_COLUMNS, *PROVENANCE_COLUMNS)


def normalised(text: str) -> str:
    """Letters only (spacing and punctuation removed), as :mod:`analyzer.corpus` compares near-duplicates."""
    return re.sub(r"[\W_]+", "", text)


def register_of(meeting_kind: str, unit_kind: str, speaker: str) -> str:
    if meeting_kind == "survey" or unit_kind == "answer":
        return "survey"
    return "transcript" if speaker else "minutes"


def corrections_frame(engine: Engine, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per corrected unit with the labels of its LATEST correction, in the corpus schema plus provenance.

    A correction made under an earlier taxonomy has its categories carried over by *taxonomy*'s declared changes;
    one made under a taxonomy with no declared path is left out and counted in ``frame.attrs["unmapped"]``.
    Category ids the taxonomy does not know are dropped; a unit whose kind the taxonomy does not know is left out.
    """
    known_kinds = set(taxonomy.kind_ids)
    rows, unmapped = [], 0
    for row in latest_corrections(engine):
        if row["kind"] not in known_kinds or not str(row["text"]).strip():
            continue
        try:
            categories = taxonomy.remap([c for c in row["categories"] or [] if isinstance(c, str)], row["taxonomy"])
        except AnalyzerError:
            unmapped += 1
            continue
        rows.append(
            {
                "id": f"db-{row['unit_id']}",
                "text": row["text"],
                "categories": categories,
                "kind": row["kind"],
                "register": register_of(row["meeting_kind"], row["unit_kind"], row["speaker"] or ""),
                "doc": f"db-doc-{row['document_id']}",
                "industry": row["industry"] or row["meeting_industry"] or "",
                "region": row["region"] or row["meeting_region"] or "",
                "author": row["author"],
                "corrected_at": row["created_at"],
                "unit_id": int(row["unit_id"]),
                "meeting_id": int(row["meeting_id"]),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.attrs["unmapped"] = unmapped
    return frame


def assemble(corpus_frame: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Corpus plus corrections: a correction replaces every corpus row with the same normalised text, then
    near-duplicates are removed (the first is kept, corrections come first), the document split is added and
    ``frame.attrs["dataset_hash"]`` / ``frame.attrs["corrections"]`` record what was assembled.

    A ``source`` column says where each row comes from (``corpus`` or ``correction``). A ``morphs`` column is kept
    only when both inputs have it (otherwise add it again with ``train.with_morphs``).
    """
    corpus = corpus_frame.drop(columns=[c for c in ("split",) if c in corpus_frame]).assign(source="corpus")
    extra = corrections.drop(columns=[c for c in ("split",) if c in corrections]).assign(source="correction")
    if len(extra):
        corrected = {normalised(text) for text in extra["text"]}
        corpus = corpus[[normalised(text) not in corrected for text in corpus["text"]]]
        keep_morphs = "morphs" in corpus and "morphs" in extra
        parts = [
            part.drop(columns=["morphs"], errors="ignore") if not keep_morphs else part for part in (extra, corpus)
        ]
        frame = pd.concat(parts, ignore_index=True)
    else:
        frame = corpus.reset_index(drop=True)
    for column in PROVENANCE_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in ("industry", "region"):
        frame[column] = frame[column].fillna("") if column in frame else ""
    frame = with_split(drop_near_duplicates(frame))
    frame.attrs["dataset_hash"] = corpus_hash(frame)
    frame.attrs["corrections"] = int((frame["source"] == "correction").sum())
    return frame


def document_slice(frame: pd.DataFrame, fraction: float, seed: int = 0) -> pd.DataFrame:
    """A reproducible fraction of the corpus documents (whole documents only) plus every document with people's
    corrections, for quick runs; attrs are kept."""
    if fraction >= 1:
        return frame
    corrected = set(frame.loc[frame["source"] == "correction", "doc"]) if "source" in frame else set()
    docs = np.array(sorted(set(frame["doc"]) - corrected))
    chosen = np.random.default_rng(seed).permutation(len(docs))[: max(2, round(fraction * len(docs)))]
    sliced = frame[frame["doc"].isin(set(docs[chosen]) | corrected)].reset_index(drop=True)
    sliced.attrs = dict(frame.attrs)
    return sliced
