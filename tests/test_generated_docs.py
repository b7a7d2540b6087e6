"""The committed documents match what the code generates (regenerate: `mgi contracts`)."""

from pathlib import Path

import pytest

from mgi_cli.documents import DOCS, write_documents

pytestmark = pytest.mark.unit


def test_committed_asyncapi_schemas_and_openapi_are_current(tmp_path: Path) -> None:
    for generated in write_documents(tmp_path):
        committed = DOCS / generated.relative_to(tmp_path)
        assert committed.exists(), f"{committed} missing: run `mgi contracts`"
        assert committed.read_text() == generated.read_text(), (
            f"{committed} is stale: run `mgi contracts`"
        )


def test_scoring_documents_its_contract_routes() -> None:
    from mgi_cli.documents import openapi_document

    paths = openapi_document("scoring")["paths"]
    assert "get" in paths["/v1/assessments/{assessment_id}/results"]
    assert "post" in paths["/v1/assessments/{assessment_id}/indicators/{indicator}/resolution"]
    assert "/readyz" in paths
