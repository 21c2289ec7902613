"""The text-level model: shared features, a multi-label category model and a kind model that abstains."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analyzer.classify.compiled import Scores, tag_records, tag_table
from analyzer.classify.content_words import build_category_features
from analyzer.classify.estimators import AbstainingClassifier, CalibratedOneVsRest
from analyzer.classify.kind_cues import build_kind_features, with_cues
from analyzer.classify.nb_logistic import NBLogisticRegression
from analyzer.classify.registers import RegisterAbstention, out_of_fold_proba
from analyzer.classify.stacking import StackedOneVsRest
from analyzer.corpus import label_matrix
from analyzer.errors import AnalyzerError
from analyzer.features import build_features
from analyzer.lexicon import Lexicon
from analyzer.nlp.feature_text import Columns
from analyzer.taxonomy import Taxonomy

#: A category probability this close to its threshold sends the unit to review.
DEFAULT_MARGIN = 0.05
DEFAULT_ABSTAIN = 0.5
#: A category with fewer positive examples is not learnt yet: the model never predicts it (see ``Tagger.untrained``).
MIN_POSITIVES = 10


def other_lexicon_columns(features: Any, category_ids: tuple[str, ...]) -> dict[int, list[int]]:
    """For each category, the feature columns of the *other* categories' lexicon hits."""
    names = list(features.get_feature_names_out())
    columns = {c: names.index(f"lexicon__lexicon_{c}") for c in category_ids if f"lexicon__lexicon_{c}" in names}
    return {j: [col for c, col in columns.items() if c != category] for j, category in enumerate(category_ids)}


@dataclass
class Tagger:
    """Fitted models plus what they were trained on (the taxonomy is checked on use)."""

    features: Any
    categories: CalibratedOneVsRest
    kind: AbstainingClassifier
    category_ids: tuple[str, ...]
    kind_ids: tuple[str, ...]
    taxonomy: Taxonomy
    name: str = "moksori-ko"
    version: str = "0.0.0"
    margin: float = DEFAULT_MARGIN
    untrained: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)
    #: Sentence-ending and reported-speech cues the kind model reads besides the shared features (None: none).
    kind_features: Any = None
    #: Predicate-argument pairs and content lemmas the category models read besides the shared features (None: none).
    category_features: Any = None
    #: Kind abstain thresholds per register (None: the kind model's one threshold).
    abstention: RegisterAbstention | None = None

    @classmethod
    def fit(
        cls,
        frame: pd.DataFrame,
        taxonomy: Taxonomy,
        lexicon: Lexicon,
        *,
        abstain_threshold: float = DEFAULT_ABSTAIN,
        C: float = 4.0,
        lexicon_weight: float = 1.0,
        random_state: int = 0,
        name: str = "moksori-ko",
        version: str = "0.0.0",
        min_positives: int = MIN_POSITIVES,
        kind_cues: bool = False,
        argument_pairs: bool = False,
        content_words: bool = False,
        naive_bayes: float | None = None,
        category_C: float | None = None,
        kind_precision: float | None = None,
        stack: bool = False,
    ) -> Tagger:
        """Fit on a frame with ``text``, ``morphs``, ``categories``, ``kind`` and ``doc`` columns.

        A category with fewer than *min_positives* examples (e.g. one just added to the taxonomy) is listed in
        ``untrained`` and never predicted until enough people's corrections carry it. With *kind_cues* the kind
        model also reads :mod:`analyzer.classify.kind_cues`; with *kind_precision* (and a ``register`` column)
        each register gets the kind abstain threshold that keeps that precision (:mod:`analyzer.classify.registers`).
        With *argument_pairs* / *content_words* the category models also read predicate-argument pairs / content
        lemmas (:mod:`analyzer.classify.content_words`). With *stack* the categories get a second stage over all
        labels' scores (:mod:`analyzer.classify.stacking`). With *naive_bayes* (the count smoothing) each category
        model is an NB-weighted logistic regression (:mod:`analyzer.classify.nb_logistic`); *category_C* (default
        *C*) is the categories' inverse regularisation.
        """
        from sklearn.linear_model import LogisticRegression

        label_ids = (*taxonomy.category_ids, *taxonomy.kind_ids)
        features = build_features(lexicon.for_labels(label_ids), lexicon_weight).fit(frame)
        X = features.transform(frame)
        groups = frame["doc"].to_numpy()
        base = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        binary: Any = LogisticRegression(C=category_C or C, class_weight="balanced", solver="liblinear", max_iter=3000)
        if naive_bayes is not None:
            binary = NBLogisticRegression(C=category_C or C, alpha=naive_bayes)
        Y = label_matrix(frame, taxonomy.category_ids)
        scarce = Y.sum(axis=0) < min_positives
        Y[:, scarce] = 0
        category_features = build_category_features(argument_pairs=argument_pairs, content_words=content_words)
        category_features = category_features and category_features.fit(frame)
        categories = (StackedOneVsRest if stack else CalibratedOneVsRest)(
            binary, random_state=random_state, exclude=other_lexicon_columns(features, taxonomy.category_ids)
        ).fit(with_cues(X, category_features, frame), Y, groups=groups)
        kind_features = build_kind_features().fit(frame) if kind_cues else None
        Xk = with_cues(X, kind_features, frame)
        kinds = frame["kind"].to_numpy()
        kind = AbstainingClassifier(base, threshold=abstain_threshold, random_state=random_state).fit(
            Xk, kinds, groups=groups
        )
        abstention = None
        if kind_precision is not None and "register" in frame:
            oof = out_of_fold_proba(kind, Xk, kinds, groups)
            correct = kind.classes_[oof.argmax(axis=1)] == kinds
            abstention = RegisterAbstention(kind_precision, floor=abstain_threshold).fit(
                X, frame["register"].to_numpy(), oof.max(axis=1), correct
            )
        return cls(
            features=features,
            categories=categories,
            kind=kind,
            category_ids=taxonomy.category_ids,
            kind_ids=taxonomy.kind_ids,
            taxonomy=taxonomy,
            name=name,
            version=version,
            untrained=tuple(c for c, few in zip(taxonomy.category_ids, scarce, strict=True) if few),
            kind_features=kind_features,
            category_features=category_features,
            abstention=abstention,
        )

    def check_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Refuse a taxonomy other than the one the model was trained on."""
        if taxonomy.fingerprint != self.taxonomy.fingerprint:
            raise AnalyzerError("taxonomy_mismatch", f"model: {self.taxonomy.key}, given: {taxonomy.key}")

    @property
    def model_version(self) -> str:
        return f"{self.name}/{self.version}"

    def scores(self, frame: pd.DataFrame) -> Scores:
        """Category and kind probabilities, thresholds and abstention of each row of *frame*."""
        X = self.features.transform(frame)
        P = self.categories.predict_proba(with_cues(X, self.category_features, frame))
        kind_p = self.kind.predict_proba(with_cues(X, self.kind_features, frame))
        abstain = self.kind.threshold if self.abstention is None else self.abstention.thresholds(frame, X)
        return Scores(P, self.categories.thresholds_, kind_p, self.kind.classes_, abstain)

    def tag_rows(self, columns: Columns) -> list[dict[str, Any]]:
        """Tags for columns ``text`` and ``morphs``: one mapping per row."""
        frame = pd.DataFrame(columns)
        return tag_records(self.scores(frame), self) if len(frame) else []

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Tags for a frame with ``text`` and ``morphs``: one row per input row, same index."""
        return tag_table(self.tag_rows(frame), frame.index)
