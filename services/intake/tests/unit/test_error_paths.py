"""Error paths that must not misroute or double a notification, nor drop a publication."""

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from mgi_intake.adapters.rejections import claimed_assessment, rejection_event_id
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import ContentionError
from mgi_intake.service_layer.publications import on_publication
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts.payloads import EventType, Publication, PublicationData
from mgi_shared.kafka.records import InboundRecord

pytestmark = pytest.mark.unit


def record(
    value: bytes, offset: int = 7, key: bytes | None = b"KEN-2024-national"
) -> InboundRecord:
    return InboundRecord("mgi.submissions.inbound.v1", 2, offset, key, value, attempt=1)


def test_a_redelivered_record_is_rejected_under_the_same_event_id() -> None:
    first = record(b"not json")
    again = InboundRecord(**{**first.__dict__, "attempt": 3})
    assert rejection_event_id(first) == rejection_event_id(again)
    assert rejection_event_id(first) != rejection_event_id(record(b"not json", offset=8))
    assert rejection_event_id(first) != rejection_event_id(record(b"other content"))


def test_a_rejection_names_the_assessment_its_body_names_else_its_key() -> None:
    body = b'{"assessment_id": "IDN-2024-national", "answers": "not a list"}'
    assert claimed_assessment(record(body)) == "IDN-2024-national"
    assert claimed_assessment(record(b"\xff not json")) == "KEN-2024-national"
    assert claimed_assessment(record(b"[]", key=None)) is None


class AlwaysOutraced:
    """An assessment whose every compare-and-set on the status is lost to another writer."""

    async def get(self, assessment_id: str) -> dict[str, Any]:
        return {"_id": assessment_id, "assessment_id": assessment_id, "status": "validated",
                "catalogue_version": "mgi-national-2024",
                "jurisdiction": {"code": "IDN", "name": "Indonesia", "parent": None},
                "scope": "national", "round": 1, "languages": ["en"]}  # fmt: skip

    async def move_status(self, *_: Any) -> bool:
        return False


class Catalogues:
    async def get(self, version: str) -> Any:
        return next(c for c in builtin_catalogues() if c.version == version)


async def test_a_publication_losing_to_concurrent_status_changes_is_retried_not_dropped() -> None:
    deps = cast(Deps, Deps(assessments=AlwaysOutraced(), submissions=None, catalogues=Catalogues(),  # type: ignore[arg-type]
                           api_keys=None))  # type: ignore[arg-type]  # fmt: skip
    event = Publication(
        event_type=EventType.PUBLICATION_SUCCEEDED,
        assessment_id="IDN-2024-national",
        occurred_at=datetime.now(UTC),
        data=PublicationData(publication_id="p1", revision=3, target="static"),
    )
    with pytest.raises(ContentionError):
        await on_publication(event, deps)
