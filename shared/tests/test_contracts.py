"""Contract models, topic list and generated documents: pure logic, no I/O."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts import topics
from mgi_shared.contracts.payloads import SubmissionRejected, SubmissionRejectedData
from mgi_shared.contracts.submission import Submission
from mgi_shared.kafka.reliable import backoff_seconds
from mgi_shared.spec import asyncapi_document, json_schemas

pytestmark = pytest.mark.unit

VALID = {
    "submission_id": "0b6f7c1e-3c2f-4a57-9a53-8f1d2f3e4a5b",
    "assessment_id": "IDN-2023-national",
    "actor_id": "idn-mofa",
    "language": "en",
    "submitted_at": "2023-05-10T09:30:00Z",
    "answers": [{"indicator": "RGT-1.01", "value": "yes", "evidence": "x", "sources": ["Law"]}],
}


def test_contract_submission_parses() -> None:
    submission = Submission.model_validate(VALID)
    assert submission.submitted_at == datetime.fromisoformat("2023-05-10T09:30:00+00:00")


def test_bad_value_and_naive_time_are_named_by_field() -> None:
    body = {**VALID, "submitted_at": "2023-05-10T09:30:00",
            "answers": [{"indicator": "RGT-1.01", "value": "maybe"}]}  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        Submission.model_validate(body)
    fields = {".".join(map(str, e["loc"])) for e in raised.value.errors()}
    assert fields == {"submitted_at", "answers.0.value"}


def test_every_contract_topic_is_created_with_enough_partitions() -> None:
    specs = {spec.name: spec for spec in topics.all_topics()}
    for name in (topics.SUBMISSIONS_INBOUND, topics.SUBMISSIONS_ACCEPTED, topics.RESULTS_UPDATED,
                 topics.ASSESSMENTS_CHANGED, topics.PUBLICATIONS, topics.SUBMISSIONS_REJECTED):  # fmt: skip
        assert specs[name].partitions >= 6
    for service in topics.SERVICES:
        assert topics.retry_topic(service) in specs
        assert topics.dead_letter_topic(service) in specs


def test_rejected_record_has_envelope_and_operator_fields() -> None:
    record = SubmissionRejected(
        event_type="submission.rejected",
        data=SubmissionRejectedData(reason="invalid JSON", errors=[]),
        reason="invalid JSON", errors=[], original="{", source_topic="t",
        source_partition=0, source_offset=3,
    )  # fmt: skip
    dumped = record.model_dump(mode="json")
    for field in ("event_id", "event_type", "schema_version", "occurred_at", "assessment_id",
                  "jurisdiction", "data", "reason", "errors", "original", "source_topic",
                  "source_partition", "source_offset"):  # fmt: skip
        assert field in dumped


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n, 1.0) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert backoff_seconds(30, 1.0) == 60.0


def test_catalogue_structure_names_the_bad_indicator() -> None:
    with pytest.raises(ValidationError, match=r"indicators\[1\] \(X-2\): unknown domain 'nope'"):
        CatalogueStructure.model_validate({
            "version": "v", "scope": "national",
            "domains": [{"domain": "rights", "sub_areas": ["a"]}],
            "indicators": [{"code": "X-1", "domain": "rights", "sub_area": "a"},
                           {"code": "X-2", "domain": "nope", "sub_area": "a"}],
        })  # fmt: skip


def test_generated_documents_cover_every_contract_topic() -> None:
    document = asyncapi_document()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {spec.name for spec in topics.all_topics()[:7]}
    schemas = json_schemas()
    inbound = schemas[f"{topics.SUBMISSIONS_INBOUND}.schema.json"]
    assert set(inbound["required"]) == {"submission_id", "assessment_id", "actor_id",
                                        "submitted_at", "answers"}  # fmt: skip
    message_schemas = document["components"]["schemas"]
    assert "Submission" in message_schemas
