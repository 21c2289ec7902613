"""Response bodies of the API (the OpenAPI spec is generated from them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    database: str
    model_version: str


class UploadAccepted(BaseModel):
    job_id: int
    document_id: int
    meeting_id: int
    created: bool = Field(description="False when the same file was uploaded before (no second analysis)")
    status_url: str


class JobStatus(BaseModel):
    id: int
    document_id: int
    model_version: str
    status: str
    attempts: int
    error_code: str | None = None
    error_message: str | None = None


class Meeting(BaseModel):
    id: int
    agency: str
    programme: str | None = None
    title: str
    date: str
    place: str
    region: str
    industry: str
    kind: str
    units: int = 0


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class MeetingPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Meeting]


class CorrectionIn(BaseModel):
    categories: list[str] = Field(description="taxonomy category ids (may be empty)")
    kind: str = Field(description="pain_point | request | positive | neutral")


class CorrectionOut(BaseModel):
    id: int
    unit_id: int
    categories: list[str]
    kind: str
    taxonomy: str = Field(description="the taxonomy (name@version) the correction was made under")


class KeyIn(BaseModel):
    role: str = Field(description="staff | leadership | researcher | admin")
    agency: str | None = Field(default=None, description="agency name; none = every agency (admin only)")
    label: str = ""
    expires_days: int | None = Field(default=None, ge=1, le=3650)


class KeyCreated(BaseModel):
    id: int
    key: str = Field(description="shown once; only its hash is stored")
    role: str
