"""Content-addressed blobs: hashed, encrypted, fsynced, atomically renamed; equal bytes are never rewritten."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.store.blobs import BlobStore

KEY = bytes(range(32))


def test_put_stores_under_the_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY)
    data = "일시: 2024. 5. 14.\n사회자: 시작하겠습니다.".encode()
    stored = store.put(io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    assert stored == (digest, f"{digest[:2]}/{digest}", len(data))
    assert store.read(stored.path) == data
    assert (tmp_path / stored.path).is_file()


def test_put_same_bytes_twice_keeps_the_first_file(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY)
    first = store.put_bytes(b"same bytes")
    before = (tmp_path / first.path).stat()
    second = store.put_bytes(b"same bytes")
    after = (tmp_path / second.path).stat()
    assert first == second
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_put_leaves_no_temp_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY)
    store.put_bytes(b"a")
    store.put_bytes(b"a")
    with pytest.raises(AnalyzerError) as caught:
        store.put_bytes(b"x" * 100, max_size=10)
    assert caught.value.code == "file_too_large"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".upload-")] == []


def test_put_streams_large_files_in_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000  # 5 MB, several chunks
    stored = BlobStore(tmp_path, KEY).put(io.BytesIO(data))
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_delete_removes_and_tolerates_missing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY)
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
        BlobStore(tmp_path / "blobs", KEY).read(path)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=4096))
def test_put_then_read_round_trips(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    store = BlobStore(tmp_path_factory.mktemp("blobs"), KEY)
    stored = store.put_bytes(data)
    assert store.read(stored.path) == data
    assert store.put_bytes(data) == stored


def test_files_are_encrypted_at_rest_and_owner_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", KEY)
    data = "김철수 대표 900101-1234568 010-1234-5678".encode()
    stored = store.put_bytes(data)
    on_disk = (tmp_path / "blobs" / stored.path).read_bytes()
    assert data not in on_disk and "김철수".encode() not in on_disk and b"1234568" not in on_disk
    assert (tmp_path / "blobs").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "blobs" / stored.path).stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "blobs" / stored.path).parent.stat().st_mode & 0o777 == 0o700


def test_a_wrong_key_or_an_altered_file_cannot_be_read(tmp_path: Path) -> None:
    stored = BlobStore(tmp_path, KEY).put_bytes(b"original bytes")
    with pytest.raises(AnalyzerError) as caught:
        BlobStore(tmp_path, bytes(32)).read(stored.path)
    assert caught.value.code == "blob_missing"
    target = tmp_path / stored.path
    sealed = bytearray(target.read_bytes())
    sealed[-1] ^= 1
    target.write_bytes(bytes(sealed))
    with pytest.raises(AnalyzerError):
        BlobStore(tmp_path, KEY).read(stored.path)


def test_files_stored_in_clear_by_an_earlier_version_are_sealed(tmp_path: Path) -> None:
    data = "예전 버전이 암호화 없이 저장한 원본".encode()
    digest = hashlib.sha256(data).hexdigest()
    (tmp_path / digest[:2]).mkdir()
    (tmp_path / digest[:2] / digest).write_bytes(data)
    store = BlobStore(tmp_path, KEY)
    assert store.seal_plaintext() == 1
    assert data not in (tmp_path / digest[:2] / digest).read_bytes()
    assert store.read(f"{digest[:2]}/{digest}") == data
    assert store.seal_plaintext() == 0
