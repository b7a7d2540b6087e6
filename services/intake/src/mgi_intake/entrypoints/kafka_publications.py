"""`mgi.publications.v1`: a succeeded publication sets its assessment to `published`."""

from pydantic import ValidationError

from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.publications import on_publication
from mgi_shared.contracts.payloads import Publication
from mgi_shared.kafka.records import InboundRecord, PermanentError
from mgi_shared.kafka.reliable import Handler


def publications_handler(deps: Deps) -> Handler:
    async def handle(record: InboundRecord) -> None:
        try:
            event = Publication.model_validate_json(record.value)
        except ValidationError as error:
            raise PermanentError(
                f"not a publication event: {error.error_count()} errors"
            ) from error
        await on_publication(event, deps)

    return handle
