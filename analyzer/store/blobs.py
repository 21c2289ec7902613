"""Content-addressed storage of uploaded files: ``<root>/<sha256[:2]>/<sha256>``, written atomically, encrypted.

Each file is ``MKS1 || nonce (12 bytes) || AES-256-GCM(plaintext)`` with the plaintext's SHA-256 as associated
data, so a file can be neither read nor swapped for another without the key. The key lives outside the data
directory (see :mod:`analyzer.secrets`). Files and folders are created owner-only.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import tempfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from analyzer.errors import AnalyzerError

CHUNK = 1 << 20
MAGIC = b"MKS1"
NONCE_BYTES = 12


class StoredBlob(NamedTuple):
    """What :meth:`BlobStore.put` wrote: the hash, the path relative to the root, and the size in bytes."""

    sha256: str
    path: str
    size: int


class BlobStore:
    """Files by content: the same bytes always land at the same path and are never rewritten."""

    def __init__(self, root: Path | str, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the blob key must be 32 bytes (AES-256)")
        self.root = Path(root)
        self._aead = AESGCM(key)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.chmod(0o700)

    @classmethod
    def open(cls, root: Path, key_file: Path) -> BlobStore:
        """The store at *root*, encrypted with the key in *key_file* (created, owner-only, when missing)."""
        from analyzer.secrets import load_or_create_key

        return cls(root, load_or_create_key(key_file))

    def put(self, stream: BinaryIO, max_size: int | None = None) -> StoredBlob:
        """Read (at most *max_size* bytes), encrypt into a temp file in the root, fsync, then atomically move it
        into place. Raises ``file_too_large`` past *max_size* bytes (nothing is kept)."""
        plain, size = bytearray(), 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if max_size is not None and size > max_size:
                raise AnalyzerError("file_too_large", f"> {max_size} bytes")
            plain += chunk
        sha256 = hashlib.sha256(plain).hexdigest()
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = MAGIC + nonce + self._aead.encrypt(nonce, bytes(plain), sha256.encode())
        fd, temp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            relative = f"{sha256[:2]}/{sha256}"
            target = self.root / relative
            target.parent.mkdir(mode=0o700, exist_ok=True)
            # link() refuses to replace an existing file, so equal bytes are never rewritten, even in a race.
            with contextlib.suppress(FileExistsError):
                os.link(temp, target)
                _fsync_directory(target.parent)
            return StoredBlob(sha256, relative, size)
        finally:
            temp.unlink(missing_ok=True)

    def put_bytes(self, data: bytes, max_size: int | None = None) -> StoredBlob:
        """:meth:`put` for bytes already in memory."""
        return self.put(io.BytesIO(data), max_size)

    def read(self, path: str) -> bytes:
        """The bytes stored at *path*; ``blob_missing`` if there are none (or they cannot be decrypted)."""
        try:
            sealed = self._resolve(path).read_bytes()
        except FileNotFoundError as exc:
            raise AnalyzerError("blob_missing", path) from exc
        if not sealed.startswith(MAGIC):
            raise AnalyzerError("blob_missing", f"{path}: not sealed")
        nonce = sealed[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES :], Path(path).name.encode())
        except InvalidTag as exc:
            raise AnalyzerError("blob_missing", f"{path}: wrong key or altered") from exc

    def seal_plaintext(self) -> int:
        """Encrypt every file an earlier version stored in clear (in place, atomically); returns how many."""
        sealed = 0
        for path in sorted(self.root.glob("??/*")):
            data = path.read_bytes()
            if data.startswith(MAGIC) or hashlib.sha256(data).hexdigest() != path.name:
                continue
            nonce = secrets.token_bytes(NONCE_BYTES)
            fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".seal-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + nonce + self._aead.encrypt(nonce, data, path.name.encode()))
                handle.flush()
                os.fsync(handle.fileno())
            Path(temp_name).replace(path)
            sealed += 1
        return sealed

    def paths(self, older_than: datetime | None = None) -> set[str]:
        """Every stored file (written before *older_than*, when given), as the relative paths documents record."""
        limit = older_than.timestamp() if older_than else float("inf")
        return {
            f"{path.parent.name}/{path.name}"
            for path in self.root.glob("??/*")
            if path.is_file() and not path.name.startswith(".") and path.stat().st_mtime < limit
        }

    def exists(self, path: str) -> bool:
        return self._resolve(path).is_file()

    def delete(self, path: str) -> None:
        """Remove the file at *path* (no error if it is already gone)."""
        self._resolve(path).unlink(missing_ok=True)

    def _resolve(self, path: str) -> Path:
        candidate = (self.root / path).resolve()
        if not candidate.is_relative_to(self.root.resolve()) or candidate.parent.parent != self.root.resolve():
            raise ValueError(f"not a blob path: {path!r}")
        return candidate


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
