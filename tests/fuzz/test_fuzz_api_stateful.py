"""Stateful schemathesis: sequences of API calls chained by the links schemathesis infers from the spec (an
upload's job and meeting ids feed the job, meeting and unit routes); no sequence may end in a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.api.test_api_schemathesis import ADMIN_KEY, api_schema

__all__ = ["api_schema"]


@pytest.mark.slow
def test_api_call_sequences_never_give_a_server_error(api_schema) -> None:  # type: ignore[no-untyped-def]
    base = api_schema.as_state_machine()
    steps: list[str] = []

    class Machine(base):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case):  # type: ignore[no-untyped-def]
            return {"headers": {"Authorization": f"Bearer {ADMIN_KEY['value']}"}}

        def validate_response(self, response, case, **kwargs) -> None:  # type: ignore[no-untyped-def]
            steps.append(f"{case.method} {case.path}")
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"

    Machine.run(
        settings=settings(
            max_examples=60, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
    assert {"POST /api/v1/uploads", "GET /api/v1/meetings/{meeting_id}"} <= set(steps), sorted(set(steps))
