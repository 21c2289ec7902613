"""Content-addressed blobs: streamed, hashed, fsynced, atomically renamed; equal bytes are never rewritten."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.store.blobs import BlobStore


def test_put_stores_under_the_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    data = "일시: 2024. 5. 14.\n사회자: 시작하겠습니다.".encode()
    stored = store.put(io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    assert stored == (digest, f"{digest[:2]}/{digest}", len(data))
    assert store.read(stored.path) == data
    assert (tmp_path / stored.path).is_file()


def test_put_same_bytes_twice_keeps_the_first_file(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = store.put_bytes(b"same bytes")
    before = (tmp_path / first.path).stat()
    second = store.put_bytes(b"same bytes")
    after = (tmp_path / second.path).stat()
    assert first == second
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_put_leaves_no_temp_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    store.put_bytes(b"a")
    store.put_bytes(b"a")
    with pytest.raises(AnalyzerError) as caught:
        store.put_bytes(b"x" * 100, max_size=10)
    assert caught.value.code == "file_too_large"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".upload-")] == []


def test_put_streams_large_files_in_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000  # 5 MB, several chunks
    stored = BlobStore(tmp_path).put(io.BytesIO(data))
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_delete_removes_and_tolerates_missing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    stored = store.put_bytes(b"bye")
    store.delete(stored.path)
    store.delete(stored.path)
    assert not store.exists(stored.path)
    with pytest.raises(AnalyzerError) as caught:
        store.read(stored.path)
    assert caught.value.code == "blob_missing"


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "ab/../../x", "ab/cd/ef"])
def test_read_refuses_paths_outside_the_store(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="not a blob path"):
        BlobStore(tmp_path / "blobs").read(path)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=4096))
def test_put_then_read_round_trips(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    store = BlobStore(tmp_path_factory.mktemp("blobs"))
    stored = store.put_bytes(data)
    assert store.read(stored.path) == data
    assert store.put_bytes(data) == stored
