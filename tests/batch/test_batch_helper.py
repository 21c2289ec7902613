"""The helper of a one-worker batch: files read and their units tagged in a forked process while Kiwi splits the
next turns give the rows of one process, refusals included; the helper is forked once, and one killed mid-batch
is forked again without losing a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analyzer.services import batch_helper
from analyzer.services.batch import BatchOptions, FileResult, analyse_files
from analyzer.services.batch_helper import TaggingHelper
from tests.batch.test_batch import _files, _rows, _sources, _survey, alone, options  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_rows_tagged_beside_kiwi_are_those_of_one_process(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = TaggingHelper(options, chunk_units=3)  # chunks of three units
    try:
        found = list(analyse_files(_sources(_files()), options, helper=helper))  # type: ignore[arg-type]
        assert helper.chunks >= len([r for r in alone if len(r.records) > 3])  # the helper did tag chunks
        assert helper.pool is not None
        (pid,) = helper.pool.pids()
        assert pid != os.getpid()
        again = list(analyse_files(_sources(_files()[:2]), options, helper=helper))  # type: ignore[arg-type]
        assert helper.pool.pids() == [pid]  # forked once for the whole batch
    finally:
        helper.close()
    assert _rows(found) == _rows(alone)
    assert _rows(again) == _rows(alone[:2])
    assert [r.error.code for r in found if r.error] == ["undecodable_text", "file_not_found"]


def test_files_are_read_ahead_and_the_next_is_split_before_this_one_is_awaited(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _files()
    helper = TaggingHelper(options, chunk_units=3)
    helper.read_ahead = 3
    try:
        results = analyse_files(_sources(files), options, helper=helper)  # type: ignore[arg-type]
        first = next(results)
        # the second file was split while the first one's tags were awaited; the third and fourth wait, read ahead
        assert [reading.name for reading in helper.waiting] == [files[2][0], files[3][0]]
        assert all(reading.partition is not None or reading.batch is not None for reading in helper.waiting)
        rest = list(results)
        monkeypatch.setattr(batch_helper, "READ_AHEAD_BYTES", 1)  # no file waits beyond the one being split
        helper.read_ahead = 10
        again = analyse_files(_sources(files[:3]), options, helper=helper)  # type: ignore[arg-type]
        assert next(again).records and len(helper.waiting) <= 1
        list(again)
    finally:
        helper.close()
    assert _rows([first, *rest]) == _rows(alone)


def test_the_helpers_first_batch_reads_the_files_waiting_until_kiwi_has_started_and_at_least_one(
    options: BatchOptions,  # noqa: F811
) -> None:
    started, delivered = batch_helper.Flag.new(), batch_helper.Flag.new()
    items = [(name, data) for name, data in _files()[:3] if isinstance(data, bytes)]
    found = batch_helper.read_first(items, options, started, delivered)
    assert delivered.is_set()  # what lets the batch's process go on to start Kiwi
    assert [document.text for document in found] == [  # type: ignore[union-attr]
        batch_helper.read_masked(name, data, options).text  # type: ignore[union-attr]
        for name, data in items
    ]
    started.set()  # Kiwi has started: the batch ends after one file, the rest get their own tasks
    started.set()  # raised once, whatever the calls
    assert len(batch_helper.read_first(items, options, started, delivered)) == 1
    assert started.wait(0) and os.read(started.read_end, 10) == b"1"
    for flag in (started, delivered):
        flag.close()


def test_a_killed_helper_is_forked_again_and_no_file_is_lost(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = TaggingHelper(options, chunk_units=3)
    found: list[FileResult] = []
    try:
        for result in analyse_files(_sources(_files()), options, helper=helper):  # type: ignore[arg-type]
            if not found:  # the next file is being read in the helper now
                assert helper.pool is not None
                os.kill(helper.pool.pids()[0], signal.SIGKILL)
            found.append(result)
        assert helper.pool is not None and helper.pool.generation >= 1  # forked again
    finally:
        helper.close()
    assert _rows(found) == _rows(alone)


def test_ctrl_c_stops_the_batch_and_its_helper_without_a_traceback_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "surveys"
    folder.mkdir()
    for number in range(30):
        (folder / f"survey-{number:02d}.csv").write_bytes(_survey(150))
    out, parts = tmp_path / "rows.jsonl", tmp_path / ".rows.jsonl.parts"
    argv = [sys.executable, "-m", "analyzer.cli", "analyze", str(folder), "--out", str(out)]
    env = {**os.environ, "MOKSORI_HOME": str(tmp_path)}
    run = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (parts.is_dir() and any(parts.glob("*.jsonl"))) and run.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert run.poll() is None, "the batch ended before it could be interrupted"
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group, helper included
    _, err = run.communicate(timeout=30)
    assert "Traceback" not in err, err
    for _ in range(100):  # neither the helper nor a parser is left running (a parser ends at its pipe's end)
        try:
            os.killpg(run.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("a process of the interrupted batch is still running")
    kept = len(list(parts.glob("*.jsonl")))
    again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 30 * 150
    assert 1 <= kept < 30
