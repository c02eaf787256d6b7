"""Schemathesis over the whole API (issue 13): no server errors, every answer as documented.

For each database (SQLite, PostgreSQL) and each kind of caller (an officer, an applicant, an
administrator, each with an API token), every operation of /api/v1/openapi.json is sent
generated requests through the Flask app: schemathesis' coverage cases (each declared limit and
just beyond it, wrong types, missing and unexpected fields), a few Hypothesis examples valid and
invalid, and valid requests on real path parameters (a process, a version, a file, an open task,
an application). The tests are built by schemathesis' own builder (`create_test`, as its pytest
plugin does; the version is pinned) so that the databases and callers stay ordinary fixtures. Each answer must not be a 5xx, must carry a status the document declares
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
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import open_task_id, submit_mda
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import accounts

CALLERS = ["dic.agr", "applicant1.agr", "admin"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Coverage: schemathesis' deterministic boundary cases (values at and beyond every declared limit,
# wrong types, missing and unexpected fields); fuzzing: a few Hypothesis examples, valid and invalid.
MODES = [HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING]
SETTINGS = settings(
    max_examples=5, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
)


def _token(app: Flask, username: str) -> str:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as work:
        return accounts.create_token(work, actor=username, name="fuzz").secret


def _fuzz(schema: schemathesis.BaseSchema, operation: schemathesis.APIOperation, headers: dict, path: dict) -> None:
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    config = HypothesisTestConfig(project=schema.config, modes=MODES, settings=SETTINGS)
    create_test(operation=operation, test_func=call, config=config)()
    if path:  # valid requests on real things, so the checks reach past "not found"
        real = operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE, path_parameters=path)
        SETTINGS(given(case=real)(call))()


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
        path = {name: value for name, value in real.items() if f"{{{name}}}" in operation.path}
        _fuzz(schema, operation, headers, path)
