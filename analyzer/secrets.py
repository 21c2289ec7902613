"""Keys (pseudonyms, encryption of originals): each a file of its own, created once with owner-only access."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_BYTES = 32


def load_or_create_key(path: Path) -> bytes:
    """Read the key file, or create it (mode 0600) if it does not exist yet; safe when processes race."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # atomic and never replaces a key another process wrote first
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def key_home() -> Path:
    """Where keys live unless configured: ``MOKSORI_HOME``, else ``~/.config/moksori`` (outside the data folder)."""
    from analyzer.settings import Settings

    return Settings().home


def private_dir(path: Path) -> Path:
    """Create *path* (and parents) if needed and make it owner-only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path
