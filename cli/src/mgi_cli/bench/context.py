"""What every measurement shares: the stack's settings, clients, the watcher and the run's ids."""

from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaProducer

from mgi_cli.bench.assessments import create_assessments
from mgi_cli.bench.options import BenchOptions
from mgi_cli.bench.quiesce import wait_until_idle
from mgi_cli.bench.service_metrics import outbox_published
from mgi_cli.bench.watcher import PipelineWatcher
from mgi_cli.bench.workload import Actor, BenchAssessment, Catalogue, SubmissionStream
from mgi_cli.demo.api import PlatformClient
from mgi_cli.stack import StackConfig
from mgi_shared.settings import PlatformSettings


@dataclass
class BenchContext:
    config: StackConfig  # where the pid files are
    settings: PlatformSettings
    options: BenchOptions
    run_id: str  # in every assessment and submission id: runs never collide
    client: PlatformClient  # intake and scoring over HTTP, with the admin key
    http: httpx.AsyncClient  # /metrics
    producer: AIOKafkaProducer  # the inbound topic
    watcher: PipelineWatcher
    catalogue: Catalogue
    submitter_key: str

    notes: list[str] = field(default_factory=list)  # what the reader must know of this run
    pipeline_rate: float | None = None  # submissions/s, once measured: sizes the seeding

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def bootstrap(self) -> str:
        return self.settings.kafka_bootstrap_servers

    async def new_assessments(
        self, phase: str, number: int, actors: tuple[Actor, ...]
    ) -> list[BenchAssessment]:
        """Created, in data_collection, and known to scoring before any submission is sent."""
        assessments = [
            BenchAssessment(f"XBM-{self.run_id}-{phase}-{index:04d}", actors)
            for index in range(number)
        ]
        await create_assessments(self.client, assessments, self.catalogue.version, phase)
        await self.idle(f"{phase}: scoring takes in the new assessments")
        return assessments

    def stream(self, phase: str, assessments: list[BenchAssessment]) -> SubmissionStream:
        return SubmissionStream(f"{self.run_id}-{phase}", assessments, self.catalogue)

    async def idle(self, label: str) -> None:
        """Bounded by --max-wait: a backlog left over is noted, and the run goes on."""
        left = await wait_until_idle(self.bootstrap, label, self.options.max_wait,
                                     lambda: outbox_published(self.http, self.settings))  # fmt: skip
        if left:
            self.note(f"{label}: about {left} records still queued after "
                      f"{self.options.max_wait:.0f} s; the next step started anyway")  # fmt: skip
