"""The char_wb TF-IDF of the similarity passes (numpy, ``analyzer.aggregate.vectorise``) against scikit-learn's
``TfidfVectorizer`` with the same settings, on corpus texts; and the neighbour graph of recurring issues.

The numpy vectoriser is kept only while it is faster than the library it replaces; a Hypothesis test
(tests/test_aggregate_similarity.py) checks that both give the same rows up to column order.

Run: python benchmarks/bench_similarity.py [--sizes 500 1000 2000 4000]
"""

from __future__ import annotations

import argparse

from common import corpus_texts, median_seconds
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.aggregate.similarity import neighbour_graph
from analyzer.aggregate.vectorise import char_wb_tfidf


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    sizes = parser.parse_args().sizes
    corpus = corpus_texts()
    library = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    print("| texts | scikit-learn TF-IDF | numpy TF-IDF | ratio | neighbour graph (NearestNeighbors, k=10) |")
    print("|---|---|---|---|---|")
    for size in sizes:
        texts = (corpus * (size // len(corpus) + 1))[:size]
        theirs = median_seconds(lambda texts=texts: library.fit_transform(texts), repeats=5)
        ours = median_seconds(lambda texts=texts: char_wb_tfidf(texts), repeats=5)
        matrix = char_wb_tfidf(texts)
        graph = median_seconds(lambda matrix=matrix: neighbour_graph(matrix, 0.55, 10), repeats=3)
        print(
            f"| {size:,} | {theirs * 1000:.0f} ms | {ours * 1000:.0f} ms | **{theirs / ours:.1f}×** "
            f"| {graph * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
