"""Content-word features: content lemmas (verbs in dictionary form, irregular tags included) and their pairs."""

from __future__ import annotations

import pandas as pd
from spacy.language import Language

from analyzer.classify.content_words import ContentWords, build_category_features
from analyzer.classify.cue_text import content_lemmas, content_string
from analyzer.features import feature_frame
from analyzer.nlp import docs_of


def test_content_lemmas_skip_particles_and_endings_and_name_verbs_in_dictionary_form() -> None:
    morphs = (
        "인력/NNG 을/JKO 못/MAG 구하/VV 어서/EC 장비/NNG 가/JKS 놀/VV-R 고/EC 있/VX 어요/EF "
        "R&D/SL 도/JX 어렵/VA-I 다/EF"
    )
    assert content_lemmas(morphs) == ["인력", "구하다", "장비", "놀다", "R&D", "어렵다"]
    tokens = content_string(morphs).split()
    assert "인력_구하다" in tokens and "R&D_어렵다" in tokens
    assert not any(token in ("을", "못", "어서", "어요") for token in tokens)
    assert content_string("네/IC") == ""


def test_one_need_in_two_phrasings_shares_its_content_tokens(nlp: Language) -> None:
    texts = ["인력을 못 구해서 힘들어요", "인력 구하기가 어렵습니다"]
    first, second = (set(content_string(m).split()) for m in feature_frame(texts, docs_of(nlp, texts))["morphs"])
    assert {"인력", "구하다", "인력_구하다"} <= first & second


def test_category_features_hold_the_blocks_asked_for() -> None:
    assert build_category_features() is None
    frame = pd.DataFrame(
        {"morphs": ["인력/NNG 을/JKO 구하/VV 다/EF", "인력/NNG 구하/VV 기/ETN", "장비/NNG 없/VA 다/EF"]}
    )
    features = build_category_features(argument_pairs=True, content_words=True)
    assert features is not None
    X = features.fit(frame).transform(frame)
    names = list(features.get_feature_names_out())
    assert [name for name, *_ in features.transformers] == ["pairs", "content"]
    assert "content__인력_구하다" in names and "content__인력" in names
    assert X.shape == (3, len(names)) and X[2].nnz == 0  # tokens seen in one unit only are dropped (min_df=2)
    assert list(ContentWords().fit(frame["morphs"]).transform(frame["morphs"])) == [
        "인력 구하다 인력_구하다",
        "인력 구하다 인력_구하다",
        "장비 없다 장비_없다",
    ]
