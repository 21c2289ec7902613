"""The bundled sample meetings, loaded through the same upload path as any file (``serve`` and ``demo``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from analyzer.errors import AnalyzerError
from analyzer.services.context import Context
from analyzer.services.uploads import Upload, upload
from analyzer.store import queries
from analyzer.store.agencies import agency_id, create_agency

SAMPLE_AGENCY = "예시 기관"
SAMPLE_META: dict[str, dict[str, str]] = {
    "2024-05-구미-산업기반구축-간담회.txt": {"date": "2024-05-14", "region": "경북", "programme": "산업기반구축사업"},
    "2024-07-창원-로봇기업-녹취.txt": {"date": "2024-07-09", "region": "경남", "programme": "지역혁신클러스터"},
    "2024-09-수출바우처-설문.csv": {
        "date": "2024-09-20",
        "region": "전국",
        "programme": "수출바우처",
        "kind": "survey",
    },
    "2024-10-울산-간담회-cp949.txt": {"date": "2024-10-15", "region": "울산", "programme": "사업전환 지원"},
}


def sample_uploads() -> list[Upload]:
    """The bundled samples as uploads, with their meetings' dates, regions and programmes."""
    folder = resources.files("analyzer").joinpath("data/samples")
    found = []
    for name, meta in SAMPLE_META.items():
        kind: Literal["roundtable", "survey"] = "survey" if meta.get("kind") == "survey" else "roundtable"
        found.append(
            Upload(
                filename=name,
                data=folder.joinpath(name).read_bytes(),
                title=Path(name).stem,
                date=meta["date"],
                region=meta["region"],
                programme=meta["programme"],
                kind=kind,
            )
        )
    return found


def load_samples(context: Context, model_version: str | None = None, *, only_if_empty: bool = True) -> int:
    """Queue the bundled samples under :data:`SAMPLE_AGENCY` (created if missing) for *model_version* (default:
    deployed); with *only_if_empty*, only when the database has no meeting yet. How many were queued."""
    if only_if_empty and queries.list_meetings(context.engine, None, 1, 0)[1]:
        return 0
    try:
        owner = agency_id(context.engine, SAMPLE_AGENCY)
    except AnalyzerError:
        owner = create_agency(context.engine, SAMPLE_AGENCY)
    for given in sample_uploads():
        upload(context, given, own_agency=owner, model_version=model_version)
    return len(SAMPLE_META)
