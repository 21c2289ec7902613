"""The error tree: every catalogue code builds exactly one class, which carries its HTTP status and retry rule."""

from __future__ import annotations

import pickle
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from analyzer import errors
from analyzer.classify.deploy import DeployRefused
from analyzer.errors import (
    CATALOGUE,
    CODE_CLASS,
    AnalysisFailed,
    AnalyzerError,
    Conflict,
    FileTooLarge,
    Forbidden,
    InputError,
    JobError,
    ModelError,
    NotFound,
    ResourceLimit,
    TaxonomyError,
    UnsafeFile,
    UnsupportedFile,
)
from analyzer.store.jobs import MAX_ATTEMPTS, Job
from api.problems import install, status_of

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
STATUSES = {403, 404, 409, 413, 415, 422, 500, 503}
FAMILIES = sorted(set(CODE_CLASS.values()), key=lambda family: family.__name__)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_errors_every_code_builds_its_own_class(code: str) -> None:
    error = AnalyzerError(code, "상세")
    assert type(error) is CODE_CLASS[code]
    assert code in type(error).codes
    assert error.status in STATUSES and isinstance(error.retryable, bool)
    assert (error.code, error.detail, error.message) == (code, "상세", f"{CATALOGUE[code]} (상세)")
    assert isinstance(error, AnalyzerError) and str(error) == f"{code}: {CATALOGUE[code]} (상세)"


def test_errors_table_is_total_and_each_code_has_one_class() -> None:
    assert set(CODE_CLASS) == set(CATALOGUE)
    assert sum(len(family.codes) for family in FAMILIES) == len(CATALOGUE)
    assert AnalyzerError.codes == frozenset()


@pytest.mark.parametrize(
    ("code", "family", "status", "retryable"),
    [
        ("unknown_type", UnsupportedFile, 415, False),
        ("type_mismatch", UnsupportedFile, 415, False),
        ("file_too_large", FileTooLarge, 413, False),
        ("empty_file", InputError, 422, False),
        ("archive_bomb", UnsafeFile, 422, False),
        ("xml_entities", UnsafeFile, 422, False),
        ("encrypted_archive", UnsafeFile, 422, False),
        ("resource_limit", ResourceLimit, 422, True),
        ("agency_not_found", InputError, 422, False),
        ("model_not_found", NotFound, 404, False),
        ("unit_not_found", NotFound, 404, False),
        ("blob_missing", NotFound, 404, False),
        ("key_scope_exceeded", Forbidden, 403, False),
        ("agency_exists", Conflict, 409, False),
        ("deploy_refused", Conflict, 409, False),
        ("model_invalid", ModelError, 422, False),
        ("taxonomy_unmapped", TaxonomyError, 422, False),
        ("analysis_failed", AnalysisFailed, 503, True),
        ("worker_lost", JobError, 500, False),
        ("analysis_timeout", JobError, 500, False),
    ],
)
def test_errors_class_status_and_retry_of_a_code(
    code: str, family: type[AnalyzerError], status: int, retryable: bool
) -> None:
    error = AnalyzerError(code)
    assert (type(error), error.status, error.retryable) == (family, status, retryable)


def test_errors_family_builds_the_subclass_of_a_code_and_refuses_a_foreign_one() -> None:
    assert type(InputError("unknown_type")) is UnsupportedFile
    assert type(JobError("analysis_failed")) is AnalysisFailed
    with pytest.raises(TypeError, match="empty_file"):
        NotFound("empty_file")
    with pytest.raises(KeyError):
        AnalyzerError("no_such_code")


def test_errors_are_caught_by_family() -> None:
    with pytest.raises(InputError) as caught:
        raise AnalyzerError("archive_bomb", "10000 entries")
    assert isinstance(caught.value, UnsafeFile) and not isinstance(caught.value, NotFound)


def test_errors_deploy_refusal_is_a_conflict() -> None:
    refused = DeployRefused("micro F1 0.50 < 0.60", {"micro_f1": [0.6, 0.5]})
    assert isinstance(refused, Conflict) and (refused.code, refused.status) == ("deploy_refused", 409)


@given(st.sampled_from(sorted(CATALOGUE)), st.text(max_size=40))
def test_errors_survive_pickling_with_class_code_and_detail(code: str, detail: str) -> None:
    error = AnalyzerError(code, detail)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, copy.detail, copy.message) == (type(error), code, detail, error.message)


def test_errors_all_names_every_public_error_and_nothing_else() -> None:
    public = {name for name, value in vars(errors).items() if isinstance(value, type) and name[0] != "_"}
    public = {name for name in public if issubclass(getattr(errors, name), AnalyzerError)}
    assert set(errors.__all__) == public | {"CATALOGUE", "CODE_CLASS"}
    assert all(hasattr(errors, name) for name in errors.__all__)
    assert len(errors.__all__) == len(set(errors.__all__))


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_errors_api_answers_with_the_class_status(code: str) -> None:
    app = FastAPI()
    install(app)

    @app.get("/fails")
    def fails() -> None:
        raise AnalyzerError(code, "x")

    response = TestClient(app).get("/fails")
    assert response.status_code == status_of(AnalyzerError(code)) == CODE_CLASS[code].status
    assert (response.json()["code"], response.json()["detail"]) == (code, f"{CATALOGUE[code]} (x)")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_errors_worker_retries_exactly_the_retryable_codes(code: str) -> None:
    retry_decision = pytest.importorskip("analyzer.services.runs").retry_decision  # the worker's use case

    def job(attempts: int) -> Job:
        return Job(1, 1, 1, "v", attempts, "w", datetime.now(UTC), "a.txt", "blob", "txt", {})

    assert retry_decision(job(1), code) is CODE_CLASS[code].retryable
    assert retry_decision(job(MAX_ATTEMPTS), code) is False


def test_errors_readme_documents_the_tree() -> None:
    for family in FAMILIES:
        parent = family.__mro__[1].__name__
        codes = ", ".join(f"`{code}`" for code in sorted(family.codes))
        retry = "yes" if family.retryable else "no"
        row = f"| `{family.__name__}` | `{parent}` | {family.status} | {retry} | {codes} |"
        assert row in README, row
    rows = re.findall(r"^\| `(\w+)` \| `\w+` \| \d+ \| (?:yes|no) \|", README, flags=re.MULTILINE)
    assert sorted(rows) == sorted(family.__name__ for family in FAMILIES)
