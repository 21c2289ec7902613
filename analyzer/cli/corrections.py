"""``moksori corrections export|remap``: people's corrections out in the corpus format, or onto a new taxonomy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from analyzer.cli.context import engine, fail, models_root
from analyzer.cli.options import DatabaseUrl, DataDir, ModelsRoot, TaxonomyFile
from analyzer.errors import AnalyzerError

corrections_app = typer.Typer(help="사람이 바로잡은 분류: 내보내기와 분류 체계 변경 반영", no_args_is_help=True)


@contextmanager
def _taxonomy_and_engine(
    taxonomy_file: Path | None, root: Path | None, data_dir: Path | None, database_url: str | None
) -> Iterator[tuple[Any, Any]]:
    """The taxonomy file given (or the deployed model's taxonomy) and an engine, disposed afterwards."""
    from analyzer.services.deployed import DeployedWatcher
    from analyzer.taxonomy import load_taxonomy

    try:
        if taxonomy_file:
            taxonomy = load_taxonomy(taxonomy_file)
        else:
            taxonomy = DeployedWatcher(models_root(root)).current().taxonomy
    except AnalyzerError as error:
        fail(error)
    made = engine(data_dir, database_url)
    try:
        yield taxonomy, made
    finally:
        made.dispose()


@corrections_app.command("export")
def corrections_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL 파일 (말뭉치 형식 + 출처)")],
    taxonomy_file: TaxonomyFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    models_root_option: ModelsRoot = None,
) -> None:
    """단위마다 가장 최근의 수정을 말뭉치 형식(가려진 텍스트만)과 출처(작성 키, 시각, 단위, 회의)로 내보냅니다."""
    from analyzer.classify.dataset import corrections_frame

    with _taxonomy_and_engine(taxonomy_file, models_root_option, data_dir, database_url) as (taxonomy, made):
        frame = corrections_frame(made, taxonomy)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso"), encoding="utf-8")
    tmp.replace(out)
    typer.echo(
        f"{out}: 수정 {len(frame)}건 ({taxonomy.key} 기준) · 옮길 경로가 없어 뺀 수정 {frame.attrs['unmapped']}건"
    )


@corrections_app.command("remap")
def corrections_remap(
    taxonomy_file: TaxonomyFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    models_root_option: ModelsRoot = None,
) -> None:
    """저장된 사람 수정을 분류 체계(기본: 배포된 모델의 것)로 옮깁니다. 선언된 변경(changes)을 따릅니다."""
    from analyzer.store.corrections import remap_corrections

    with _taxonomy_and_engine(taxonomy_file, models_root_option, data_dir, database_url) as (taxonomy, made):
        counts = remap_corrections(made, taxonomy)
    typer.echo(f"{taxonomy.key}(으)로 옮긴 수정 {counts['remapped']}건 · 옮길 경로가 없는 수정 {counts['unmapped']}건")
