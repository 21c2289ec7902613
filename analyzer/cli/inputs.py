"""The files a command was given: folders expanded to their supported files, each read or refused with a code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.ingest.sniff import extension_format


@dataclass(frozen=True, slots=True)
class Input:
    """One path to read; ``error`` is set when it was refused before reading (a missing path)."""

    path: Path
    error: AnalyzerError | None = None


def expand(paths: Iterable[Path]) -> list[Input]:
    """Files in the order given; a folder becomes every supported file inside it, recursively, sorted.

    A path that does not exist is kept with ``file_not_found``; a file met twice is read once.
    """
    found: list[Input] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if extension_format(p.name) and not p.is_dir())
            candidates = [Input(p) for p in inside]
        elif path.exists():
            candidates = [Input(path)]
        else:
            candidates = [Input(path, AnalyzerError("file_not_found"))]
        for candidate in candidates:
            key = candidate.path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def read_bytes(path: Path) -> bytes:
    """The bytes of *path*: ``file_not_found`` when it is gone, ``file_unreadable`` when it cannot be read.

    The error names no path: the caller reports which file it was.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise AnalyzerError("file_not_found") from exc
    except OSError as exc:  # permission denied, a folder, an I/O error
        raise AnalyzerError("file_unreadable", exc.strerror or type(exc).__name__) from exc
