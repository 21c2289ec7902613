"""The helper of a one-worker batch: files read and their units tagged in a forked process while Kiwi splits the
next turns give the rows of one process, refusals included; the helper is forked once, and one killed mid-batch
is forked again without losing a file."""

from __future__ import annotations

import os
import signal

import pytest

from analyzer.services.batch import BatchOptions, FileResult, analyse_files
from analyzer.services.batch_helper import TaggingHelper
from tests.batch.test_batch import _files, _rows, _sources, alone, options  # noqa: F401 (fixtures)

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
