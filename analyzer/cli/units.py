"""``moksori units`` and ``moksori analyze``: files and folders in, units (and their tags) out."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from analyzer.cli.batch import Record, batch_mapper, fail_batch, parts_for, run_batch, store_mapper
from analyzer.cli.context import model_dir, pseudonym_key, settings
from analyzer.cli.inputs import expand
from analyzer.cli.options import (
    DatabaseUrl,
    DataDir,
    JsonFlag,
    ModelOption,
    OutFile,
    SurveyIndustry,
    SurveyOrg,
    SurveyRegion,
    SurveyRespondent,
    SurveyText,
)
from analyzer.cli.outfile import check_out
from analyzer.cli.output import TAG_HEADER, UNIT_HEADER, table, tag_cells, unit_cells
from analyzer.errors import AnalyzerError

if TYPE_CHECKING:
    from analyzer.ingest import SurveyColumns
    from analyzer.services.batch import BatchOptions
    from analyzer.taxonomy import Taxonomy

Paths = Annotated[list[Path], typer.Argument(help="파일 또는 폴더 (폴더는 안의 지원 파일 전부, 하위 폴더 포함)")]
ShowSkipped = Annotated[
    bool,
    typer.Option("--show-skipped", help="단위에 들어가지 않은 글(머리글 항목, 화자 표시, 쪽 번호 등)과 그 이유도 출력"),
]


def skipped_record(text: str, piece: Any) -> Record:
    """A skipped piece as a row beside the units: kind ``skipped``, its reason and its text."""
    return {
        "seq": "-",
        "unit_kind": "skipped",
        "reason": piece.reason,
        "text": text[piece.start : piece.end],
        "start": piece.start,
        "end": piece.end,
    }


def _survey_columns(
    text_cols: list[str] | None, org: str | None, region: str | None, industry: str | None, respondent: str | None
) -> Any:
    from analyzer.ingest import SurveyColumns

    if not (text_cols or org or region or industry or respondent):
        return None
    return SurveyColumns(
        answers=tuple(text_cols or ()), organisation=org, region=region, industry=industry, respondent=respondent
    )


def _check_out(out: Path | None, as_json: bool) -> None:
    try:
        if out is not None:
            check_out(out)
    except AnalyzerError as error:
        raise fail_batch(error, as_json) from error


def units(
    paths: Paths,
    survey_text_col: SurveyText = None,
    survey_org_col: SurveyOrg = None,
    survey_region_col: SurveyRegion = None,
    survey_industry_col: SurveyIndustry = None,
    survey_respondent_col: SurveyRespondent = None,
    out: OutFile = None,
    show_skipped: ShowSkipped = False,
    as_json: JsonFlag = False,
) -> None:
    """파일을 발언·문장·응답 단위로 나누어 출력합니다 (개인정보는 가려집니다). 파일과 폴더를 여러 개 받습니다."""
    from analyzer.analyze import process_morphology, read
    from analyzer.segment import KiwiSentenceSplitter

    _check_out(out, as_json)
    survey = _survey_columns(
        survey_text_col, survey_org_col, survey_region_col, survey_industry_col, survey_respondent_col
    )
    key = pseudonym_key()
    splitter = KiwiSentenceSplitter(process_morphology(1).kiwi)  # this process's Kiwi, as analysis builds it

    def process(name: str, data: bytes) -> tuple[str, list[Record]]:
        document, (meeting, found, skipped) = read(name, data, key, splitter, survey=survey)
        meta = {k: v for k, v in meeting.as_dict().items() if v}
        extra = {"meeting": meta, "format": document.format, "encoding": document.encoding}
        records: list[Record] = [{**unit.as_dict(), **extra} for unit in found]
        if show_skipped:
            records += [skipped_record(document.text, piece) for piece in skipped]
            records.sort(key=lambda record: int(record["start"]))
        return document.format, records

    def render(records: Sequence[Record]) -> list[str]:
        return table(UNIT_HEADER, [unit_cells(record) for record in records])

    run_batch(expand(paths), process, render, as_json=as_json, out=out)


Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="분석 프로세스 수: 1은 이 프로세스 하나(코어 하나), 2(기본)는 이 프로세스와 읽기·태깅 도우미, "
        "3 이상은 파일을 나누어 맡는 작업 프로세스",
    ),
]
Agency = Annotated[str | None, typer.Option("--agency", help="--database-url/--data-dir로 저장할 때 자료를 올릴 기관")]
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="이미 떠 있는 Dask 클러스터의 스케줄러 주소 (예: tcp://host:8786)")
]


def analyze(
    paths: Paths,
    model: ModelOption = None,
    survey_text_col: SurveyText = None,
    survey_org_col: SurveyOrg = None,
    out: OutFile = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    agency: Agency = None,
    as_json: JsonFlag = False,
) -> None:
    """파일을 분석해 단위마다 유형·범주(한국어 이름)·신뢰도·검토 필요를 출력합니다. 모델은 한 번만 불러옵니다.

    --workers N은 분석에 쓰는 프로세스(코어) 수입니다: 1은 이 프로세스 하나,
    2(기본)는 도우미 프로세스와 함께, 3 이상은 작업 프로세스가 파일을 나누어 맡습니다.
    --scheduler로 여러 컴퓨터에 나누어 처리하고, --out이 있으면 끝난 파일은 다시 실행할 때 건너뜁니다.
    --database-url이나 --data-dir을 주면 서비스의 작업자처럼 결과를 저장소에 기록합니다 (--agency 필요)."""
    from analyzer.services.batch_helper import READ_AHEAD, TaggingHelper
    from analyzer.services.cluster import plan

    _check_out(out, as_json)
    survey = _survey_columns(survey_text_col, survey_org_col, None, None, None)
    store = data_dir is not None or database_url is not None
    where = plan(workers, scheduler, helper=not store)
    inputs = expand(paths)
    resolve = partial(batch_options, model, data_dir, database_url, store, survey, where.threads)
    helper = TaggingHelper() if where.helper else None
    try:
        try:
            if helper is not None:  # the helper resolves the options while Kiwi starts here
                first = [item.path for item in inputs[:READ_AHEAD] if item.error is None]
                taxonomy = helper.start(resolve, where.threads, first, parts_for(out))
                options = helper.options
            else:
                options, taxonomy = resolve()
        except AnalyzerError as error:
            raise fail_batch(error, as_json) from error

        def render(records: Sequence[Record]) -> list[str]:
            return table(TAG_HEADER, [tag_cells(record, taxonomy) for record in records])

        if store:
            mapper = store_mapper(options, settings(data_dir, database_url), agency or "", where.workers, scheduler)
        else:
            mapper = batch_mapper(options, out, where, scheduler, helper)
        run_batch(inputs, mapper, render, as_json=as_json, out=out, taxonomy=taxonomy, mapped=True)
    finally:
        if helper is not None:
            helper.close()


def batch_options(
    model: Path | None,
    data_dir: Path | None,
    database_url: str | None,
    store: bool,
    survey: SurveyColumns | None,
    threads: int,
) -> tuple[BatchOptions, Taxonomy]:
    """The options of a batch and the model's taxonomy, from the command's flags and the environment: the model's
    directory and version and the pseudonym key (the service's with ``--data-dir`` or ``--database-url``). A batch
    with a helper resolves them there, while Kiwi starts here."""
    from analyzer.classify.model_files import model_identity
    from analyzer.services.batch import BatchOptions

    directory = model_dir(model)
    key = settings(data_dir, database_url).pseudonym_key("service") if store else pseudonym_key()
    version, taxonomy = model_identity(directory)  # the model itself loads where it tags
    return BatchOptions(str(directory), key, version, survey, threads), taxonomy
