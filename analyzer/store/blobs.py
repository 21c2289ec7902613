"""Content-addressed storage of uploaded files: ``<root>/<sha256[:2]>/<sha256>``, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, NamedTuple

from analyzer.errors import AnalyzerError

CHUNK = 1 << 20


class StoredBlob(NamedTuple):
    """What :meth:`BlobStore.put` wrote: the hash, the path relative to the root, and the size in bytes."""

    sha256: str
    path: str
    size: int


class BlobStore:
    """Files by content: the same bytes always land at the same path and are never rewritten."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, stream: BinaryIO, max_size: int | None = None) -> StoredBlob:
        """Stream into a temp file in the root while hashing, fsync, then atomically move it into place.

        Raises ``file_too_large`` past *max_size* bytes (nothing is kept).
        """
        digest, size = hashlib.sha256(), 0
        fd, temp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise AnalyzerError("file_too_large", f"> {max_size} bytes")
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            sha256 = digest.hexdigest()
            relative = f"{sha256[:2]}/{sha256}"
            target = self.root / relative
            target.parent.mkdir(exist_ok=True)
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
        """The bytes stored at *path*; ``blob_missing`` if there are none."""
        try:
            return self._resolve(path).read_bytes()
        except FileNotFoundError as exc:
            raise AnalyzerError("blob_missing", path) from exc

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
