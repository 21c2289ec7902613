"""Batch analysis: a Dask LocalCluster of 2 worker processes, and 2 local workers forked after the model loaded,
give the rows of one process, a killed worker's partitions run again elsewhere, a long file is tagged in chunks,
and a re-run skips finished files."""

from __future__ import annotations

import csv
import io
import os
import signal
from functools import partial
from importlib import resources
from pathlib import Path

import pytest

from analyzer.analyze import process_analyzer
from analyzer.classify.registry import deployed_dir, shipped_models_root
from analyzer.errors import AnalyzerError
from analyzer.services.batch import BatchOptions, FileResult, Parts, analyse_files, forked_worker, load_worker
from analyzer.services.cluster import executor
from analyzer.services.forked import ForkedPool, can_fork

pytestmark = pytest.mark.slow
SAMPLES = resources.files("analyzer").joinpath("data/samples")


def _survey(rows: int) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(("응답자", "기업명", "의견"))
    for i in range(rows):
        writer.writerow((i, f"㈜가나{i}", f"{i}번째 응답: 시험 장비 예약이 {i % 7 + 1}주씩 밀려 납기를 못 맞춥니다."))
    return text.getvalue().encode("utf-8-sig")


def _files() -> list[tuple[str, bytes | AnalyzerError]]:
    found: list[tuple[str, bytes | AnalyzerError]] = [
        (entry.name, entry.read_bytes())
        for entry in sorted(SAMPLES.iterdir(), key=lambda e: e.name)
        if entry.name != "README.md"
    ]
    found += [
        ("survey.csv", _survey(23)),
        ("bad.txt", b"bad\xff\xfe\x00"),
        ("gone.txt", AnalyzerError("file_not_found")),
    ]
    return found


def _sources(files: list[tuple[str, bytes | AnalyzerError]]) -> list[tuple[str, object]]:
    def loader(data: bytes | AnalyzerError) -> object:
        def load() -> bytes:
            if isinstance(data, AnalyzerError):
                raise data
            return data

        return load

    return [(name, loader(data)) for name, data in files]


@pytest.fixture(scope="module")
def options() -> BatchOptions:
    return BatchOptions(str(deployed_dir(shipped_models_root())), b"batch-key", "v", chunk_units=5, threads=1)


@pytest.fixture(scope="module")
def alone(options: BatchOptions) -> list[FileResult]:
    return list(analyse_files(_sources(_files()), options))  # type: ignore[arg-type]


def _rows(results: list[FileResult]) -> list[object]:
    return [(r.format, r.records, r.error.code if r.error else None) for r in results]


def test_batch_in_one_process_reads_every_file_and_refuses_bad_ones(alone: list[FileResult]) -> None:
    codes = [r.error.code if r.error else None for r in alone]
    assert codes[-2:] == ["undecodable_text", "file_not_found"] and set(codes[:-2]) == {None}
    survey = alone[-3]
    assert len(survey.records) == 23 and [r["seq"] for r in survey.records] == list(range(23))
    assert all(r["kind"] and "categories" in r for result in alone for r in result.records)


def test_local_cluster_of_two_workers_gives_the_same_rows(options: BatchOptions, alone: list[FileResult]) -> None:
    with executor(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        spread = list(analyse_files(_sources(_files()), options, executor=client))  # type: ignore[arg-type]
    assert _rows(spread) == _rows(alone)


def test_a_killed_workers_partitions_are_run_again(options: BatchOptions, alone: list[FileResult]) -> None:
    files = _files() * 3
    with executor(workers=2) as client:
        pids = client.run(os.getpid)
        results = analyse_files(_sources(files), options, executor=client)  # type: ignore[arg-type]
        got = [next(results)]
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # work is in flight on both workers
        got += list(results)
        assert set(client.run(os.getpid).values()) != set(pids.values())
    assert _rows(got) == _rows(alone) * 3


def _forked(options: BatchOptions) -> dict[str, object]:
    return {"prepare": partial(load_worker, options), "after_fork": partial(forked_worker, options)}


def test_forked_local_workers_give_the_same_rows(options: BatchOptions, alone: list[FileResult]) -> None:
    if not can_fork():
        pytest.skip("a JVM (Okt) runs in this test process: local workers are not forked here")
    with executor(workers=2, **_forked(options)) as pool:  # type: ignore[arg-type]
        assert isinstance(pool, ForkedPool) and len(pool.scheduler_info()["workers"]) == 2
        spread = list(analyse_files(_sources(_files()), options, executor=pool))  # type: ignore[arg-type]
        assert len(pool.pids()) == 2 and os.getpid() not in pool.pids()
    assert _rows(spread) == _rows(alone)


def test_a_killed_forked_workers_partitions_are_run_again(options: BatchOptions, alone: list[FileResult]) -> None:
    if not can_fork():
        pytest.skip("a JVM (Okt) runs in this test process: local workers are not forked here")
    files = _files() * 3
    with executor(workers=2, **_forked(options)) as pool:  # type: ignore[arg-type]
        results = analyse_files(_sources(files), options, executor=pool)  # type: ignore[arg-type]
        got = [next(results)]
        first = pool.pids()
        os.kill(first[0], signal.SIGKILL)  # work is in flight on both workers
        got += list(results)
        assert pool.generation >= 1 and set(pool.pids()) != set(first)
    assert _rows(got) == _rows(alone) * 3


def test_a_rerun_skips_finished_files(options: BatchOptions, alone: list[FileResult], tmp_path: Path) -> None:
    parts = Parts(tmp_path / "parts")
    files = _files()
    first = list(analyse_files(_sources(files[:2]), options, parts=parts))  # type: ignore[arg-type]
    assert not any(r.skipped for r in first)
    again = list(analyse_files(_sources(files), options, parts=parts))  # type: ignore[arg-type]
    assert [r.skipped for r in again] == [True, True] + [False] * (len(files) - 2)
    assert _rows(again) == _rows(alone)
    assert len(list((tmp_path / "parts").glob("*.jsonl"))) == len(files) - 2  # refusals are not kept


def test_cli_analyze_out_parquet_and_a_rerun_from_parts(tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from analyzer.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in _files()[:-1]:
        (folder / name).write_bytes(data)  # type: ignore[arg-type]
    out = tmp_path / "rows.parquet"
    runner = CliRunner()
    first = runner.invoke(app, ["analyze", str(folder), "--out", str(out)])
    assert first.exit_code == 2 and "undecodable_text" in first.stderr
    table = pq.read_table(out)
    assert table.num_rows > 23 and "유형 id" in table.column_names
    assert len(list((tmp_path / ".rows.parquet.parts").glob("*.jsonl"))) == len(_files()) - 2
    again = runner.invoke(app, ["analyze", str(folder), "--out", str(out)])
    assert again.exit_code == 2 and pq.read_table(out).equals(table)


def _stored(data_dir: Path) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(data_dir / "moksori.db") as db:
        return db.execute(
            "select d.filename, u.seq, u.text, t.kind, t.categories, t.needs_review from units u "
            "join documents d on d.id = u.document_id join taggings t on t.unit_id = u.id order by d.filename, u.seq"
        ).fetchall()


def test_cli_analyze_into_the_store_writes_what_the_service_worker_writes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from analyzer.cli import app
    from analyzer.cli.context import settings
    from analyzer.services.context import Context
    from analyzer.services.runs import drain
    from analyzer.services.uploads import Upload, upload

    folder = tmp_path / "in"
    folder.mkdir()
    files = _files()[:3]
    for name, data in files:
        (folder / name).write_bytes(data)  # type: ignore[arg-type]
    runner = CliRunner()
    batch_dir, service_dir = tmp_path / "batch", tmp_path / "service"
    for data_dir in (batch_dir, service_dir):
        assert (
            runner.invoke(app, ["agencies", "create", "시험기관"], env={"MOKSORI_DATA_DIR": str(data_dir)}).exit_code
            == 0
        )
    args = ["analyze", str(folder), "--data-dir", str(batch_dir), "--agency", "시험기관", "--workers", "2"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    configured = settings(service_dir, None)
    with Context.open(configured) as context:
        for name, data in files:
            upload(context, Upload(name, data), own_agency=None, named_agency="시험기관")  # type: ignore[arg-type]
        analyzer = process_analyzer(str(deployed_dir(shipped_models_root())), configured.pseudonym_key("service"))
        assert drain(context.engine, context.blobs, analyzer) == 3
    assert _stored(batch_dir) == _stored(service_dir) and len(_stored(batch_dir)) > 10
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "단위 0개" in again.stderr  # the same bytes are stored and done: skipped
    assert _stored(batch_dir) == _stored(service_dir)


def test_an_unreachable_scheduler_is_cluster_unavailable() -> None:
    with pytest.raises(AnalyzerError) as refused, executor(scheduler="tcp://127.0.0.1:9", timeout=2):
        pass
    assert refused.value.code == "cluster_unavailable"
