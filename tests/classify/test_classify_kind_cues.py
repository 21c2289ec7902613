"""Kind cues read sentence endings and reported speech; per-register abstention keeps each register's precision."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from analyzer.classify.estimators import AbstainingClassifier
from analyzer.classify.kind_cues import KindCues, build_kind_features, ending_cues, predicate_cues
from analyzer.classify.registers import RegisterAbstention, fit_threshold, out_of_fold_proba
from analyzer.features import feature_frame
from analyzer.nlp import docs_of

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"


def test_ending_cues_mark_the_last_word_of_every_sentence() -> None:
    cues = ending_cues("장비는 들어왔어요. 근데 다룰 사람이 없어서 같이 보내 주시면 좋겠는데")
    assert {"Se1:요", "Se2:어요", "Fe2:는데", "Fe3:겠는데", "Fep:시면_는데"} <= set(cues)
    assert not any(cue.startswith("Fe") and cue.endswith("요") for cue in cues)


def every_word_cleaned(text: str) -> list[str]:
    """The definition of :func:`ending_cues`: every word of every sentence cleaned, the last two read."""
    letters = re.compile(r"[^\w]+")
    sentence_end = re.compile(r"[.!?\n…]+|\s{2,}|(?<=[다요음함됨임])\s+(?=\S)")
    sentences = [s for s in sentence_end.split(text) if letters.sub("", s)]
    cues = []
    for number, sentence in enumerate(sentences):
        words = [w for w in (letters.sub("", word) for word in sentence.split()) if w]
        mark = "F" if number == len(sentences) - 1 else "S"
        cues += [f"{mark}e{n}:{words[-1][-n:]}" for n in (1, 2, 3) if len(words[-1]) >= n]
        if len(words) > 1:
            cues.append(f"{mark}ep:{words[-2][-2:]}_{words[-1][-2:]}")
    return cues


@given(st.text(alphabet="다요음함됨임는데좋겠 A1_.!?…,·()-  \n\t"))
def test_ending_cues_read_from_the_end_equal_every_word_cleaned(text: str) -> None:
    assert ending_cues(text) == every_word_cleaned(text)


def test_ending_cues_equal_every_word_cleaned_on_the_corpus() -> None:
    texts = [str(text) for path in sorted(CORPUS.glob("*.jsonl")) for text in pd.read_json(path, lines=True)["text"]]
    assert len(texts) > 6000
    assert [ending_cues(text) for text in texts] == [every_word_cleaned(text) for text in texts]


def test_reported_speech_pairs_the_quoted_predicate_with_its_speech_verb(nlp: Language) -> None:
    texts = ["기업들은 규제를 완화해 달라고 건의했다.", "현장 인력이 부족해 납기를 맞추기 어렵다고 호소했다."]
    request, pain = (predicate_cues(m) for m in feature_frame(texts, docs_of(nlp, texts))["morphs"])
    assert "rs:라고+건의" in request and "rq:달+건의" in request
    assert "rq:어렵+호소" in pain and "rp:어렵" in pain
    assert not any(cue.startswith("r") for cue in predicate_cues("장비/NNG 가/JKS 없/VA 다/EF"))


def test_kind_features_vectorise_the_cues_of_a_frame(nlp: Language) -> None:
    texts = ["인력 지원을 늘려 달라고 요청했다", "인력 지원을 늘려 달라고 건의했다", "인력이 없어 힘들다고 토로했다"]
    frame = feature_frame(texts, docs_of(nlp, texts))
    assert len(KindCues().fit(frame).transform(frame)) == 3
    features = build_kind_features().fit(frame)
    names = set(features.get_feature_names_out())
    assert "cues__rq:달+요청" not in names  # seen once: below min_df
    assert "cues__pe:늘리+어" in names or "cues__t1:다/EF" in names
    assert features.transform(frame).shape == (3, len(names))


def test_fit_threshold_is_the_lowest_that_reaches_the_precision() -> None:
    confidence = np.array([0.55, 0.6, 0.7, 0.8, 0.9, 0.95])
    correct = np.array([False, False, True, True, True, True])
    assert fit_threshold(confidence, correct, precision=0.99, floor=0.5) == 0.625
    assert fit_threshold(confidence, correct, precision=0.6, floor=0.5) == 0.5
    assert fit_threshold(confidence, np.zeros(6, dtype=bool), precision=0.9, floor=0.5) == 0.95


def test_register_abstention_keeps_a_higher_threshold_for_the_harder_register() -> None:
    rng = np.random.default_rng(0)
    n = 600
    registers = np.array(["minutes", "transcript"] * (n // 2))
    X = np.column_stack([(registers == "transcript") + rng.normal(0, 0.2, n), rng.normal(size=n)])
    confidence = rng.uniform(0.4, 1.0, n)
    # minutes are right whenever confident at all; transcripts only above 0.8
    correct = np.where(registers == "minutes", confidence > 0.45, confidence > 0.8)
    abstention = RegisterAbstention(precision=0.95).fit(X, registers, confidence, correct)
    assert abstention.thresholds_["minutes"] == 0.5
    assert abstention.thresholds_["transcript"] >= 0.775
    given = pd.DataFrame({"register": ["minutes", "transcript", "unknown"]})
    rows = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 0.0]])  # the third is read by the register model
    assert abstention.registers(given, rows).tolist() == ["minutes", "transcript", "transcript"]
    assert abstention.registers(pd.DataFrame(index=range(2)), rows[:2]).tolist() == ["transcript", "minutes"]


def test_out_of_fold_kind_probabilities_come_from_models_that_did_not_see_the_unit() -> None:
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(-1, 1, (90, 3)), rng.normal(1, 1, (90, 3))])
    y = np.array(["a"] * 90 + ["b"] * 90)
    groups = np.arange(180) // 6
    kind = AbstainingClassifier(random_state=0).fit(X, y, groups=groups)
    oof = out_of_fold_proba(kind, X, y, groups)
    assert oof.shape == (180, 2) and np.allclose(oof.sum(axis=1), 1.0, atol=0.05)
    assert not np.allclose(oof, kind.predict_proba(X))
    assert (kind.classes_[oof.argmax(axis=1)] == y).mean() > 0.7


def test_argument_pairs_join_a_noun_to_the_predicate_it_takes() -> None:
    from analyzer.classify.arguments import argument_pairs

    pairs = argument_pairs(
        "장비/NNG 운영/NNG 인력/NNG 을/JKO 추가/NNG 로/JKB 배치/NNG 하/XSV 고/EC 전문가/NNG 를/JKO 매칭/NNG 하/XSV"
    )
    assert "a:인력+배치하" in pairs and "a:전문가+매칭하" in pairs
    assert "a:배치+배치하" not in pairs and "a:장비+운영" not in pairs  # verbal nouns and compounds are not arguments
    assert "c:운영_인력" in pairs


def test_a_tagger_with_cues_pairs_stacking_and_register_thresholds_round_trips(nlp: Language, tmp_path: Path) -> None:
    from analyzer.classify.artefact import load_tagger, save_tagger
    from analyzer.classify.compiled import load_compiled
    from analyzer.classify.tagger import Tagger
    from analyzer.classify.train import with_morphs
    from analyzer.corpus import load_corpus
    from analyzer.lexicon import load_lexicon
    from analyzer.taxonomy import load_taxonomy

    frame = load_corpus([CORPUS], load_taxonomy())
    sample = with_morphs(frame[frame["doc"].isin(sorted(frame["doc"].unique())[::6])], nlp)
    options = {"kind_cues": True, "argument_pairs": True, "kind_precision": 0.93, "stack": True}
    tagger = Tagger.fit(sample, load_taxonomy(), load_lexicon(), **options)  # type: ignore[arg-type]
    assert tagger.categories.stackers_
    assert tagger.abstention is not None and set(tagger.abstention.thresholds_) == {"minutes", "survey", "transcript"}
    assert all(0.5 <= t <= 0.95 for t in tagger.abstention.thresholds_.values())
    save_tagger(tagger, tmp_path)
    loaded = load_tagger(tmp_path)
    head = sample.head(60)
    before, after = tagger.predict(head), loaded.predict(head)
    assert before["categories"].tolist() == after["categories"].tolist()
    assert before["probabilities"].tolist() == after["probabilities"].tolist()
    compiled = load_compiled(tmp_path)  # the export carries the second stage (its self-check kept it)
    assert compiled is not None
    pd.testing.assert_frame_equal(compiled.predict(head), before)
    assert before["needs_review"].tolist() == after["needs_review"].tolist()
    assert np.allclose(before["kind_confidence"], after["kind_confidence"])
    # a unit below its register's threshold goes to review, whether the register is given or inferred
    thresholds = loaded.abstention.thresholds(head, loaded.features.transform(head))  # type: ignore[union-attr]
    assert after["needs_review"].to_numpy()[after["kind_confidence"].to_numpy() < thresholds].all()
    unlabelled = loaded.predict(head.drop(columns=["register"]))
    assert unlabelled["categories"].tolist() == after["categories"].tolist()
