"""A long-lived parser process that forks one limited child per file: the sandbox without a Python start per file.

:class:`ParserServer` (one per analysing process) starts ``python -m analyzer.ingest.forkserver FD`` once, with the
sandbox's environment; the server imports the parsers, then waits on a Unix socket. For each file the client
sends the format, survey columns and limits, with three pipe ends: the file's bytes, the answer and stderr. The
server forks a child, which takes the pipes as its stdin, stdout and stderr, lowers its memory, CPU and core-dump
limits exactly as :func:`analyzer.ingest.sandbox.run_sandboxed` does, and runs the same
:func:`analyzer.ingest.sandbox.main`; the server enforces the wall clock and reports how the child ended. The
bytes and the answer go between the client and the child only, never through the server, so no file's content
is left in a process that later parses another file. The answer is judged as :func:`run_sandboxed` judges it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import asdict
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.ingest.limits import IngestLimits
from analyzer.ingest.parse import Parsed
from analyzer.ingest.sandbox import _OUT_OF_MEMORY, _child_env, _decode_answer, _limiter
from analyzer.ingest.survey import SurveyColumns

#: The modules each format's parser imports: the server imports them before its first child of that format, so
#: that later children need not (a file of a format not seen yet costs its imports once, as it did per file before).
WARM_MODULES = {
    "txt": ("analyzer.ingest.text",),
    "csv": ("analyzer.ingest.survey", "pandas"),
    "xlsx": ("analyzer.ingest.survey", "openpyxl"),
    "docx": ("analyzer.ingest.docx",),
    "hwp": ("analyzer.ingest.hwp",),
    "hwpx": ("analyzer.ingest.hwp",),
    "pdf": ("analyzer.ingest.pdf",),
}
#: How long past the wall clock the client waits for the server's own report before giving up on the server.
GRACE_SECONDS = 10.0


class ParserServer:
    """The client of one fork server, started on first use (again after a fork of this process, or its death)."""

    def __init__(self, start: bool = False) -> None:
        self._lock = threading.Lock()
        self._owner = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        self._finalizer: weakref.finalize[Any, ParserServer] | None = None
        if start:
            self.start()

    def start(self) -> None:
        """Start the server now (in a forked process: this process's own server, the parent's left alone)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self._finalizer is not None:  # a dead server's, or (after a fork) the parent's: this process's copy only
            self._finalizer()
        self._process = self._socket = None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", "analyzer.ingest.forkserver", str(theirs.fileno())]
        devnull = subprocess.DEVNULL
        self._process = subprocess.Popen(
            command,
            pass_fds=[theirs.fileno()],
            stdin=devnull,
            stdout=devnull,
            stderr=devnull,
            env=_child_env(),
            start_new_session=True,  # its own process group: the server and its children are stopped together
        )
        theirs.close()
        self._socket, self._owner = ours, os.getpid()
        # A dropped client (an analyzer evicted from a cache, the process ending) closes its socket and stops its
        # server; a finalizer holds both, so neither is collected first (an unclosed socket would be reported).
        self._finalizer = weakref.finalize(self, _shut_down, ours, self._process, self._owner)

    def close(self) -> None:
        """Stop the server (it also stops when this client is dropped or this process ends)."""
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()
            self._socket = self._process = self._finalizer = None

    def parse(self, fmt: str, data: bytes, limits: IngestLimits, survey: SurveyColumns | None = None) -> Parsed:
        """Parse *data* in a limited child: the same answers and refusals as :func:`run_sandboxed`."""
        with self._lock:
            if self._owner != os.getpid() or self._process is None or self._process.poll() is not None:
                self._start()
            try:
                return self._parse(fmt, data, limits, survey)
            except AnalyzerError:
                raise
            except BaseException:  # interrupted (a job's time limit): the server's state is unknown, stop it
                self._stop()
                raise

    def _stop(self) -> None:
        """Kill the server and any child it is running (one process group)."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()

    def _parse(self, fmt: str, data: bytes, limits: IngestLimits, survey: SurveyColumns | None) -> Parsed:
        assert self._socket is not None and self._process is not None
        request = {
            "format": fmt,
            "survey": asdict(survey) if survey else None,
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds,
            "wall_seconds": limits.wall_seconds,
        }
        data_r, data_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            socket.send_fds(self._socket, [json.dumps(request).encode()], [data_r, out_w, err_w])
        finally:
            for fd in (data_r, out_w, err_w):
                os.close(fd)
        writer = threading.Thread(target=_feed, args=(data_w, data), daemon=True)
        writer.start()
        deadline = time.monotonic() + limits.wall_seconds + GRACE_SECONDS
        out, err = _drain(out_r, err_r, deadline)
        status = self._status(deadline)
        writer.join(timeout=1)
        if status is None or out is None:
            self._stop()  # the server itself stopped answering
            raise AnalyzerError("resource_limit", f"wall clock > {limits.wall_seconds} s")
        if status.get("timeout"):
            raise AnalyzerError("resource_limit", f"wall clock > {limits.wall_seconds} s")
        code = int(status["returncode"])
        if code != 0:
            if code < 0 or any(marker in err for marker in _OUT_OF_MEMORY):
                raise AnalyzerError("resource_limit", f"child ended with {code}")
            raise AnalyzerError("corrupt_file", f"parser process failed ({code})")
        return _decode_answer(out)

    def _status(self, deadline: float) -> dict[str, Any] | None:
        assert self._socket is not None
        ready, _, _ = select.select([self._socket], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        message = self._socket.recv(4096)
        return json.loads(message) if message else None


def _shut_down(client: socket.socket, process: subprocess.Popen[bytes], owner: int) -> None:
    """Close this process's end of the socket; in the process that started the server, wait for it to end (it ends
    when the socket closes) or kill its process group. A fork's copy only closes its copy."""
    client.close()
    if owner != os.getpid():
        return
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _feed(fd: int, data: bytes) -> None:
    """Write the file's bytes to the child's stdin (it may stop reading: a refused or killed child)."""
    try:
        with open(fd, "wb", closefd=True) as pipe:
            pipe.write(data)
    except OSError:
        pass


def _drain(out_fd: int, err_fd: int, deadline: float) -> tuple[bytes | None, bytes]:
    """Read the child's stdout and stderr to their ends; stdout None when *deadline* passes first."""
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    open_fds = [out_fd, err_fd]
    try:
        while open_fds:
            left = deadline - time.monotonic()
            ready, _, _ = select.select(open_fds, [], [], max(0.0, left))
            if not ready:
                return None, b"".join(chunks[err_fd])
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    open_fds.remove(fd)
    finally:
        os.close(out_fd)
        os.close(err_fd)
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd])


def _wait(pid: int, wall_seconds: float) -> dict[str, Any]:
    """Wait for the child; kill it when the wall clock runs out."""
    deadline = time.monotonic() + wall_seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {"returncode": os.waitstatus_to_exitcode(status)}
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"timeout": True}
        time.sleep(0.002)


def _child(request: dict[str, Any], fds: list[int], server: socket.socket) -> None:
    """In the forked child: the pipes become stdin, stdout and stderr, the limits are lowered, then the sandbox's
    own entry point runs. Never returns."""
    code = 1
    try:
        server.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        limits = IngestLimits(memory_bytes=request["memory_bytes"], cpu_seconds=request["cpu_seconds"], wall_seconds=0)
        _limiter(limits)()
        from analyzer.ingest.sandbox import main

        code = main([request["format"], json.dumps(request["survey"])])
        sys.stdout.flush()
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serve(server: socket.socket) -> None:
    """The server's loop: one forked child per request, until the client closes the socket."""
    import importlib

    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 65536, 3)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        for module in WARM_MODULES.get(request["format"], ()):
            with contextlib.suppress(ImportError):  # the child reports it, with its code
                importlib.import_module(module)
        pid = os.fork()
        if pid == 0:
            _child(request, fds, server)
        for fd in fds:
            os.close(fd)
        server.sendall(json.dumps(_wait(pid, float(request["wall_seconds"]))).encode())


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
