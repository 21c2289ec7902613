"""``moksori analyze`` of a two-line file in a new Python process (two workers), with code run before and after it
there: what that process imported, what it built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TWO_LINES = "사회자: 시작하겠습니다\n○ 김OO 대표: 장비 예약이 어렵습니다.\n"
ROOT = Path(__file__).resolve().parents[1]


def analyze_two_lines(tmp_path: Path, before: str, after: str) -> str:
    """The last line *after* printed; the analysis must have printed its row first."""
    source = tmp_path / "two-line.txt"
    source.write_text(TWO_LINES, encoding="utf-8")
    code = (
        f"{before}"
        "import sys, runpy; sys.argv = ['moksori', 'analyze', '--workers', '2', sys.argv[1]]\n"
        "try:\n    runpy.run_module('analyzer.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"{after}"
    )
    env = {"MOKSORI_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert "장비 예약이 어렵습니다" in done.stdout, done.stderr
    return done.stdout.strip().splitlines()[-1]
