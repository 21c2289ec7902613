"""The labelled corpus (``units/*.jsonl``, see README.md), installed as the read-only ``moksori_corpus`` package so
that an installed service can score a model version on the corpus test split before deploying it."""
