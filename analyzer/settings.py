"""The settings of every entry point (CLI, service, worker, notebooks): ``MOKSORI_*`` variables, then flags.

One :class:`Settings` is built per process: ``Settings()`` reads the environment, ``Settings.from_env(**flags)``
lets the command line override it (``None`` meaning "not given"). Every field's description is its help line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Which pseudonym key file a process uses when ``MOKSORI_PSEUDONYM_KEY`` is unset: the service's (and the
#: worker's) lives in the data folder, the command line's in ``MOKSORI_HOME``.
KeyOwner = Literal["service", "cli"]
PSEUDONYM_KEY_FILE = "pseudonym.key"
ORIGINALS_KEY_FILE = "originals.key"


def _default_home() -> Path:
    return Path.home() / ".config" / "moksori"


class Settings(BaseSettings):
    """Read from ``MOKSORI_<NAME>``; tests and flags pass values directly."""

    #: An empty variable (``MOKSORI_MODELS_ROOT=``) means the default, as an unset one does.
    model_config = SettingsConfigDict(
        env_prefix="MOKSORI_", env_ignore_empty=True, frozen=True, validate_by_name=True, extra="ignore"
    )

    home: Path = Field(default_factory=_default_home, description="가명 키 파일(CLI)과 원본 암호화 키의 기본 폴더")
    pseudonym_key_hex: SecretStr | None = Field(
        default=None,
        validation_alias="MOKSORI_PSEUDONYM_KEY",
        description="가명 키(16진수); 설정하면 키 파일 대신 사용",
    )
    data_dir: Path = Field(default=Path("data"), description="데이터 폴더 (DB, 원본 blob, 키)")
    database_url: str = Field(default="", description="DB 주소; 비우면 data_dir/moksori.db (SQLite)")
    models_root: Path | None = Field(
        default=None, description="모델 버전과 배포 기록 폴더; 비우면 data_dir/models (없는 버전은 기본 모델)"
    )
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, description="업로드 한 건의 최대 크기(바이트)")
    uploads_per_minute: int = Field(default=30, description="키 하나가 1분에 올릴 수 있는 파일 수")
    failed_auth_per_minute: int = Field(default=10, description="한 주소에서 1분에 허용하는 인증 실패 수")
    page_size_max: int = Field(default=200, description="목록 API 한 쪽의 최대 항목 수")
    job_timeout_seconds: float = Field(
        default=600, description="분석 작업 한 건의 최대 시간(초); 넘으면 중단하고 실패로 기록, 0은 제한 없음"
    )
    key_dir: Path | None = Field(default=None, description="원본 암호화 키 폴더 (데이터 폴더 밖); 비우면 MOKSORI_HOME")
    retention_days: int = Field(
        default=0, description="원본 파일 보관 일수; 지나면 원본만 지움 (0이면 삭제할 때까지 암호화해 보관)"
    )
    taxonomy: Path | None = Field(default=None, description="노트북 01_train이 학습할 바뀐 분류 체계 파일")
    webhook_url: str = Field(default="", description="알림을 JSON POST로 받을 주소; 비우면 보내지 않음")
    webhook_secret: SecretStr | None = Field(
        default=None, description="알림 본문의 HMAC-SHA256 서명(X-Moksori-Signature) 키; 비우면 서명하지 않음"
    )
    alert_interval_seconds: float = Field(
        default=300, description="서비스가 알림(급증 범주, 새 범주 후보, 기한 초과 조치)을 찾는 간격(초); 0은 끔"
    )

    @field_validator("pseudonym_key_hex")
    @classmethod
    def _hex(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse a key that is not hex when the settings are read, not at the first pseudonym."""
        if value is not None:
            bytes.fromhex(value.get_secret_value())
        return value

    @classmethod
    def variable(cls, name: str) -> str:
        """The environment variable of the field *name* (``MOKSORI_<NAME>`` unless the field names another)."""
        alias = cls.model_fields[name].validation_alias
        return alias if isinstance(alias, str) else f"MOKSORI_{name.upper()}"

    def environment(self) -> dict[str, str]:
        """Every setting as its ``MOKSORI_*`` variable: what a child process needs to build the same settings."""
        values: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is not None:
                values[self.variable(name)] = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        return values

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """The environment, then the given *overrides* (flags); an override of ``None`` was not given."""
        return cls(**{name: value for name, value in overrides.items() if value is not None})  # type: ignore[arg-type]

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'moksori.db'}"

    @property
    def effective_models_root(self) -> Path:
        """Where new model versions and the deployment live; what it lacks comes from the shipped models."""
        return self.models_root or self.data_dir / "models"

    @property
    def blob_key_path(self) -> Path:
        """The AES-256 key of the stored originals: a file outside the data folder."""
        return (self.key_dir or self.home) / ORIGINALS_KEY_FILE

    def pseudonym_key_path(self, owner: KeyOwner = "service") -> Path:
        """The key file used when ``MOKSORI_PSEUDONYM_KEY`` is unset: the data folder's, or ``MOKSORI_HOME``'s."""
        return (self.data_dir if owner == "service" else self.home) / PSEUDONYM_KEY_FILE

    def pseudonym_key(self, owner: KeyOwner = "service") -> bytes:
        """``MOKSORI_PSEUDONYM_KEY`` (hex), else the *owner*'s key file (created once, mode 0600)."""
        from analyzer.secrets import load_or_create_key

        if self.pseudonym_key_hex is not None:
            return bytes.fromhex(self.pseudonym_key_hex.get_secret_value())
        return load_or_create_key(self.pseudonym_key_path(owner))
