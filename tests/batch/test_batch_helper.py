"""The tagging helper of a one-worker batch: a long file's units tagged in a forked process while Kiwi splits the
next turns give the rows of one process, refusals included, and the helper is forked once."""

from __future__ import annotations

import os

import pytest

from analyzer.services.batch import BatchOptions, FileResult, analyse_files
from analyzer.services.batch_helper import TaggingHelper
from tests.batch.test_batch import _files, _rows, _sources, alone, options  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_rows_tagged_beside_kiwi_are_those_of_one_process(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = TaggingHelper(options, min_bytes=0, chunk_units=3)  # every file, chunks of three units
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


def test_small_files_stay_in_this_process(
    options: BatchOptions,  # noqa: F811
    alone: list[FileResult],  # noqa: F811
) -> None:
    helper = TaggingHelper(options)  # the default threshold: the samples are all smaller
    try:
        found = list(analyse_files(_sources(_files()), options, helper=helper))  # type: ignore[arg-type]
    finally:
        helper.close()
    assert helper.pool is None and helper.chunks == 0
    assert _rows(found) == _rows(alone)
