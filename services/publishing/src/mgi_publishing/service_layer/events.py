"""The publication event, ready for the outbox, and the ids that make repeats recognisable."""

from uuid import NAMESPACE_URL, uuid4, uuid5

from mgi_publishing.domain.attempts import PortalOutcome
from mgi_shared.contracts.payloads import EventType, Publication, PublicationData
from mgi_shared.contracts.profile import Profile
from mgi_shared.contracts.topics import PUBLICATIONS
from mgi_shared.mongo import Document
from mgi_shared.outbox import outbox_entry


def publication_id(assessment_id: str, revision: int, target: str, resync: bool) -> str:
    """The same for every repeat of one publication (a crash, a redelivery), so its event
    keeps one id and consumers drop repeats; a resync is a publication of its own."""
    if resync:
        return str(uuid4())
    return str(uuid5(NAMESPACE_URL, f"mgi:publication:{assessment_id}:{revision}:{target}"))


def publication_entry(profile: Profile, outcome: PortalOutcome, publication: str) -> Document:
    kind = EventType.PUBLICATION_SUCCEEDED if outcome.succeeded else EventType.PUBLICATION_FAILED
    event = Publication(
        event_id=uuid5(NAMESPACE_URL, f"mgi:publication-event:{publication}"),
        event_type=kind.value,
        assessment_id=profile.assessment_id,
        jurisdiction=profile.jurisdiction.code,
        data=PublicationData(
            publication_id=publication,
            revision=profile.revision,
            target=outcome.target,
            location=outcome.location,
            error=outcome.error,
            attempts=len(outcome.attempts),
        ),
    )
    return outbox_entry(PUBLICATIONS, profile.assessment_id, event)
