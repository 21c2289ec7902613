"""Option types shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

JsonFlag = Annotated[bool, typer.Option("--json", help="JSON Lines로 출력 (id 그대로)")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="모델 디렉터리 (기본: 배포된 모델)")]
OutFile = Annotated[
    Path | None, typer.Option("--out", help="결과를 파일로 저장: .jsonl, .csv(utf-8-sig), .xlsx (확장자로 결정)")
]
TaxonomyFile = Annotated[Path | None, typer.Option("--taxonomy", help="분류 체계 파일 (기본: 기본 분류 체계)")]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help="데이터 폴더 (기본: ./data)")]
DatabaseUrl = Annotated[str | None, typer.Option("--database-url", help="DB 주소 (기본: data-dir의 SQLite)")]
ModelsRoot = Annotated[
    Path | None,
    typer.Option("--models-root", help="모델 폴더 (기본: 데이터 폴더의 models/)"),
]

SurveyText = Annotated[
    list[str] | None, typer.Option("--survey-text-col", help="설문 응답 열 이름 (여러 번 지정 가능)")
]
SurveyOrg = Annotated[str | None, typer.Option("--survey-org-col", help="기업명(소속) 열")]
SurveyRegion = Annotated[str | None, typer.Option("--survey-region-col", help="지역 열")]
SurveyIndustry = Annotated[str | None, typer.Option("--survey-industry-col", help="업종 열")]
SurveyRespondent = Annotated[str | None, typer.Option("--survey-respondent-col", help="응답자 열")]
