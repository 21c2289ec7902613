"""Run a parser in a child process with memory, CPU and wall-clock limits.

The parent runs ``python -m analyzer.ingest.sandbox FORMAT SURVEY_JSON`` with the file's bytes on stdin; the
child answers with JSON on stdout: ``{"blocks": [[text, kind, meta], ...], "encoding": ...}`` or
``{"error": {"code": ..., "detail": ...}}``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.ingest.limits import IngestLimits
from analyzer.ingest.parse import Parsed, parse
from analyzer.ingest.survey import SurveyColumns
from analyzer.records import Block

#: The directory that holds the ``analyzer`` package, so the child imports the same code.
_ROOT = Path(__file__).resolve().parents[2]
_OUT_OF_MEMORY = (b"MemoryError", b"Cannot allocate memory", b"out of memory", b"failed to map segment")


def run_sandboxed(fmt: str, data: bytes, limits: IngestLimits, survey: SurveyColumns | None = None) -> Parsed:
    """Parse *data* in a limited child; a killed, timed-out or out-of-memory child raises ``resource_limit``
    and an :class:`AnalyzerError` in the child is raised again here with the same code."""
    command = [
        sys.executable,
        "-m",
        "analyzer.ingest.sandbox",
        fmt,
        json.dumps(asdict(survey) if survey else None),
    ]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=limits.wall_seconds,
            preexec_fn=_limiter(limits),
            env=_child_env(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AnalyzerError("resource_limit", f"wall clock > {limits.wall_seconds} s") from exc
    if done.returncode != 0:
        if done.returncode < 0 or any(marker in done.stderr for marker in _OUT_OF_MEMORY):
            raise AnalyzerError("resource_limit", f"child ended with {done.returncode}")
        raise AnalyzerError("corrupt_file", f"parser process failed ({done.returncode})")
    return _decode_answer(done.stdout)


def _limiter(limits: IngestLimits) -> Callable[[], None]:
    def apply() -> None:  # runs in the child between fork and exec
        _lower(resource.RLIMIT_AS, limits.memory_bytes)
        _lower(resource.RLIMIT_CPU, limits.cpu_seconds)
        _lower(resource.RLIMIT_CORE, 0)

    return apply


def _lower(which: int, value: int) -> None:
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONWARNINGS="ignore",
        # Thread pools and malloc arenas reserve address space that RLIMIT_AS counts.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        MALLOC_ARENA_MAX="2",
    )
    return env


def _decode_answer(stdout: bytes) -> Parsed:
    try:
        answer: dict[str, Any] = json.loads(stdout)
        if "error" in answer:
            error = answer["error"]
            raise AnalyzerError(str(error["code"]), str(error.get("detail", "")))
        blocks = tuple(Block(text, kind, MappingProxyType(meta)) for text, kind, meta in answer["blocks"])
        return Parsed(blocks, answer.get("encoding"))
    except AnalyzerError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise AnalyzerError("corrupt_file", "parser process gave no answer") from exc


def _encode_answer(parsed: Parsed) -> dict[str, Any]:
    blocks = [[block.text, block.kind, dict(block.meta)] for block in parsed.blocks]
    return {"blocks": blocks, "encoding": parsed.encoding}


def _out_of_memory(cause: BaseException | None) -> bool:
    """Under RLIMIT_AS a failed allocation does not always say ``MemoryError``: expat reports a bare
    ``SystemError`` and a lazy import of an extension module fails to map its segments."""
    if isinstance(cause, SystemError):
        return True
    message = str(cause).encode(errors="replace")
    return isinstance(cause, ImportError | OSError) and any(marker in message for marker in _OUT_OF_MEMORY)


def main(argv: list[str]) -> int:
    """Child side: parse stdin as ``argv[0]`` with the survey columns of ``argv[1]`` (JSON or ``null``)."""
    fmt, survey_json = argv
    spec = json.loads(survey_json)
    survey = SurveyColumns(**{**spec, "answers": tuple(spec["answers"])}) if spec else None
    data = sys.stdin.buffer.read()
    try:
        answer = _encode_answer(parse(fmt, data, survey))
    except AnalyzerError as exc:
        code = "resource_limit" if _out_of_memory(exc.__cause__) else exc.code
        answer = {"error": {"code": code, "detail": exc.detail}}
    sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
