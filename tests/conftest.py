"""Intake and scoring as real apps on the session's Kafka and database, for cross-service
tests: their own instance (databases, consumer groups) and the ports set aside for tests
that start services (28881-28889)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest

from mgi_intake.main import create_app as create_intake
from mgi_intake.settings import IntakeSettings
from mgi_scoring.main import create_app as create_scoring
from mgi_scoring.settings import ScoringSettings
from mgi_shared.contracts.topics import all_topics
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import start_group_at_end

INTAKE_PORT, SCORING_PORT = 28881, 28882


@dataclass
class IntakeAndScoring:
    admin_token: str
    intake: httpx.AsyncClient
    scoring: httpx.AsyncClient

    def as_admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def environment(self) -> dict[str, str]:
        """What a CLI command needs to reach these two."""
        return {"INTAKE_PORT": str(INTAKE_PORT), "SCORING_PORT": str(SCORING_PORT),
                "MGI_ADMIN_TOKEN": self.admin_token}  # fmt: skip


@pytest.fixture
async def intake_and_scoring(infra: Any) -> AsyncIterator[IntakeAndScoring]:
    instance = f"two{uuid4().hex[:8]}"
    admin = f"admin-{uuid4().hex}"
    topics = [t.name for t in all_topics()]
    for service in ("intake", "scoring"):
        await start_group_at_end(infra.kafka, f"mgi-{instance}-{service}", topics)
    common = {"kafka_bootstrap_servers": infra.kafka, "mongodb_url": infra.mongodb_url,
              "mgi_data_dir": infra.data_dir, "mgi_admin_token": admin, "mgi_instance": instance,
              "mgi_key_signing_secret": f"signing-{uuid4().hex}"}  # fmt: skip
    intake = create_intake(IntakeSettings(intake_port=INTAKE_PORT, **common))
    scoring = create_scoring(ScoringSettings(scoring_port=SCORING_PORT, **common))
    async with (
        serving(intake, INTAKE_PORT),
        serving(scoring, SCORING_PORT),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{INTAKE_PORT}", timeout=10) as i,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{SCORING_PORT}", timeout=10) as s,
    ):
        yield IntakeAndScoring(admin, i, s)
