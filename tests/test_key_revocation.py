"""A key revoked on intake is refused by intake at once and by scoring within a second:
the real apps over the session's real Kafka and database, sharing the signing secret."""

import time
from typing import Any

import pytest

from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration


async def test_a_revoked_key_is_refused_by_intake_and_scoring_within_a_second(
    intake_and_scoring: Any,
) -> None:
    services, admin = intake_and_scoring, intake_and_scoring.as_admin()
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
