"""`mgi.publications.v1`: a succeeded publication sets its assessment to `published`."""

from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.publications import on_publication
from mgi_shared.contracts.payloads import Publication
from mgi_shared.kafka.events import parse
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import Handler


def publications_handler(deps: Deps) -> Handler:
    async def handle(record: InboundRecord) -> None:
        await on_publication(parse(Publication, record), deps)

    return handle
