"""Service settings: every one has a default, a help line, and an environment variable (``MOKSORI_*``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _default_data_dir() -> Path:
    return Path("data")


@dataclass(frozen=True)
class Settings:
    """Read with :meth:`from_env`; tests build one directly."""

    data_dir: Path = field(default_factory=_default_data_dir, metadata={"help": "데이터 폴더 (DB, 원본 blob, 키)"})
    database_url: str = field(default="", metadata={"help": "DB 주소; 비우면 data_dir/moksori.db (SQLite)"})
    models_root: Path | None = field(
        default=None, metadata={"help": "모델 버전과 배포 기록 폴더; 비우면 data_dir/models (없는 버전은 기본 모델)"}
    )
    max_upload_bytes: int = field(default=50 * 1024 * 1024, metadata={"help": "업로드 한 건의 최대 크기(바이트)"})
    uploads_per_minute: int = field(default=30, metadata={"help": "키 하나가 1분에 올릴 수 있는 파일 수"})
    failed_auth_per_minute: int = field(default=10, metadata={"help": "한 주소에서 1분에 허용하는 인증 실패 수"})
    page_size_max: int = field(default=200, metadata={"help": "목록 API 한 쪽의 최대 항목 수"})
    job_timeout_seconds: int = field(
        default=600, metadata={"help": "분석 작업 한 건의 최대 시간(초); 넘으면 중단하고 실패로 기록, 0은 제한 없음"}
    )
    key_dir: Path | None = field(
        default=None, metadata={"help": "원본 암호화 키 폴더 (데이터 폴더 밖); 비우면 MOKSORI_HOME"}
    )
    retention_days: int = field(
        default=0, metadata={"help": "원본 파일 보관 일수; 지나면 원본만 지움 (0이면 삭제할 때까지 암호화해 보관)"}
    )

    @property
    def blob_key_path(self) -> Path:
        """The AES-256 key of the stored originals: a file outside the data folder."""
        from analyzer.secrets import key_home

        return (self.key_dir or key_home()) / "originals.key"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'moksori.db'}"

    @property
    def effective_models_root(self) -> Path:
        """Where new model versions and the deployment live; what it lacks comes from the shipped models."""
        return self.models_root or self.data_dir / "models"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``MOKSORI_<NAME>`` variables, then explicit overrides (CLI options)."""
        values: dict[str, object] = {}
        for item in fields(cls):
            raw = os.environ.get(f"MOKSORI_{item.name.upper()}")
            if raw is not None:
                values[item.name] = _convert(item.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(kind: object, raw: str) -> object:
    text = str(kind)
    if "int" in text:
        return int(raw)
    if "Path" in text:
        return Path(raw)
    return raw
