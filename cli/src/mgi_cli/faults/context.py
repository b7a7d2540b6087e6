"""What every scenario shares: the run's own stack, receivers, clients and ids."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from mgi_cli.bench.workload import Catalogue
from mgi_cli.demo.api import PlatformClient
from mgi_cli.faults.mail import MailServer
from mgi_cli.faults.options import FaultOptions
from mgi_cli.faults.own_stack import FaultStack
from mgi_cli.faults.portal import Portal
from mgi_cli.webhook_receiver import WebhookReceiver
from mgi_shared.catalogue.model import CatalogueStructure

# The subscriptions' events: each single (never a digest), so each mail is one event.
MAIL_EVENTS = ["assessment.status_changed", "publication.succeeded"]
WEBHOOK_EVENTS = ["submission.accepted", *MAIL_EVENTS]


@dataclass
class FaultContext:
    options: FaultOptions
    stack: FaultStack
    client: PlatformClient  # admin key, over HTTP
    producer: AIOKafkaProducer  # the inbound topic, as another system publishes
    poison_producer: AIOKafkaProducer  # allowed to send a 2 MiB record
    mail: MailServer
    portal: Portal
    webhook: WebhookReceiver
    catalogue: Catalogue
    structure: CatalogueStructure  # for the expected results
    run_id: str
    submitter_key: str

    @property
    def bootstrap(self) -> str:
        return self.stack.settings.kafka_bootstrap_servers
