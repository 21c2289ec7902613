"""``moksori serve``, ``demo`` and ``backup``: running the service, trying it on the samples, backing it up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli.context import engine, model_dir, pseudonym_key, settings
from analyzer.cli.options import DatabaseUrl, DataDir, ModelOption


def serve(
    host: Annotated[str, typer.Option(help="주소")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="포트")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="분석 작업자 프로세스 수")] = 1,
) -> None:
    """API·분석 작업자·대시보드를 함께 실행합니다 (DB가 비어 있으면 예시 회의를 불러옵니다)."""
    from api.serve import serve as run

    run(settings(data_dir, database_url), host, port, workers)


def demo(model: ModelOption = None) -> None:
    """함께 제공되는 예시 회의록·녹취록·설문을 분석해 애로·건의 상위 범주를 보여 줍니다."""
    from importlib import resources

    import pandas as pd

    from analyzer.analyze import Analyzer

    analyzer = Analyzer.load(model_dir(model), pseudonym_key())
    samples = resources.files("analyzer").joinpath("data/samples")
    frames = []
    for sample in sorted(samples.iterdir(), key=lambda p: p.name):
        if sample.name.endswith((".txt", ".csv")):
            result = analyzer.analyze(sample.name, sample.read_bytes())
            typer.echo(
                f"{sample.name}: 단위 {len(result.units)}개, 검토 필요 {int(result.tags['needs_review'].sum())}개"
            )
            frames.append(pd.DataFrame(result.records()).assign(file=sample.name))
    tagged = pd.concat(frames, ignore_index=True)
    asks = tagged[tagged["kind"].isin(["pain_point", "request"])].explode("categories").dropna(subset=["categories"])
    typer.echo("\n애로·건의 상위 범주 (예시 회의 전체)")
    for category, count in asks["categories"].value_counts().head(8).items():
        example = asks[asks["categories"] == category].iloc[0]["text"]
        typer.echo(f"  {analyzer.taxonomy.label_of(str(category))}: {count}건  예) {example}")


def backup(target: Path, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """SQLite 데이터베이스를 온라인 백업합니다."""
    from analyzer.store.backup import backup as run_backup
    from analyzer.store.backup import row_counts

    made = engine(data_dir, database_url)
    run_backup(made, target)
    counts = row_counts(made)
    typer.echo(f"백업: {target} ({', '.join(f'{k} {v}' for k, v in counts.items())})")
