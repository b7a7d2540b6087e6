"""One platform event: what it means for subscribers, stored as deliveries, then remembered.

Deliveries are stored before what the event taught us about the assessment: a crash in
between handles the repeated record the same way again (its deliveries are found stored),
where the other order would forget a new conflict for good.
"""

from collections.abc import Callable
from typing import TypeVar

from mgi_notifications.adapters.assessments import AssessmentStore
from mgi_notifications.domain.assessments import AssessmentInfo
from mgi_notifications.domain.translation import Outcome
from mgi_notifications.service_layer.recording import Recorder

EventT = TypeVar("EventT")


async def handle(
    assessments: AssessmentStore,
    recorder: Recorder,
    assessment_id: str,
    event: EventT,
    translate: Callable[[EventT, AssessmentInfo], Outcome],
) -> None:
    before = await assessments.load(assessment_id)
    notifications, after = translate(event, before)
    await recorder.record(notifications)
    await assessments.save(before, after)
