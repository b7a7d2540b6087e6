"""Publishing reports a profile on the portal: the assessment becomes `published`."""

import logging

from mgi_intake.service_layer.assessments import change_status
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import ConflictError, ContentionError, NotFoundError
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.payloads import AssessmentStatus, EventType, PublicationData

logger = logging.getLogger(__name__)


async def on_publication(event: EventEnvelope[PublicationData], deps: Deps) -> None:
    """Idempotent: a repeat finds the assessment published already and changes nothing.

    Contention (a status change racing this one) is not a refusal: it propagates, so the
    record is retried rather than the assessment left `validated` after it was published."""
    if event.event_type != EventType.PUBLICATION_SUCCEEDED or not event.assessment_id:
        return
    try:
        await change_status(event.assessment_id, AssessmentStatus.PUBLISHED, deps, by_system=True)
    except ContentionError:
        raise
    except (ConflictError, NotFoundError) as refused:
        # Only a validated assessment may become published; anything else is a stray event.
        logger.warning(
            "publication event ignored",
            extra={"assessment_id": event.assessment_id, "reason": str(refused)},
        )
