"""Scoring's routes over real sockets: 401 without a valid key, 403 for the wrong role or
jurisdiction (contract section 2), the same matrix intake's routes pass."""

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from mgi_scoring.main import create_app
from mgi_scoring.settings import ScoringSettings
from mgi_scoring.testing import accepted, changed
from mgi_shared.auth import ApiKeyRecord, Role, hash_key, new_key
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.topics import (
    API_KEYS,
    ASSESSMENTS_CHANGED,
    SUBMISSIONS_ACCEPTED,
    dead_letter_topic,
)
from mgi_shared.key_signing import signed
from mgi_shared.net import free_port
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import eventually, read_records, start_group_at_end

pytestmark = pytest.mark.integration

ADMIN = f"admin-{uuid4().hex}"
SIGNING = f"signing-{uuid4().hex}"  # the services' shared secret for API key events
KEYS = {  # name -> (role, jurisdictions)
    "idn_reviewer": (Role.REVIEWER, ["IDN"]),
    "ken_reviewer": (Role.REVIEWER, ["KEN"]),
    "idn_submitter": (Role.SUBMITTER, ["IDN"]),
    "idn_local_reviewer": (Role.REVIEWER, ["IDN-JK"]),
}
# Written to the topic by someone without the services' secret: it must grant nothing.
FORGED = {"unsigned_admin": "", "admin_signed_elsewhere": "some-other-secret"}


class Scoring:
    def __init__(self, http: httpx.AsyncClient, assessment_id: str, keys: dict[str, str]) -> None:
        self.http, self.assessment_id, self.keys = http, assessment_id, keys

    async def call(self, route: tuple[str, str, Any], key: str | None) -> int:
        method, path, body = route
        headers = {"Authorization": key} if key is not None else {}
        url = path.format(id=self.assessment_id)
        return (await self.http.request(method, url, json=body, headers=headers)).status_code

    def bearer(self, name: str) -> str:
        return f"Bearer {self.keys[name]}"


@pytest.fixture(scope="module")
async def scoring(infra) -> AsyncIterator[Scoring]:  # type: ignore[no-untyped-def]
    tag = uuid4().hex[:10]
    await start_group_at_end(infra.kafka, f"mgi-{tag}-scoring",
                             [API_KEYS, ASSESSMENTS_CHANGED, SUBMISSIONS_ACCEPTED])  # fmt: skip
    port = free_port()
    settings = ScoringSettings(mgi_instance=tag, kafka_bootstrap_servers=infra.kafka,
                               mongodb_url=infra.mongodb_url, mgi_admin_token=ADMIN,
                               mgi_key_signing_secret=SIGNING, scoring_port=port)  # fmt: skip
    aid = f"IDN-{uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all")
    await producer.start()
    async with (
        serving(create_app(settings), port),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
    ):
        for name, (role, jurisdictions) in KEYS.items():
            key_id, keys[name] = new_key()
            unsigned = ApiKeyRecord(key_id=key_id, key_hash=hash_key(keys[name]), role=role,
                                    jurisdictions=jurisdictions)  # fmt: skip
            record = signed(unsigned, SIGNING.encode())
            event = EventEnvelope[ApiKeyRecord](event_type="apikey.created", data=record)
            await producer.send_and_wait(API_KEYS, event.model_dump_json().encode(),
                                         key=key_id.encode())  # fmt: skip
        for name, secret in FORGED.items():
            key_id, keys[name] = new_key()
            forged = ApiKeyRecord(key_id=key_id, key_hash=hash_key(keys[name]), role=Role.ADMIN,
                                  jurisdictions=[])  # fmt: skip
            if secret:
                forged = signed(forged, secret.encode())
            event = EventEnvelope[ApiKeyRecord](event_type="apikey.created", data=forged)
            await producer.send_and_wait(API_KEYS, event.model_dump_json().encode(),
                                         key=key_id.encode())  # fmt: skip
        for event in (changed(aid), accepted(aid, "mofa", {"r1": "yes"}, minutes=1),
                      accepted(aid, "moh", {"r1": "no"}, minutes=2)):  # fmt: skip
            topic = (
                ASSESSMENTS_CHANGED
                if event.event_type.startswith("assessment")
                else (SUBMISSIONS_ACCEPTED)
            )
            await producer.send_and_wait(topic, event.model_dump_json().encode(), key=aid.encode())
        await producer.stop()
        client = Scoring(http, aid, keys)

        async def ready() -> bool:  # the conflict is scored and every key is known
            results = await http.get(f"/v1/assessments/{aid}/results",
                                     headers={"Authorization": client.bearer("idn_reviewer")})  # fmt: skip
            known = [await client.call(RESULTS, client.bearer(name)) for name in KEYS]
            scored = results.status_code == 200
            return (
                scored
                and results.json()["indicators"][0]["status"] == "conflict"
                and (401 not in known)
            )

        await eventually(ready, timeout=60)
        yield client


RESULTS = ("GET", "/v1/assessments/{id}/results", None)
RESOLVE = ("POST", "/v1/assessments/{id}/indicators/r1/resolution", {"value": "partial"})
RESCORE = ("POST", "/v1/rescore", {"all": True})


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-key", "Bearer mgi_0011223344556677_forged", "Basic abc"],
)
async def test_every_route_needs_a_valid_key(scoring: Scoring, authorization: str | None) -> None:
    for route in (RESULTS, RESOLVE, RESCORE):
        assert await scoring.call(route, authorization) == 401, route


async def test_roles_and_jurisdictions_are_enforced(scoring: Scoring) -> None:
    def as_(name: str) -> str:
        return scoring.bearer(name)

    # Reading: any role, but only within the key's jurisdictions (a local key is not its country).
    assert await scoring.call(RESULTS, as_("idn_submitter")) == 200
    assert await scoring.call(RESULTS, as_("ken_reviewer")) == 403
    assert await scoring.call(RESULTS, as_("idn_local_reviewer")) == 403
    # Resolving: a reviewer of the jurisdiction only.
    assert await scoring.call(RESOLVE, as_("idn_submitter")) == 403
    assert await scoring.call(RESOLVE, as_("ken_reviewer")) == 403
    assert await scoring.call(RESOLVE, as_("idn_local_reviewer")) == 403
    assert await scoring.call(RESOLVE, as_("idn_reviewer")) == 200
    # Rescoring: admin only.
    assert await scoring.call(RESCORE, as_("idn_reviewer")) == 403
    assert await scoring.call(RESCORE, f"Bearer {ADMIN}") == 200


async def test_a_body_over_the_limit_is_413_before_it_is_read(scoring: Scoring) -> None:
    too_large = {"value": "partial", "note": "x" * (1024 * 1024)}
    route = (RESOLVE[0], RESOLVE[1], too_large)
    assert await scoring.call(route, scoring.bearer("idn_reviewer")) == 413


async def test_a_key_event_without_the_services_signature_grants_nothing(
    scoring: Scoring,
    infra,  # type: ignore[no-untyped-def]
) -> None:
    def forged_ids(records: list[Any]) -> set[str]:
        events = [json.loads(r.value) for r in records]
        return {e["data"]["key_id"] for e in events if e.get("data", {}).get("key_id")}

    # Refused and dead-lettered, so an operator sees them: they were handled, not just late.
    wanted = {scoring.keys[name].split("_")[1] for name in FORGED}
    await read_records(infra.kafka, dead_letter_topic("scoring"),
                       lambda records: wanted <= forged_ids(records))  # fmt: skip
    for name in FORGED:
        assert await scoring.call(RESCORE, scoring.bearer(name)) == 401
        assert await scoring.call(RESULTS, scoring.bearer(name)) == 401
