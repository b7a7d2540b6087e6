"""Submissions from `mgi.submissions.inbound.v1`: the HTTP path, minus the caller's key.

A refused record goes to the rejected topic and is then committed, so one bad
record never blocks the partition; a repeat of an accepted record has no effect.
"""

from mgi_intake.adapters.rejections import RejectionPublisher
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import ConflictError, InvalidError
from mgi_intake.service_layer.incoming import from_json_body
from mgi_intake.service_layer.submissions import accept_submission
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import Handler
from mgi_shared.problems import Problem


def inbound_handler(deps: Deps, rejections: RejectionPublisher) -> Handler:
    async def handle(record: InboundRecord) -> None:
        try:
            incoming = from_json_body(record.value, "kafka")
            await accept_submission(incoming, None, deps)
        except InvalidError as error:
            jurisdiction = await _jurisdiction(record, deps)
            await rejections.reject(record, error.reason, error.problems, jurisdiction)
        except ConflictError as error:
            jurisdiction = await _jurisdiction(record, deps)
            problems = [Problem("submission_id", str(error))]
            await rejections.reject(record, "conflict", problems, jurisdiction)

    return handle


async def _jurisdiction(record: InboundRecord, deps: Deps) -> str | None:
    """The record's assessment's jurisdiction, so notifications can route the rejection."""
    if not record.key_text:
        return None
    assessment = await deps.assessments.get(record.key_text)
    return assessment["jurisdiction"]["code"] if assessment else None
