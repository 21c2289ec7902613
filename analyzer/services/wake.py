"""Waking the analysis workers of this machine when a job is queued, instead of leaving it to their next poll.

Each worker binds a Unix datagram socket in a folder named after its queue (the database URL); an upload sends
one byte to every socket there once its job is committed. A worker waits on its socket between polls, so a job
queued on the same machine is claimed at once; workers on other hosts, or a lost wake-up, still find the job at
their next poll. A datagram sent while the worker is busy stays in its socket, so no wake-up falls between a
claim that found nothing and the wait after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import select
import socket
import tempfile
import uuid
from pathlib import Path

log = logging.getLogger("moksori.wake")


class JobBell:
    """The wake-up sockets of one queue (one database): ``ring`` after queueing, ``listen`` in a worker."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_queue(cls, database_url: str) -> JobBell:
        """The bell of the queue in *database_url*: a short folder (socket paths are limited to 107 bytes)."""
        digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
        return cls(Path(tempfile.gettempdir()) / f"moksori-wake-{os.getuid()}-{digest}")

    def ring(self) -> int:
        """Wake every listening worker; how many were reached. Sockets left by dead workers are removed."""
        try:
            names = [path for path in self.folder.iterdir() if path.suffix == ".sock"]
        except OSError:
            return 0
        reached = 0
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.setblocking(False)
            for path in names:
                try:
                    sender.sendto(b"!", str(path))
                    reached += 1
                except (ConnectionRefusedError, FileNotFoundError):
                    with contextlib.suppress(OSError):
                        path.unlink()
                except OSError:  # a full socket: that worker has a wake-up waiting already
                    reached += 1
        return reached

    def listen(self) -> Listener | None:
        """A socket this worker waits on; None (polling only) when it cannot be made."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            return Listener(self.folder / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.sock")
        except OSError as exc:
            log.warning("no wake-up socket (%s); polling only", exc)
            return None


class Listener:
    """One worker's wake-up socket; ``wait`` returns when rung or after the timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.socket.bind(str(path))
        except OSError:
            self.socket.close()
            raise
        self.socket.setblocking(False)

    def wait(self, timeout: float) -> bool:
        """Wait up to *timeout* seconds for a wake-up; True when one came (every pending one is consumed)."""
        ready, _, _ = select.select([self.socket], [], [], max(timeout, 0.0))
        if not ready:
            return False
        with contextlib.suppress(BlockingIOError):
            while self.socket.recv(64):
                pass
        return True

    def poke(self) -> None:
        """Wake this listener (e.g. from a signal handler, so that a stop is seen at once)."""
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.setblocking(False)
            sender.sendto(b"!", str(self.path))

    def close(self) -> None:
        self.socket.close()
        with contextlib.suppress(OSError):
            self.path.unlink()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
