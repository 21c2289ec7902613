"""The helper of a one-worker batch: files read and their units tagged in a forked process while Kiwi splits the
next turns give the rows of one process, refusals included; the helper resolves the options and reads the first
files while Kiwi starts; it is forked once, and one killed mid-batch is forked again without losing a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from analyzer.errors import AnalyzerError
from analyzer.services import batch_helper
from analyzer.services.batch import BatchOptions, FileResult, Parts, analyse_files
from analyzer.services.batch_helper import TaggingHelper
from tests.batch.test_batch import _files, _rows, _sources, _survey, alone, options  # noqa: F401 (fixtures)
from tests.process_support import analyze_two_lines

pytestmark = pytest.mark.slow


def given(batch: BatchOptions) -> tuple[BatchOptions, None]:
    """A resolve for options known already (the helper pickles it by reference: a module-level function)."""
    return batch, None


def _started(batch: BatchOptions, first: list[Path] | None = None, parts: Parts | None = None) -> TaggingHelper:
    """A helper of three-unit chunks, started as ``moksori analyze`` starts it (Kiwi built here meanwhile)."""
    helper = TaggingHelper(chunk_units=3)
    assert helper.start(partial(given, batch), batch.threads, first or [], parts) is None
    assert helper.options == batch
    return helper


def test_rows_tagged_beside_kiwi_are_those_of_one_process(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = _started(options)
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
    helper = _started(options)
    helper.read_ahead = 3
    try:
        results = analyse_files(_sources(files), options, helper=helper)  # type: ignore[arg-type]
        first = next(results)
        # the second file was split while the first one's tags were awaited; the third and fourth wait, read ahead
        assert [reading.name for reading in helper.waiting] == [files[2][0], files[3][0]]
        assert all(reading.partition is not None for reading in helper.waiting)
        rest = list(results)
        monkeypatch.setattr(batch_helper, "READ_AHEAD_BYTES", 1)  # no file waits beyond the one being split
        helper.read_ahead = 10
        again = analyse_files(_sources(files[:3]), options, helper=helper)  # type: ignore[arg-type]
        assert next(again).records and len(helper.waiting) <= 1
        list(again)
    finally:
        helper.close()
    assert _rows([first, *rest]) == _rows(alone)


def test_the_helper_resolves_the_options_and_reads_the_first_files_until_kiwi_has_started(
    options: BatchOptions,  # noqa: F811
    tmp_path: Path,
) -> None:
    paths = []
    for name, data in _files()[:4]:
        if isinstance(data, bytes):
            paths.append(tmp_path / name)
            paths[-1].write_bytes(data)
    keys = [options.key(path.read_bytes()) for path in paths]
    parts = Parts(tmp_path / "parts")
    parts.put(keys[1], FileResult("txt", []))  # finished by an earlier run: not read again
    started, delivered = batch_helper.Flag.new(), batch_helper.Flag.new()
    first = [paths[0], tmp_path / "gone.txt", *paths[1:]]  # a file the batch will refuse is left to it
    resolved, extra, found = batch_helper.prepare(partial(given, options), first, parts, started, delivered)
    assert delivered.is_set()  # what lets the batch's process go on to start Kiwi
    assert (resolved, extra) == (options, None)
    assert list(found) == [keys[0], *keys[2:]]
    for path, key in zip(paths, keys, strict=True):
        if key in found:
            assert found[key].text == batch_helper.read_masked(path.name, path.read_bytes(), options).text  # type: ignore[union-attr]
    started.set()  # Kiwi has started: the helper stops after one file, the rest get their own tasks
    started.set()  # raised once, whatever the calls
    assert list(batch_helper.prepare(partial(given, options), paths, None, started, delivered)[2]) == keys[:1]
    assert started.wait(0) and os.read(started.read_end, 10) == b"1"
    for flag in (started, delivered):
        flag.close()


def test_a_batch_takes_the_files_the_helper_read_while_kiwi_started(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
    tmp_path: Path,
) -> None:
    files = _files()
    first = []
    for name, data in files:
        if isinstance(data, bytes):
            first.append(tmp_path / name)
            first[-1].write_bytes(data)
    helper = _started(options, first)
    try:
        early = set(helper.first)
        assert early  # at least the first file was read while Kiwi started
        found = list(analyse_files(_sources(files), options, helper=helper))  # type: ignore[arg-type]
        assert not helper.first  # each was taken by its file, none read twice
    finally:
        helper.close()
    assert _rows(found) == _rows(alone)


def test_a_refused_resolution_is_raised_where_the_batch_started(tmp_path: Path) -> None:
    helper = TaggingHelper()
    try:
        with pytest.raises(AnalyzerError) as raised:
            helper.start(partial(_no_model, tmp_path), 1)
        assert raised.value.code == "model_not_found"
    finally:
        helper.close()


def _no_model(folder: Path) -> tuple[BatchOptions, None]:
    raise AnalyzerError("model_not_found", str(folder))


def test_a_killed_helper_is_forked_again_and_no_file_is_lost(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = _started(options)
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


def test_moksori_analyze_builds_one_kiwi_before_it_imports_the_settings_or_the_taxonomy(tmp_path: Path) -> None:
    spy = (
        "import sys, kiwipiepy\n"
        "built, init = [], kiwipiepy.Kiwi.__init__\n"
        "def spy(self, *args, **options):\n"
        "    late = ('analyzer.settings', 'pydantic_settings', 'analyzer.taxonomy', 'yaml')\n"
        "    built.append(sorted(name for name in late if name in sys.modules))\n"
        "    init(self, *args, **options)\n"
        "kiwipiepy.Kiwi.__init__ = spy\n"
    )
    assert analyze_two_lines(tmp_path, spy, "print(built)") == "[[]]"  # one Kiwi, built before any was imported
