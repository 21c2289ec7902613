"""The thin facade over the stages: file → units (ingest, redact, segment) → tags (nlp, classify).

Heavy objects (Kiwi, the model) live in one :class:`Analyzer`, built once per process. One Kiwi analysis per
text: the sentence splitter keeps the morphemes of the sentences it finds, and tagging reads them as plain
:class:`~analyzer.nlp.tokens.Tokens`; only texts the splitter did not see (short survey answers) go to Kiwi, as one
batch. Neither spaCy nor scikit-learn is imported on this path: the model is the export of the skops artefact
(:mod:`analyzer.classify.compiled`) when it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.ingest import IngestLimits, ParserServer, SurveyColumns, ingest
from analyzer.nlp.keyphrases import noun_phrases
from analyzer.nlp.morphology import KEYPHRASE_WORDS, KiwiMorphology
from analyzer.nlp.tokens import Morph, Tokens, tokens_from_morphs
from analyzer.records import Document, Meeting, Unit
from analyzer.segment import KiwiSentenceSplitter, Segmentation, SentenceSplitter, segment_document

if TYPE_CHECKING:
    from analyzer.classify.compiled import Predictor
    from analyzer.taxonomy import Taxonomy

#: Analysed once at load, so that no file (a service worker's first job, a forked worker's) pays Kiwi's first
#: analysis, which loads the rest of its model (2-3 s), and forked workers share what it loaded.
WARM_TEXT = "시험 장비 예약이 어렵습니다."
#: Gets a speaker turn's units and the sentence morphemes found so far (see ``Analyzer.read_units``).
TurnSink = Callable[[list[Unit], Mapping[str, list[Morph]]], object]
#: One unit's tags (the predictor's output columns and ``keyphrases``) as plain Python values.
Tags = dict[str, Any]


@dataclass(frozen=True)
class Analysis:
    """Everything derived from one file: masked document, meeting, units and their tags (one mapping each)."""

    document: Document
    meeting: Meeting
    units: list[Unit]
    tags: list[Tags]

    def records(self) -> list[dict[str, object]]:
        """One JSON-ready mapping per unit: the unit's fields plus its tags."""
        return [{**unit.as_dict(), **row} for unit, row in zip(self.units, self.tags, strict=True)]


@dataclass
class Analyzer:
    """Runs the pipeline; build it once (``Analyzer.load``) and reuse it for every file."""

    #: Kiwi: anything with ``kiwi`` and ``morphs(texts)`` (:class:`KiwiMorphology`, or a spaCy pipeline's tokenizer);
    #: None in an analyzer that reads files and tags texts whose morphemes it is given, but splits nothing.
    morphology: Any
    tagger: Predictor
    taxonomy: Taxonomy
    pseudonym_key: bytes
    #: The sandboxed parser process of this analyzer (None: a new sandboxed process per file).
    parser: ParserServer | None = None

    @classmethod
    def load(
        cls,
        model_dir: Path,
        pseudonym_key: bytes,
        taxonomy: Taxonomy | None = None,
        threads: int = 2,
        *,
        kiwi: bool = True,
    ) -> Analyzer:
        """Load the model of *model_dir*; *taxonomy*, when given, must be the one it was trained on; Kiwi runs
        *threads* worker threads (this process's Kiwi, :func:`process_morphology`). Without *kiwi*, no Kiwi: the
        analyzer reads files and tags texts whose morphemes it is given (a helper of a process that splits)."""
        from analyzer.classify.compiled import load_predictor

        parser = ParserServer(start=True)  # imports its parsers while Kiwi and the model load here
        tagger = load_predictor(model_dir)
        if taxonomy is not None:
            tagger.check_taxonomy(taxonomy)
        taxonomy = taxonomy or tagger.taxonomy
        morphology = process_morphology(threads) if kiwi else None
        analyzer = cls(morphology, tagger, taxonomy, pseudonym_key, parser)
        if kiwi:
            analyzer.tag_texts([WARM_TEXT])  # the first tagging's one-off costs, paid here too
        return analyzer

    @property
    def splitter(self) -> KiwiSentenceSplitter:
        """A splitter on the pipeline's Kiwi that keeps the sentences' morphemes (one per document)."""
        return KiwiSentenceSplitter(self.morphology.kiwi, keep_tokens=True)

    def units(
        self,
        name: str,
        data: bytes,
        *,
        survey: SurveyColumns | None = None,
        meeting: Meeting | None = None,
        limits: IngestLimits | None = None,
        sandbox: bool = True,
    ) -> tuple[Document, Meeting, list[Unit]]:
        """Ingest, mask personal data, and segment one file."""
        options: dict[str, Any] = {"survey": survey, "meeting": meeting, "limits": limits, "sandbox": sandbox}
        document, meeting, found, _ = self.read_units(name, data, **options)
        return document, meeting, found

    def read_units(
        self, name: str, data: bytes, *, each_turn: TurnSink | None = None, **options: Any
    ) -> tuple[Document, Meeting, list[Unit], dict[str, list[Morph]]]:
        """:meth:`units` plus the morphemes of the sentences the splitter found (sentence text → morphemes);
        *each_turn* gets each speaker turn's units and the morphemes known so far while the next turns are split."""
        splitter = self.splitter
        turn = None if each_turn is None else (lambda units: each_turn(units, splitter.tokens))
        masked, found = read(name, data, self.pseudonym_key, splitter, server=self.parser, each_turn=turn, **options)
        return masked, found.meeting, found.units, splitter.tokens

    def tokens(self, texts: list[str], known: Mapping[str, list[Morph]] | None = None) -> list[Tokens]:
        """The tokens of each text: from *known* morphemes (the splitter's) where there, else one Kiwi batch."""
        morphs = morphemes(self.morphology, texts, known or {})
        return [tokens_from_morphs(text, morphs[text]) for text in texts]

    def tag_texts(
        self,
        texts: list[str],
        progress: Callable[[Iterable[object]], Iterable[object]] | None = None,
        known: Mapping[str, list[Morph]] | None = None,
    ) -> list[Tags]:
        """Tags and key phrases for already-masked texts, one mapping per text (no pandas on this path)."""
        from analyzer.nlp.feature_text import feature_columns  # NumPy: only where texts are tagged

        stream: Iterable[object] = self.tokens(texts, known)
        tokens: list[Tokens] = list(progress(stream) if progress is not None else stream)  # type: ignore[arg-type]
        tags = self.tagger.tag_rows(feature_columns(texts, tokens))
        for row, found in zip(tags, tokens, strict=True):
            row["keyphrases"] = noun_phrases(found, KEYPHRASE_WORDS)
        return tags

    def analyze(self, name: str, data: bytes, **options: Any) -> Analysis:
        """The whole pipeline for one file (*options*: those of :meth:`units`)."""
        document, meeting, units, known = self.read_units(name, data, **options)
        return Analysis(document, meeting, units, self.tag_texts([unit.text for unit in units], known=known))


def morphemes(morphology: Any, texts: list[str], known: Mapping[str, list[Morph]]) -> dict[str, list[Morph]]:
    """The morphemes of each of *texts*: from *known* (the splitter's) where there, else from *morphology*'s Kiwi
    in one batch (a span the splitter cut, a survey answer)."""
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    found = dict(zip(missing, morphology.morphs(missing), strict=True)) if missing else {}
    return {text: known[text] if text in known else found[text] for text in texts}


def read(
    name: str,
    data: bytes,
    pseudonym_key: bytes,
    splitter: SentenceSplitter,
    *,
    survey: SurveyColumns | None = None,
    meeting: Meeting | None = None,
    limits: IngestLimits | None = None,
    sandbox: bool = True,
    server: ParserServer | None = None,
    each_turn: Callable[[list[Unit]], object] | None = None,
) -> tuple[Document, Segmentation]:
    """Ingest, mask personal data and segment one file (no model needed): the masked document and its units,
    meeting and skipped pieces. ``Analyzer.units`` and ``moksori units`` both read files through this."""
    masked = read_document(name, data, pseudonym_key, survey=survey, limits=limits, sandbox=sandbox, server=server)
    return masked, segment_document(masked, splitter, meeting, each_turn)


def read_document(
    name: str,
    data: bytes,
    pseudonym_key: bytes,
    *,
    survey: SurveyColumns | None = None,
    limits: IngestLimits | None = None,
    sandbox: bool = True,
    server: ParserServer | None = None,
) -> Document:
    """Ingest one file and mask its personal data (no Kiwi, no model): the masked document (masking is imported
    here: a process that only splits what a helper read never loads its patterns)."""
    from analyzer.redact import redact

    document = ingest(name, data, survey=survey, limits=limits or IngestLimits(), sandbox=sandbox, server=server)
    return redact(document, pseudonym_key)


@lru_cache(maxsize=2)
def process_analyzer(model_dir: str, pseudonym_key: bytes, threads: int = 2, kiwi: bool = True) -> Analyzer:
    """One analyzer per process and model (each batch worker, local or on a Dask cluster, builds its own); without
    *kiwi*, one that builds no Kiwi (see :meth:`Analyzer.load`)."""
    return Analyzer.load(Path(model_dir), pseudonym_key, threads=threads, kiwi=kiwi)


@lru_cache(maxsize=2)
def process_morphology(threads: int = 2) -> KiwiMorphology:
    """This process's Kiwi with the shipped user dictionary, *threads* worker threads, and its first analysis
    done: that analysis loads the rest of Kiwi's model (half a second), so that no file pays it (a service worker's
    first job, a forked worker's) and forked workers share what it loaded."""
    morphology = KiwiMorphology(num_workers=threads)
    morphology.morphs([WARM_TEXT])
    return morphology
