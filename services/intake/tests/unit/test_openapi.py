"""Intake's OpenAPI document names every contract route (its staleness is checked in tests/)."""

from typing import Any

import pytest

from mgi_cli.documents import openapi_document as service_document

pytestmark = pytest.mark.unit


def openapi_document() -> dict[str, Any]:
    return service_document("intake")


@pytest.fixture(autouse=True)
def _no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")


CONTRACT_ROUTES = {
    ("post", "/v1/api-keys"),
    ("post", "/v1/assessments"),
    ("get", "/v1/assessments/{assessment_id}"),
    ("put", "/v1/assessments/{assessment_id}/actors/{actor_id}"),
    ("post", "/v1/assessments/{assessment_id}/status"),
    ("get", "/v1/catalogues"),
    ("get", "/v1/catalogues/{version}"),
    ("post", "/v1/catalogues"),
    ("post", "/v1/submissions"),
    ("post", "/v1/integrations/kobo/{assessment_id}"),
}


def test_every_contract_route_is_documented_with_a_summary_and_errors() -> None:
    paths = openapi_document()["paths"]
    documented = {(method, path) for path, item in paths.items() for method in item}
    assert documented >= CONTRACT_ROUTES
    for method, path in CONTRACT_ROUTES:
        operation = paths[path][method]
        assert operation["summary"]
        assert "401" in operation["responses"]
        assert operation["security"] == [{"HTTPBearer": []}]


def test_submission_body_schema_is_published() -> None:
    operation = openapi_document()["paths"]["/v1/submissions"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.endswith("/Submission")
    assert {"202", "200", "409", "413", "422"} <= set(operation["responses"])
