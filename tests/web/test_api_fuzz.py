"""Schemathesis over the whole API (issue 13): no server errors, every answer as documented.

For each database (SQLite, PostgreSQL) and each kind of caller (an officer, an applicant, an
administrator, each with an API token), every operation of /api/v1/openapi.json is sent
generated requests — valid ones and, as schemathesis' negative mode makes them, invalid ones —
through the Flask app. Each answer must not be a 5xx, must carry a status the document declares
for the operation, its declared content type, and a body that conforms to the declared schema
(errors included: `ErrorOut`). Hypothesis runs derandomized with a bounded number of examples,
so a failure reproduces and the whole run stays within a few minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import open_task_id, submit_mda
from workflows import accounts
from workflows.uow import SchemeUnitOfWork

CALLERS = ["dic.agr", "applicant1.agr", "admin"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
# Examples per operation: generated paths (valid, invalid), then the paths of real things.
EXAMPLES = 5


def _token(app: Flask, username: str) -> str:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as work:
        return accounts.create_token(work, actor=username, name="fuzz").secret


def _fuzz(operation: schemathesis.APIOperation, headers: dict, mode, path: dict | None = None) -> None:  # noqa: ANN001
    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("caller", CALLERS)
def test_every_operation_answers_as_documented(app_on_both: Flask, caller: str) -> None:
    number = submit_mda(app_on_both)
    real = {
        "key": "marketing_assistance", "version": 1, "name": "marketing_assistance.bpmn",
        "task_id": open_task_id(app_on_both, number), "number": number,
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app_on_both)
    headers = {"Authorization": f"Bearer {_token(app_on_both, caller)}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        _fuzz(operation, headers, POSITIVE)
        _fuzz(operation, headers, NEGATIVE)
        path = {name: value for name, value in real.items() if f"{{{name}}}" in operation.path}
        if path:
            _fuzz(operation, headers, POSITIVE, path)
