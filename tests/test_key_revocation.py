"""A key revoked on intake is refused by intake at once and by scoring within a second:
the real apps over the session's real Kafka and database, sharing the signing secret."""

import time
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
from mgi_shared.testing.kafka import eventually, start_group_at_end

pytestmark = pytest.mark.integration

ADMIN = f"admin-{uuid4().hex}"
# Ports set aside for tests that start services (see the README's testing notes).
INTAKE_PORT, SCORING_PORT = 28881, 28882


@dataclass
class Services:
    intake: httpx.AsyncClient
    scoring: httpx.AsyncClient


@pytest.fixture
async def services(infra: Any) -> AsyncIterator[Services]:
    instance = f"revoke{uuid4().hex[:8]}"
    topics = [t.name for t in all_topics()]
    for service in ("intake", "scoring"):
        await start_group_at_end(infra.kafka, f"mgi-{instance}-{service}", topics)
    common = {"kafka_bootstrap_servers": infra.kafka, "mongodb_url": infra.mongodb_url,
              "mgi_data_dir": infra.data_dir, "mgi_admin_token": ADMIN, "mgi_instance": instance,
              "mgi_key_signing_secret": f"signing-{uuid4().hex}"}  # fmt: skip
    intake = create_intake(IntakeSettings(intake_port=INTAKE_PORT, **common))
    scoring = create_scoring(ScoringSettings(scoring_port=SCORING_PORT, **common))
    async with (
        serving(intake, INTAKE_PORT),
        serving(scoring, SCORING_PORT),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{INTAKE_PORT}", timeout=10) as i,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{SCORING_PORT}", timeout=10) as s,
    ):
        yield Services(i, s)


async def test_a_revoked_key_is_refused_by_intake_and_scoring_within_a_second(
    services: Services,
) -> None:
    admin = {"Authorization": f"Bearer {ADMIN}"}
    created = await services.intake.post("/v1/api-keys", headers=admin,
                                         json={"role": "reviewer", "jurisdictions": ["IDN"]})  # fmt: skip
    assert created.status_code == 201
    key_id, key = created.json()["key_id"], created.json()["key"]
    headers = {"Authorization": f"Bearer {key}"}
    results = "/v1/assessments/IDN-unknown/results"  # 404 once the key is known, 401 before

    async def known_to_scoring() -> bool:
        return (await services.scoring.get(results, headers=headers)).status_code == 404

    await eventually(known_to_scoring, timeout=30)
    revoked_at = time.monotonic()
    revoked = await services.intake.delete(f"/v1/api-keys/{key_id}", headers=admin)
    assert revoked.status_code == 200
    assert (await services.intake.get("/v1/catalogues", headers=headers)).status_code == 401

    async def refused_by_scoring() -> bool:
        return (await services.scoring.get(results, headers=headers)).status_code == 401

    await eventually(refused_by_scoring, timeout=10)
    elapsed = time.monotonic() - revoked_at
    print(f"scoring refused the revoked key {elapsed * 1000:.0f} ms after the revocation")
    assert elapsed < 1.0
