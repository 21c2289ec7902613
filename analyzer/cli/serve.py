"""``moksori serve``, ``demo`` and ``backup``: running the service, trying it on the samples, backing it up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli.context import engine, settings
from analyzer.cli.options import DatabaseUrl, DataDir, ModelOption


def serve(
    host: Annotated[str, typer.Option(help="주소")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="포트")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="분석 작업자 프로세스 수")] = 1,
    web_workers: Annotated[int, typer.Option(min=1, help="API·대시보드 프로세스 수 (uvicorn 작업자)")] = 1,
) -> None:
    """API·분석 작업자·대시보드를 함께 실행합니다 (DB가 비어 있으면 예시 회의를 불러옵니다)."""
    from api.serve import serve as run

    run(settings(data_dir, database_url), host, port, workers, web_workers=web_workers)


def demo(model: ModelOption = None) -> None:
    """함께 제공되는 예시 회의록·녹취록·설문을 임시 폴더에서 분석해 애로·건의 상위 범주를 보여 줍니다
    (API·대시보드와 같은 집계: 회의마다 같은 무게로 정규화한 점수 순)."""
    from analyzer.services.demo import run_demo

    result = run_demo(settings(), model)
    done, failed = result.jobs.get("done", 0), result.jobs.get("failed", 0)
    typer.echo(f"예시 파일 {done + failed}개 분석 (완료 {done}, 실패 {failed}) · 모델 {result.model_version}")
    typer.echo("\n애로·건의 상위 범주 (예시 회의 전체; 건수 · 정규화 점수)")
    for row in result.top:
        quotes = result.by_category.get(row["category"], {}).get("quotes") or [{}]
        example = str(quotes[0].get("text", ""))[:80]
        typer.echo(f"  {row['label']}: {row['units']}건 · 점수 {row['score']:.2f}  예) {example}")


def backup(target: Path, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """SQLite 데이터베이스를 온라인 백업합니다."""
    from analyzer.store.backup import backup as run_backup
    from analyzer.store.backup import row_counts

    made = engine(data_dir, database_url)
    run_backup(made, target)
    counts = row_counts(made)
    typer.echo(f"백업: {target} ({', '.join(f'{k} {v}' for k, v in counts.items())})")
