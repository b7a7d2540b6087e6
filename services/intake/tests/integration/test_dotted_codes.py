"""Indicator codes contain dots (RGT-1.01): none may become a field name in a stored document."""

from typing import Any
from uuid import uuid4

import pytest

pytestmark = pytest.mark.integration


def dotted_field_names(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict):
        found = [f"{path}.{key}" for key in value if "." in key]
        return found + [n for k, v in value.items() for n in dotted_field_names(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [n for i, v in enumerate(value) for n in dotted_field_names(v, f"{path}[{i}]")]
    return []


async def test_a_catalogue_mapping_dotted_codes_is_stored_as_pairs(intake: Any) -> None:
    national = (await intake.http.get("/v1/catalogues/mgi-national-2024",
                                      headers=intake.as_admin())).json()  # fmt: skip
    version = f"renamed-{uuid4().hex[:8]}"
    mapping = {"RGT-1.01": "RGT-1.02", "RGT-1.02": "RGT-1.01"}  # as a catalogue file writes it
    body = {**national, "version": version, "previous_version": "mgi-national-2024",
            "previous_mapping": mapping}  # fmt: skip
    registered = await intake.http.post("/v1/catalogues", json=body, headers=intake.as_admin())
    assert registered.status_code == 201, registered.text
    read = (await intake.http.get(f"/v1/catalogues/{version}", headers=intake.as_admin())).json()
    assert read["previous_mapping"] == [
        {"code": "RGT-1.01", "previous": "RGT-1.02"},
        {"code": "RGT-1.02", "previous": "RGT-1.01"},
    ]
    # An assessment on it: its assessment.changed event (in the outbox) carries the structure.
    assessment_id = f"IDN-{uuid4().hex[:10]}-national"
    created = await intake.http.post(
        "/v1/assessments",
        json={**intake.assessment_body(assessment_id), "catalogue_version": version},
        headers=intake.as_admin(),
    )
    assert created.status_code == 201, created.text
    stored_catalogue = await intake.db.catalogues.find_one({"_id": version})
    stored_assessment = await intake.db.assessments.find_one({"_id": assessment_id})
    assert stored_assessment is not None and stored_assessment["outbox_count"] == 1
    assert dotted_field_names(stored_catalogue) == []
    assert dotted_field_names(stored_assessment) == []
