"""One catalogue of errors and one exception tree.

Every failure has a stable snake_case code and a Korean message (:data:`CATALOGUE`). ``AnalyzerError(code)``
returns an instance of the class the code belongs to (:data:`CODE_CLASS`), so callers catch a family
(``except NotFound``) and read its HTTP status and whether another attempt may succeed from the class::

    AnalyzerError
    ├── InputError        422  the input cannot be used as it is
    │   ├── UnsupportedFile   415
    │   ├── FileTooLarge      413
    │   ├── UnsafeFile        422  archive bombs, unsafe paths, encrypted members, DTDs
    │   └── ResourceLimit     422  retryable: wall clock and the OOM killer depend on the machine's load
    ├── NotFound          404
    ├── Conflict          409  (deploy refusals are conflicts with the deployed model)
    ├── ModelError        422
    ├── TaxonomyError     422
    └── JobError          500  a job stopped for good
        └── AnalysisFailed    503  retryable
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Self, cast

__all__ = [
    "CATALOGUE",
    "CODE_CLASS",
    "AnalysisFailed",
    "AnalyzerError",
    "Conflict",
    "FileTooLarge",
    "Forbidden",
    "InputError",
    "JobError",
    "ModelError",
    "NotFound",
    "ResourceLimit",
    "TaxonomyError",
    "UnsafeFile",
    "UnsupportedFile",
]

CATALOGUE: Mapping[str, str] = MappingProxyType(
    {
        # ingestion
        "empty_file": "빈 파일입니다. 내용이 있는 파일을 올려 주세요.",
        "file_too_large": "파일이 너무 큽니다. 허용 크기를 넘었습니다.",
        "unknown_type": "지원하지 않는 파일 형식입니다. TXT, DOCX, HWP, HWPX, PDF, XLSX, CSV만 처리할 수 있습니다.",
        "type_mismatch": "파일 확장자와 실제 내용의 형식이 다릅니다.",
        "undecodable_text": "텍스트 파일의 문자 인코딩을 알아낼 수 없습니다.",
        "corrupt_file": "파일이 손상되었거나 잘려 있어 읽을 수 없습니다.",
        "password_protected": "암호가 걸린 문서입니다. 암호를 해제한 뒤 다시 올려 주세요.",
        "encrypted_archive": "암호화된 압축 항목이 있어 읽을 수 없습니다.",
        "archive_bomb": "압축 해제 크기나 항목 수가 비정상적으로 커서 처리를 거부했습니다.",
        "unsafe_archive": "압축 파일 안에 허용되지 않는 경로가 있습니다.",
        "xml_entities": "문서에 DTD나 엔티티 선언이 있어 보안상 처리를 거부했습니다.",
        "no_text_layer": "PDF에 텍스트 층이 없습니다(스캔 이미지). 텍스트가 있는 PDF나 원본 문서를 올려 주세요.",
        "no_text": "문서에서 읽을 수 있는 글을 찾지 못했습니다.",
        "resource_limit": "파일을 처리하는 데 허용된 메모리나 시간을 넘었습니다.",
        "survey_no_answer_column": "설문 파일에서 응답(의견) 열을 찾지 못했습니다. 응답 열 이름을 지정해 주세요.",
        "survey_unknown_column": "지정한 열이 설문 파일에 없습니다.",
        "file_not_found": "파일이나 폴더를 찾을 수 없습니다. 경로를 확인해 주세요.",
        "file_unreadable": "파일을 읽을 수 없습니다. 읽기 권한이 있는지, 폴더가 아닌 파일인지 확인해 주세요.",
        "file_unwritable": "파일을 쓸 수 없습니다. 폴더가 있는지, 쓰기 권한이 있는지 확인해 주세요.",
        "output_unsupported": (
            "출력 파일 형식을 알 수 없습니다. 확장자를 .jsonl, .csv, .xlsx, .parquet 중 하나로 지정해 주세요."
        ),
        "cluster_unavailable": (
            "Dask 클러스터를 쓸 수 없습니다. cluster 확장을 설치했는지, 스케줄러 주소가 맞는지 확인해 주세요."
        ),
        # taxonomy and models
        "taxonomy_invalid": "분류 체계 파일의 형식이 올바르지 않습니다.",
        "taxonomy_mismatch": "모델이 학습된 분류 체계와 현재 분류 체계가 다릅니다.",
        "taxonomy_unmapped": "이전 분류 체계의 범주를 새 분류 체계로 옮기는 대응 관계가 선언되어 있지 않습니다.",
        "model_not_found": "모델을 찾을 수 없습니다.",
        "model_invalid": "모델 파일을 불러올 수 없습니다.",
        "corpus_invalid": "말뭉치 파일의 형식이 올바르지 않습니다.",
        "deploy_refused": "새 모델이 현재 모델보다 나빠 배포를 거부했습니다.",
        # storage and jobs
        "analysis_failed": "문서를 분석하는 중에 예상하지 못한 오류가 났습니다. 잠시 뒤 다시 시도해 주세요.",
        "worker_lost": "분석 작업이 여러 번 중간에 끊겨 실패로 처리했습니다. 파일을 확인한 뒤 다시 올려 주세요.",
        "analysis_timeout": "분석이 허용된 시간을 넘어 중단했습니다. 파일을 나누어 다시 올려 주세요.",
        "unit_not_found": "해당 발언(분석 단위)을 찾을 수 없습니다.",
        "meeting_not_found": "해당 회의를 찾을 수 없습니다.",
        "blob_missing": "저장된 원본 파일을 찾을 수 없습니다.",
        # agencies and keys
        "agency_name_invalid": "기관 이름은 제어 문자 없이 1~100자여야 합니다.",
        "agency_exists": "같은 이름의 기관이 이미 있습니다.",
        "agency_not_found": "해당 기관이 없습니다. 먼저 기관을 만들어 주세요 (moksori agencies create 이름).",
        "agency_required": "admin이 아닌 키에는 기관이 필요합니다.",
        "invalid_role": "역할은 staff, leadership, researcher, admin 중 하나여야 합니다.",
        "key_not_found": "해당 API 키가 없거나 이미 폐기되었습니다.",
        "key_scope_exceeded": (
            "자기 기관과 권한을 넘는 키(다른 기관이나 전체 기관의 키, 더 높은 역할)는 만들 수 없습니다."
        ),
        "invalid_expiry": "유효 기간은 1일 이상이어야 합니다 (만료 없는 키는 --no-expiry로만 만들 수 있습니다).",
        # follow-up actions, alerts and candidate issues
        "action_invalid": "조치 요청이 올바르지 않습니다 (발언, 제목, 상태, 기한을 확인해 주세요).",
        "action_not_found": "해당 조치를 찾을 수 없습니다.",
        "alert_not_found": "해당 알림을 찾을 수 없습니다.",
        "candidate_not_found": "해당 새 범주 후보를 찾을 수 없습니다. 목록을 새로 불러와 주세요.",
        "category_exists": "같은 id나 이름의 범주가 분류 체계에 이미 있습니다.",
    }
)


class AnalyzerError(Exception):
    """A failure the user can act on: ``code`` is stable, ``message`` is Korean.

    ``AnalyzerError(code, detail)`` (or a family, ``NotFound(code)``) builds the class of :data:`CODE_CLASS`;
    ``status`` is the HTTP status it is answered with and ``retryable`` whether a job failing with it is tried
    again.
    """

    status: ClassVar[int] = 500
    retryable: ClassVar[bool] = False
    #: The catalogue codes of exactly this class (not of its subclasses).
    codes: ClassVar[frozenset[str]] = frozenset()

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        if not args and not kwargs:  # unpickled by tblib (Dask installs it): the attributes are set afterwards
            return cast(Self, Exception.__new__(cls))
        target: type[AnalyzerError] = cls
        if cls is AnalyzerError or cls in _FAMILIES:
            code = args[0] if args else kwargs.get("code", "")
            if code not in CATALOGUE:
                raise KeyError(f"unknown error code {code!r}")
            target = CODE_CLASS[code]
            if not issubclass(target, cls):
                raise TypeError(f"{code!r} is a {target.__name__}, not a {cls.__name__}")
        return cast(Self, Exception.__new__(target))

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}")
        if not isinstance(self, CODE_CLASS[code]):
            raise TypeError(f"{type(self).__name__} cannot carry {code!r}, a {CODE_CLASS[code].__name__}")
        self.code = code
        self.detail = detail
        super().__init__(code)

    @property
    def message(self) -> str:
        base = CATALOGUE[self.code]
        return f"{base} ({self.detail})" if self.detail else base

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class InputError(AnalyzerError):
    """The file, path or value given cannot be used as it is; another attempt with the same input fails again."""

    status = 422
    codes = frozenset(
        {
            "empty_file",
            "undecodable_text",
            "corrupt_file",
            "password_protected",
            "no_text_layer",
            "no_text",
            "survey_no_answer_column",
            "survey_unknown_column",
            "file_unreadable",
            "file_unwritable",
            "output_unsupported",
            "cluster_unavailable",
            "agency_name_invalid",
            "agency_not_found",  # named in a request body: 422, not 404 (the address itself exists)
            "agency_required",
            "invalid_role",
            "invalid_expiry",
            "action_invalid",
        }
    )


class UnsupportedFile(InputError):
    """Not a file type we read, or its extension and its content disagree."""

    status = 415
    codes = frozenset({"unknown_type", "type_mismatch"})


class FileTooLarge(InputError):
    """Over the allowed upload size."""

    status = 413
    codes = frozenset({"file_too_large"})


class UnsafeFile(InputError):
    """Refused for safety: archive bombs, unsafe archive paths, encrypted members, DTDs and entities."""

    codes = frozenset({"archive_bomb", "unsafe_archive", "encrypted_archive", "xml_entities"})


class ResourceLimit(InputError):
    """Parsing went over its memory, CPU or wall-clock limit. Retryable: the wall clock and the OOM killer
    depend on the machine's load, and the job queue bounds the attempts."""

    retryable = True
    codes = frozenset({"resource_limit"})


class NotFound(AnalyzerError):
    """A model, unit, key, local file or stored original that does not exist."""

    status = 404
    codes = frozenset(
        {
            "model_not_found",
            "unit_not_found",
            "key_not_found",
            "file_not_found",
            "blob_missing",
            "action_not_found",
            "alert_not_found",
            "candidate_not_found",
            "meeting_not_found",
        }
    )


class Forbidden(AnalyzerError):
    """The caller may not do this: it would reach beyond its own agency or role."""

    status = 403
    codes = frozenset({"key_scope_exceeded"})


class Conflict(AnalyzerError):
    """The request conflicts with what exists: a taken name, or a candidate worse than the deployed model."""

    status = 409
    codes = frozenset({"agency_exists", "deploy_refused", "category_exists"})


class ModelError(AnalyzerError):
    """A model file or a training corpus that cannot be used."""

    status = 422
    codes = frozenset({"model_invalid", "corpus_invalid"})


class TaxonomyError(AnalyzerError):
    """A taxonomy that is malformed, differs from the model's, or declares no path from an older one."""

    status = 422
    codes = frozenset({"taxonomy_invalid", "taxonomy_mismatch", "taxonomy_unmapped"})


class JobError(AnalyzerError):
    """An analysis job that stopped for good: its worker was lost too often, or it ran out of time."""

    status = 500
    codes = frozenset({"worker_lost", "analysis_timeout"})


class AnalysisFailed(JobError):
    """An unexpected failure during an analysis; the job is tried again."""

    status = 503
    retryable = True
    codes = frozenset({"analysis_failed"})


_FAMILIES: frozenset[type[AnalyzerError]] = frozenset(
    {
        InputError,
        UnsupportedFile,
        FileTooLarge,
        UnsafeFile,
        ResourceLimit,
        NotFound,
        Forbidden,
        Conflict,
        ModelError,
        TaxonomyError,
        JobError,
        AnalysisFailed,
    }
)
#: The class of every catalogue code.
CODE_CLASS: Mapping[str, type[AnalyzerError]] = MappingProxyType(
    {code: family for family in _FAMILIES for code in family.codes}
)
