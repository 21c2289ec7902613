"""``moksori`` commands. Each parses options, calls the library and prints; no logic of its own."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from analyzer.errors import AnalyzerError

app = typer.Typer(
    help="목소리(moksori): 간담회 회의록·녹취록·설문 응답에서 애로와 건의를 찾아 분류합니다.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="JSON Lines로 출력")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="모델 디렉터리 (기본: 배포된 모델)")]


def _home() -> Path:
    return Path(os.environ.get("MOKSORI_HOME", Path.home() / ".config" / "moksori"))


def _pseudonym_key() -> bytes:
    from analyzer.secrets import load_or_create_key

    env = os.environ.get("MOKSORI_PSEUDONYM_KEY")
    return bytes.fromhex(env) if env else load_or_create_key(_home() / "pseudonym.key")


def _model_dir(model: Path | None) -> Path:
    from analyzer.classify.registry import default_models_root, deployed_dir

    return model or deployed_dir(default_models_root())


def _fail(error: AnalyzerError, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(error.as_dict(), ensure_ascii=False))
    else:
        typer.echo(f"오류[{error.code}]: {error.message}", err=True)
    raise typer.Exit(code=2)


def _progress(total: int) -> Any:
    from tqdm import tqdm

    return lambda items: tqdm(items, total=total, desc="분석", unit="문장", disable=None, file=sys.stderr)


def _survey_columns(
    text_cols: list[str] | None, org: str | None, region: str | None, industry: str | None, respondent: str | None
) -> Any:
    from analyzer.ingest import SurveyColumns

    if not (text_cols or org or region or industry or respondent):
        return None
    return SurveyColumns(
        answers=tuple(text_cols or ()), organisation=org, region=region, industry=industry, respondent=respondent
    )


SurveyText = Annotated[
    list[str] | None, typer.Option("--survey-text-col", help="설문 응답 열 이름 (여러 번 지정 가능)")
]
SurveyOrg = Annotated[str | None, typer.Option("--survey-org-col", help="기업명(소속) 열")]
SurveyRegion = Annotated[str | None, typer.Option("--survey-region-col", help="지역 열")]
SurveyIndustry = Annotated[str | None, typer.Option("--survey-industry-col", help="업종 열")]
SurveyRespondent = Annotated[str | None, typer.Option("--survey-respondent-col", help="응답자 열")]


def _print_rows(rows: Iterable[dict[str, Any]], as_json: bool, columns: tuple[str, ...]) -> None:
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
        else:
            typer.echo("\t".join(str(row.get(c, "")) for c in columns))


@app.command()
def units(
    file: Path,
    survey_text_col: SurveyText = None,
    survey_org_col: SurveyOrg = None,
    survey_region_col: SurveyRegion = None,
    survey_industry_col: SurveyIndustry = None,
    survey_respondent_col: SurveyRespondent = None,
    as_json: JsonFlag = False,
) -> None:
    """파일을 발언·문장·응답 단위로 나누어 출력합니다 (개인정보는 가려집니다)."""
    from kiwipiepy import Kiwi

    from analyzer.ingest import ingest
    from analyzer.redact import redact
    from analyzer.segment import KiwiSentenceSplitter, segment

    survey = _survey_columns(
        survey_text_col, survey_org_col, survey_region_col, survey_industry_col, survey_respondent_col
    )
    try:
        document = redact(ingest(file.name, file.read_bytes(), survey=survey), _pseudonym_key())
    except AnalyzerError as error:
        _fail(error, as_json)
    except OSError:
        _fail(AnalyzerError("unknown_type", f"cannot read {file.name}"), as_json)
    meeting, found = segment(document, KiwiSentenceSplitter(Kiwi(num_workers=1)))
    meta = {k: v for k, v in meeting.as_dict().items() if v}
    rows = [
        {**unit.as_dict(), "meeting": meta, "format": document.format, "encoding": document.encoding} for unit in found
    ]
    _print_rows(rows, as_json, ("seq", "unit_kind", "speaker", "organisation", "text"))


@app.command()
def analyze(
    file: Path,
    model: ModelOption = None,
    survey_text_col: SurveyText = None,
    survey_org_col: SurveyOrg = None,
    as_json: JsonFlag = False,
) -> None:
    """파일을 분석해 단위마다 분류(범주·유형·신뢰도·검토 필요)를 출력합니다."""
    from analyzer.analyze import Analysis, Analyzer

    try:
        analyzer = Analyzer.load(_model_dir(model), _pseudonym_key())
        document, meeting, found = analyzer.units(
            file.name, file.read_bytes(), survey=_survey_columns(survey_text_col, survey_org_col, None, None, None)
        )
    except AnalyzerError as error:
        _fail(error, as_json)
    except OSError:
        _fail(AnalyzerError("unknown_type", f"cannot read {file.name}"), as_json)
    tags = analyzer.tag_texts([u.text for u in found], progress=_progress(len(found))).reset_index(drop=True)
    result = Analysis(document, meeting, found, tags)
    _print_rows(result.records(), as_json, ("seq", "kind", "categories", "kind_confidence", "needs_review", "text"))


TaxonomyFile = Annotated[Path | None, typer.Option("--taxonomy", help="분류 체계 파일 (기본: 기본 분류 체계)")]
LabelsTaxonomy = Annotated[
    Path | None,
    typer.Option("--data-taxonomy", help="데이터 라벨의 분류 체계 파일 (기본: 기본 분류 체계, 말뭉치가 쓰는 것)"),
]


@app.command()
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
        tagger = load_tagger(_model_dir(model))
        frame = relabelled(with_split(validate(read_jsonl(data), labels)), tagger.taxonomy, labels)
    except AnalyzerError as error:
        _fail(error, as_json)
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


@app.command()
def train(
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="말뭉치 파일 또는 폴더")] = None,
    out: Annotated[Path, typer.Option("--out", help="models/<이름>/<버전>")] = Path("models/moksori-ko/dev"),
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
        _fail(error, False)
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


@app.command()
def demo(model: ModelOption = None) -> None:
    """함께 제공되는 예시 회의록·녹취록·설문을 분석해 애로·건의 상위 범주를 보여 줍니다."""
    from importlib import resources

    import pandas as pd

    from analyzer.analyze import Analyzer

    analyzer = Analyzer.load(_model_dir(model), _pseudonym_key())
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


DataDir = Annotated[Path | None, typer.Option("--data-dir", help="데이터 폴더 (기본: ./data)")]
DatabaseUrl = Annotated[str | None, typer.Option("--database-url", help="DB 주소 (기본: data-dir의 SQLite)")]


def _settings(data_dir: Path | None, database_url: str | None) -> Any:
    from api.settings import Settings

    return Settings.from_env(data_dir=data_dir, database_url=database_url)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="주소")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="포트")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="분석 작업자 프로세스 수")] = 1,
) -> None:
    """API·분석 작업자·대시보드를 함께 실행합니다 (DB가 비어 있으면 예시 회의를 불러옵니다)."""
    from api.serve import serve as run

    run(_settings(data_dir, database_url), host, port, workers)


keys_app = typer.Typer(help="API 키 관리", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _engine(data_dir: Path | None, database_url: str | None) -> Any:
    from analyzer.store.engine import make_engine
    from analyzer.store.migrate import migrate

    settings = _settings(data_dir, database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return engine


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="staff | leadership | researcher | admin")],
    agency: Annotated[str | None, typer.Option(help="기관 이름 (admin은 생략 가능)")] = None,
    label: Annotated[str, typer.Option(help="메모")] = "",
    expires_days: Annotated[int | None, typer.Option(help="유효 기간(일)")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """API 키를 만듭니다 (키는 한 번만 표시됩니다)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from analyzer.store import keys
    from analyzer.store.tables import agencies

    engine = _engine(data_dir, database_url)
    agency_id = None
    if agency:
        with engine.begin() as connection:
            agency_id = connection.execute(select(agencies.c.id).where(agencies.c.name == agency)).scalar()
            if agency_id is None:
                agency_id = connection.execute(agencies.insert().values(name=agency)).inserted_primary_key[0]
    elif role != "admin":
        typer.echo("오류: admin이 아닌 키에는 --agency가 필요합니다.", err=True)
        raise typer.Exit(code=2)
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    key_id, plaintext = keys.create_key(engine, role, agency_id, label, expires)
    typer.echo(f"키 {key_id} ({role}): {plaintext}")


@keys_app.command("list")
def keys_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """API 키 목록 (키 자체는 보여 주지 않습니다)."""
    from analyzer.store import keys

    for row in keys.list_keys(_engine(data_dir, database_url)):
        typer.echo(
            "\t".join(
                str(row.get(c, "")) for c in ("id", "prefix", "role", "agency_id", "label", "expires_at", "revoked_at")
            )
        )


@keys_app.command("revoke")
def keys_revoke(key_id: int, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """API 키를 폐기합니다."""
    from analyzer.store import keys

    if not keys.revoke(_engine(data_dir, database_url), key_id):
        typer.echo(f"오류: 키 {key_id}를 찾을 수 없습니다.", err=True)
        raise typer.Exit(code=2)
    typer.echo(f"키 {key_id}를 폐기했습니다.")


models_app = typer.Typer(help="모델 버전 목록과 배포", no_args_is_help=True)
app.add_typer(models_app, name="models")

ModelsRoot = Annotated[
    Path | None,
    typer.Option("--models-root", envvar="MOKSORI_MODELS_ROOT", help="모델 폴더 (기본: 함께 제공된 models/)"),
]


def _models_root(root: Path | None) -> Path:
    from analyzer.classify.registry import default_models_root

    return root or default_models_root()


def _deployed_pointer(root: Path) -> tuple[str, str] | None:
    try:
        pointer = json.loads((root / "deployed.json").read_text(encoding="utf-8"))
        return str(pointer["name"]), str(pointer["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@models_app.command("list")
def models_list(models_root: ModelsRoot = None, as_json: JsonFlag = False) -> None:
    """모델 버전과 분류 체계, 보류 평가(held-out) 범주 micro F1, 배포된 버전을 보여 줍니다."""
    from analyzer.classify.artefact import model_taxonomy
    from analyzer.classify.registry import versions

    root = _models_root(models_root)
    deployed = _deployed_pointer(root)
    rows = []
    for name, version in versions(root):
        try:
            metrics = json.loads((root / name / version / "metrics.json").read_text(encoding="utf-8"))
            held = metrics.get("held_out") or {}
            micro = held.get("categories", {}).get("micro_f1")
            kind = held.get("kind", {}).get("accuracy")
        except (OSError, ValueError, AttributeError):
            micro = kind = None
        try:
            taxonomy = model_taxonomy(root / name / version).key
        except AnalyzerError:
            taxonomy = None
        rows.append(
            {
                "name": name,
                "version": version,
                "taxonomy": taxonomy,
                "micro_f1": micro,
                "kind_accuracy": kind,
                "deployed": deployed == (name, version),
            }
        )
    if as_json:
        _print_rows(rows, True, ())
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
    models_root: ModelsRoot = None,
) -> None:
    """후보 버전을 배포된 모델과 같은 평가 집합(말뭉치 시험 분할)으로 비교하고, 나쁘지 않으면 배포합니다."""
    from analyzer.classify.deploy import DeployRefused, deploy, evaluation_frame
    from analyzer.nlp import build_nlp

    root = _models_root(models_root)
    try:
        frame = evaluation_frame(build_nlp(), None, corpus)
        result = deploy(root, name, version, frame, tolerance=tolerance, force=force)
    except DeployRefused as refused:
        _print_comparison(refused.comparison)
        _fail(refused, False)
    except AnalyzerError as error:
        _fail(error, False)
    if result["comparison"] is not None:
        _print_comparison(result["comparison"])
    if result["forced"] and result["regressions"]:
        typer.echo("주의: 현재 모델보다 나쁘지만 --force로 배포했습니다.")
    previous = result["previous"] or "없음"
    typer.echo(f"배포했습니다: {previous} → {result['deployed']} (기록: {root / 'deployments.jsonl'})")
    typer.echo("분류 체계가 바뀌었다면 `moksori corrections remap`으로 저장된 수정을 옮기세요 (API 배포는 자동).")


corrections_app = typer.Typer(help="사람이 바로잡은 분류: 내보내기와 분류 체계 변경 반영", no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")


@contextmanager
def _taxonomy_and_engine(
    taxonomy_file: Path | None, models_root: Path | None, data_dir: Path | None, database_url: str | None
) -> Iterator[tuple[Any, Any]]:
    """The taxonomy file given (or the deployed model's taxonomy) and an engine, disposed afterwards."""
    from analyzer.classify.artefact import model_taxonomy
    from analyzer.classify.registry import deployed_dir
    from analyzer.taxonomy import load_taxonomy

    try:
        taxonomy = (
            load_taxonomy(taxonomy_file) if taxonomy_file else model_taxonomy(deployed_dir(_models_root(models_root)))
        )
    except AnalyzerError as error:
        _fail(error, False)
    engine = _engine(data_dir, database_url)
    try:
        yield taxonomy, engine
    finally:
        engine.dispose()


@corrections_app.command("export")
def corrections_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL 파일 (말뭉치 형식 + 출처)")],
    taxonomy_file: TaxonomyFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    models_root: ModelsRoot = None,
) -> None:
    """단위마다 가장 최근의 수정을 말뭉치 형식(가려진 텍스트만)과 출처(작성 키, 시각, 단위, 회의)로 내보냅니다."""
    from analyzer.classify.dataset import corrections_frame

    with _taxonomy_and_engine(taxonomy_file, models_root, data_dir, database_url) as (taxonomy, engine):
        frame = corrections_frame(engine, taxonomy)
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
    models_root: ModelsRoot = None,
) -> None:
    """저장된 사람 수정을 분류 체계(기본: 배포된 모델의 것)로 옮깁니다. 선언된 변경(changes)을 따릅니다."""
    from analyzer.store.corrections import remap_corrections

    with _taxonomy_and_engine(taxonomy_file, models_root, data_dir, database_url) as (taxonomy, engine):
        counts = remap_corrections(engine, taxonomy)
    typer.echo(f"{taxonomy.key}(으)로 옮긴 수정 {counts['remapped']}건 · 옮길 경로가 없는 수정 {counts['unmapped']}건")


@app.command()
def backup(
    target: Path,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """SQLite 데이터베이스를 온라인 백업합니다."""
    from analyzer.store.backup import backup as run_backup
    from analyzer.store.backup import row_counts

    engine = _engine(data_dir, database_url)
    run_backup(engine, target)
    counts = row_counts(engine)
    typer.echo(f"백업: {target} ({', '.join(f'{k} {v}' for k, v in counts.items())})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
