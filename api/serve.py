"""``moksori serve``: API, dashboard and a worker process on one machine, ready on first start."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

import uvicorn
from sqlalchemy.engine import Engine

from analyzer.secrets import private_dir
from analyzer.store import jobs, keys, queries
from analyzer.store.blobs import BlobStore
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from api.app import create_app, deployed_reader
from api.settings import Settings

PR_SET_PDEATHSIG = 1
SAMPLE_AGENCY = "예시 기관"
SAMPLE_META = {
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


def first_admin_key(engine: Engine) -> str | None:
    """Create an admin key when there is none yet; return it (shown once)."""
    if any(row["role"] == "admin" and not row.get("revoked_at") for row in keys.list_keys(engine)):
        return None
    _, plaintext = keys.create_key(engine, "admin", None, "첫 관리자 키", None)
    return plaintext


def load_samples(engine: Engine, blobs: BlobStore, model_version: str) -> int:
    """Queue the bundled sample meetings when the database has no meeting yet."""
    if queries.list_meetings(engine, None, 1, 0)[1]:
        return 0
    samples = resources.files("analyzer").joinpath("data/samples")
    count = 0
    for name, meta in SAMPLE_META.items():
        stored = blobs.put_bytes(samples.joinpath(name).read_bytes())
        jobs.enqueue_upload(
            engine,
            agency=SAMPLE_AGENCY,
            programme=meta["programme"],
            meeting={
                "title": Path(name).stem,
                "date": meta["date"],
                "place": "",
                "region": meta["region"],
                "industry": "",
                "kind": meta.get("kind", "roundtable"),
            },
            filename=name,
            sha256=stored.sha256,
            size=stored.size,
            fmt=Path(name).suffix.lstrip("."),
            encoding=None,
            blob_path=stored.path,
            model_version=model_version,
        )
        count += 1
    return count


def _die_with_parent() -> None:
    """In the worker child: receive SIGTERM when `moksori serve` ends, however it ends (Linux prctl)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    private_dir(settings.data_dir)
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    app = create_app(settings)
    model_version = deployed_reader(settings.effective_models_root)().model_version
    queued = load_samples(engine, BlobStore.open(settings.data_dir / "blobs", settings.blob_key_path), model_version)
    admin = first_admin_key(engine)
    engine.dispose()
    command = [
        sys.executable,
        "-m",
        "api.worker",
        "--database-url",
        settings.effective_database_url,
        "--data-dir",
        str(settings.data_dir),
        "--models-root",
        str(settings.effective_models_root),
    ]
    processes = [subprocess.Popen(command, env=os.environ.copy(), preexec_fn=_die_with_parent) for _ in range(workers)]
    print(f"목소리 대시보드: http://{host}:{port}/   API 문서: http://{host}:{port}/docs")
    if queued:
        print(f"예시 회의 {queued}건을 분석 대기열에 넣었습니다.")
    if admin:
        print(f"관리자 API 키 (한 번만 표시됩니다): {admin}")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
