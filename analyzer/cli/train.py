"""``moksori train``: a model from the corpus (and stored corrections), with its card and metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from analyzer.cli.context import fail, models_root
from analyzer.cli.options import TaxonomyFile
from analyzer.errors import AnalyzerError


def train(
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="말뭉치 파일 또는 폴더")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="<모델 폴더>/<이름>/<버전> (기본: 모델 폴더의 moksori-ko/dev)")
    ] = None,
    seed: Annotated[int, typer.Option(help="난수 시드")] = 0,
    cv_folds: Annotated[int, typer.Option(help="문서 단위 교차검증 폴드 수 (0이면 생략)")] = 5,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="이 DB의 사람 수정(교정) 라벨도 학습에 씁니다")
    ] = None,
    search: Annotated[bool, typer.Option("--search", help="C와 lexicon_weight를 문서 단위 폴드로 탐색")] = False,
    taxonomy_file: TaxonomyFile = None,
    corpus_taxonomy: Annotated[
        Path | None, typer.Option("--corpus-taxonomy", help="말뭉치 라벨의 분류 체계 파일 (기본: 기본 분류 체계)")
    ] = None,
) -> None:
    """말뭉치(와 사람 수정)로 모델을 학습하고 모델 카드와 지표를 저장합니다.

    --taxonomy로 바뀐 분류 체계를 주면, 말뭉치와 저장된 수정의 라벨을 그 파일에 선언된 변경(changes)대로
    옮겨 학습합니다.
    """
    from analyzer.classify.dataset import assemble, corrections_frame
    from analyzer.classify.train import save, with_morphs
    from analyzer.classify.train import search as run_search
    from analyzer.classify.train import train as run_training
    from analyzer.corpus import load_corpus, relabelled
    from analyzer.lexicon import load_lexicon
    from analyzer.nlp import build_nlp
    from analyzer.taxonomy import load_taxonomy

    if out is None:
        out = models_root(None) / "moksori-ko" / "dev"
    lexicon = load_lexicon()
    try:
        taxonomy, labels = load_taxonomy(taxonomy_file), load_taxonomy(corpus_taxonomy)
        frame = relabelled(load_corpus(corpus or [Path("corpora/units")], labels), taxonomy, labels)
        extra: dict[str, Any] = {}
        if database_url:
            from analyzer.store.engine import make_engine

            engine = make_engine(database_url)
            try:
                found = corrections_frame(engine, taxonomy)
            finally:
                engine.dispose()
            frame = assemble(frame, found)
            extra["dataset"] = {
                "hash": frame.attrs["dataset_hash"],
                "corrections": frame.attrs["corrections"],
                "unmapped_corrections": found.attrs["unmapped"],
            }
    except AnalyzerError as error:
        fail(error)
    frame = with_morphs(frame, build_nlp())
    params = None
    if search:
        extra["search"] = run_search(frame, taxonomy, lexicon, seed=seed, folds=cv_folds if cv_folds >= 2 else 5)
        params = extra["search"]["best"]
        typer.echo(f"탐색 결과: {params}")
    result = run_training(
        frame,
        taxonomy,
        lexicon,
        name=out.parent.name,
        version=out.name,
        seed=seed,
        cv_folds=cv_folds,
        params=params,
        extra=extra,
    )
    save(result, out)
    held = result.metrics["held_out"]
    used = f" · 교정 {extra['dataset']['corrections']}건" if "dataset" in extra else ""
    typer.echo(
        f"저장: {out} · 분류 체계 {taxonomy.key} · 범주 micro F1 {held['categories']['micro_f1']} · "
        f"유형 정확도 {held['kind']['accuracy']}{used}"
    )
    if result.tagger.untrained:
        typer.echo(f"아직 학습되지 않은 범주(예시 부족, 예측하지 않음): {', '.join(result.tagger.untrained)}")
