"""``moksori evaluate`` and ``moksori models list|deploy``: scoring, listing and deploying model versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from analyzer.cli.context import fail, model_dir, models_root
from analyzer.cli.options import JsonFlag, ModelOption, ModelsRoot
from analyzer.errors import AnalyzerError
from analyzer.records import json_line

models_app = typer.Typer(help="모델 버전 목록과 배포", no_args_is_help=True)

LabelsTaxonomy = Annotated[
    Path | None,
    typer.Option("--data-taxonomy", help="데이터 라벨의 분류 체계 파일 (기본: 기본 분류 체계, 말뭉치가 쓰는 것)"),
]


def evaluate(
    data: Annotated[list[Path], typer.Option("--data", help="말뭉치 형식의 JSONL 파일 또는 폴더")],
    model: ModelOption = None,
    split: Annotated[str, typer.Option(help="all | train | test (문서 단위 분할)")] = "all",
    data_taxonomy: LabelsTaxonomy = None,
    as_json: JsonFlag = False,
) -> None:
    """모델을 라벨이 있는 데이터로 평가합니다 (라벨은 모델의 분류 체계로 옮겨서 비교)."""
    from analyzer.classify.artefact import load_tagger
    from analyzer.classify.evaluate import evaluate as run_evaluation
    from analyzer.classify.train import with_morphs
    from analyzer.corpus import read_jsonl, relabelled, validate, with_split
    from analyzer.nlp import build_nlp
    from analyzer.taxonomy import load_taxonomy

    try:
        labels = load_taxonomy(data_taxonomy)
        tagger = load_tagger(model_dir(model))
        frame = relabelled(with_split(validate(read_jsonl(data), labels)), tagger.taxonomy, labels)
    except AnalyzerError as error:
        fail(error, as_json)
    if split != "all":
        frame = frame[frame["split"] == split]
    result = run_evaluation(tagger, with_morphs(frame, build_nlp()))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    cats, kind = result["categories"], result["kind"]
    typer.echo(f"단위 {result['n']}개 · 모델 {tagger.model_version}")
    typer.echo(f"범주 micro F1 {cats['micro_f1']:.3f} · macro F1 {cats['macro_f1']:.3f}")
    typer.echo(f"유형 정확도 {kind['accuracy']:.3f} · macro F1 {kind['macro_f1']:.3f}")
    typer.echo(f"자동 확정 비율 {result['coverage_at_threshold']:.3f}")
    for label, m in cats["per_label"].items():
        typer.echo(f"  {label:22s} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} n={m['support']}")
    for register, m in result.get("by_register", {}).items():
        typer.echo(
            f"  [{register}] n={m['n']} 범주 micro F1 {m['micro_f1']:.3f} · 유형 macro F1 {m['kind_macro_f1']:.3f} · "
            f"자동 확정 {m['coverage']:.3f} (유형 정확도 {m['kind_accuracy_when_accepted']:.3f})"
        )
    for register, rows in result.get("review_yield_by_register", {}).items():
        shares = ", ".join(f"앞 {row['first_n']}개 {row['margin']:.2f}" for row in rows)
        base = f"기준 {rows[0]['base_rate']:.2f}" if rows else "단위 부족"
        typer.echo(f"  [{register}] 검토 대기열 오류 비율: {shares} ({base})")


def _deployed_pointer(root: Path) -> tuple[str, str] | None:
    """The deployed ``(name, version)``, ``None`` when the pointer is bad (the list still shows every version)."""
    from analyzer.services.deployed import DeployedWatcher

    try:
        directory = DeployedWatcher(root).directory()
    except AnalyzerError:
        return None
    return directory.parent.name, directory.name


def _version_row(root: Path, name: str, version: str, deployed: tuple[str, str] | None) -> dict[str, Any]:
    from analyzer.classify.artefact import model_taxonomy
    from analyzer.classify.registry import version_dir

    directory = version_dir(root, name, version)  # the models root's, else the shipped one
    try:
        metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
        held = metrics.get("held_out") or {}
        micro = held.get("categories", {}).get("micro_f1")
        kind = held.get("kind", {}).get("accuracy")
    except (OSError, ValueError, AttributeError):
        micro = kind = None
    try:
        taxonomy = model_taxonomy(directory).key
    except AnalyzerError:
        taxonomy = None
    return {
        "name": name,
        "version": version,
        "taxonomy": taxonomy,
        "micro_f1": micro,
        "kind_accuracy": kind,
        "deployed": deployed == (name, version),
    }


@models_app.command("list")
def models_list(models_root_option: ModelsRoot = None, as_json: JsonFlag = False) -> None:
    """모델 버전과 분류 체계, 보류 평가(held-out) 범주 micro F1, 배포된 버전을 보여 줍니다."""
    from analyzer.classify.registry import versions

    root = models_root(models_root_option)
    deployed = _deployed_pointer(root)
    rows = [_version_row(root, name, version, deployed) for name, version in versions(root)]
    if as_json:
        for row in rows:
            typer.echo(json_line(row))
        return
    if not rows:
        typer.echo(f"{root}에 모델 버전이 없습니다.")
        return
    for row in rows:
        mark = "*" if row["deployed"] else " "
        micro = "-" if row["micro_f1"] is None else f"{row['micro_f1']:.4f}"
        kind = "-" if row["kind_accuracy"] is None else f"{row['kind_accuracy']:.4f}"
        status = "  (배포됨)" if row["deployed"] else ""
        typer.echo(
            f"{mark} {row['name']}/{row['version']}\t{row['taxonomy'] or '-'}\t범주 micro F1 {micro}\t"
            f"유형 정확도 {kind}{status}"
        )


def _print_comparison(comparison: dict[str, Any]) -> None:
    candidate, current, delta = comparison["candidate"], comparison["current"], comparison["delta"]
    typer.echo(
        f"공통 평가 집합: 단위 {comparison['n']}개 · "
        f"현재 {current['model_version']} → 후보 {candidate['model_version']}"
    )
    for key, label in (("micro_f1", "범주 micro F1"), ("macro_f1", "범주 macro F1"), ("kind_accuracy", "유형 정확도")):
        typer.echo(f"  {label:14s} {current[key]:.4f} → {candidate[key]:.4f} ({delta[key]:+.4f})")
    for label, f1 in candidate["per_label"].items():
        typer.echo(
            f"  {label:22s} F1 {current['per_label'].get(label, 0.0):.4f} → {f1:.4f} ({delta['per_label'][label]:+.4f})"
        )


@models_app.command("deploy")
def models_deploy(
    version: str,
    name: Annotated[str, typer.Option("--name", help="모델 이름")] = "moksori-ko",
    force: Annotated[bool, typer.Option("--force", help="현재 모델보다 나빠도 배포")] = False,
    tolerance: Annotated[float, typer.Option("--tolerance", help="허용하는 지표 하락 폭")] = 0.01,
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="평가에 쓸 말뭉치 (시험 분할)")] = None,
    models_root_option: ModelsRoot = None,
) -> None:
    """후보 버전을 배포된 모델과 같은 평가 집합(말뭉치 시험 분할)으로 비교하고, 나쁘지 않으면 배포합니다."""
    from analyzer.classify.deploy import DeployRefused, deploy, evaluation_frame
    from analyzer.nlp import build_nlp

    root = models_root(models_root_option)
    try:
        frame = evaluation_frame(build_nlp(), None, corpus)
        result = deploy(root, name, version, frame, tolerance=tolerance, force=force)
    except DeployRefused as refused:
        _print_comparison(refused.comparison)
        fail(refused)
    except AnalyzerError as error:
        fail(error)
    if result["comparison"] is not None:
        _print_comparison(result["comparison"])
    if result["forced"] and result["regressions"]:
        typer.echo("주의: 현재 모델보다 나쁘지만 --force로 배포했습니다.")
    previous = result["previous"] or "없음"
    typer.echo(f"배포했습니다: {previous} → {result['deployed']} (기록: {root / 'deployments.jsonl'})")
    typer.echo("분류 체계가 바뀌었다면 `moksori corrections remap`으로 저장된 수정을 옮기세요 (API 배포는 자동).")
