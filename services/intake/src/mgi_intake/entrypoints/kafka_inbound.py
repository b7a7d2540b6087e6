"""Submissions from `mgi.submissions.inbound.v1`: the HTTP path, minus the caller's key.

A refused record goes to the rejected topic and is then committed, so one bad
record never blocks the partition; a repeat of an accepted record has no effect.
A record larger than an HTTP body may be (MGI_MAX_BODY_BYTES, 413 over HTTP) is refused
as `too_large` before it is parsed, as HTTP refuses it before reading it.
"""

from mgi_intake.adapters.rejections import RejectionPublisher, claimed_assessment
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import ConflictError, ContentionError, InvalidError
from mgi_intake.service_layer.incoming import from_json_body
from mgi_intake.service_layer.submissions import accept_submission
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import Handler
from mgi_shared.problems import Problem


def inbound_handler(
    deps: Deps, rejections: RejectionPublisher, max_bytes: int = 1024 * 1024
) -> Handler:
    async def handle(record: InboundRecord) -> None:
        if len(record.value) > max_bytes:
            problem = Problem("body", f"{len(record.value)} bytes, over the limit of {max_bytes}")
            await _reject(record, "too_large", [problem])
            return
        try:
            incoming = from_json_body(record.value, "kafka")
            await accept_submission(incoming, None, deps)
        except ContentionError:
            raise  # not the record's fault: retried
        except InvalidError as error:
            await _reject(record, error.reason, error.problems)
        except ConflictError as error:
            await _reject(record, "conflict", [Problem("submission_id", str(error))])

    async def _reject(record: InboundRecord, reason: str, problems: list[Problem]) -> None:
        assessment_id = claimed_assessment(record)
        # Its jurisdiction, so notifications can route the rejection to that assessment's people.
        assessment = await deps.assessments.get(assessment_id) if assessment_id else None
        jurisdiction = assessment["jurisdiction"]["code"] if assessment else None
        await rejections.reject(record, reason, problems, assessment_id, jurisdiction)

    return handle
