"""/v1/api-keys: listed without secrets, revoked at once on intake, expiring, last use kept."""

from datetime import UTC, datetime, timedelta
from typing import Any

from mgi_shared.contracts.topics import API_KEYS
from mgi_shared.testing.kafka import eventually


async def issue(intake: Any, **body: Any) -> dict[str, Any]:
    body = {"role": "reviewer", "jurisdictions": ["IDN"], "label": "focal point"} | body
    created = await intake.http.post("/v1/api-keys", json=body, headers=intake.as_admin())
    assert created.status_code == 201, created.text
    issued: dict[str, Any] = created.json()
    return issued


async def listed(intake: Any) -> dict[str, dict[str, Any]]:
    answer = await intake.http.get("/v1/api-keys", headers=intake.as_admin())
    assert answer.status_code == 200, answer.text
    return {key["key_id"]: key for key in answer.json()}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_keys_are_listed_without_their_secrets_and_with_their_last_use(intake: Any) -> None:
    issued = await issue(intake)
    mine = (await listed(intake))[issued["key_id"]]
    assert mine["label"] == "focal point" and mine["role"] == "reviewer"
    assert mine["state"] == "active" and mine["jurisdictions"] == ["IDN"]
    assert mine["created_at"] and mine["last_used_at"] is None and mine["expires_at"] is None
    text = (await intake.http.get("/v1/api-keys", headers=intake.as_admin())).text
    assert issued["key"] not in text and "key_hash" not in text and "signature" not in text
    assert (await intake.http.get("/v1/catalogues", headers=bearer(issued["key"]))).is_success
    assert (await listed(intake))[issued["key_id"]]["last_used_at"] is not None
    # Only admins see or revoke keys.
    assert (await intake.http.get("/v1/api-keys", headers=bearer(issued["key"]))).status_code == 403
    refused = await intake.http.delete(f"/v1/api-keys/{issued['key_id']}",
                                       headers=bearer(issued["key"]))  # fmt: skip
    assert refused.status_code == 403


async def test_last_use_is_written_at_most_once_a_minute(intake: Any) -> None:
    issued = await issue(intake)
    for _ in range(5):
        await intake.http.get("/v1/catalogues", headers=bearer(issued["key"]))
    first = (await listed(intake))[issued["key_id"]]["last_used_at"]
    await intake.http.get("/v1/catalogues", headers=bearer(issued["key"]))
    assert (await listed(intake))[issued["key_id"]]["last_used_at"] == first


async def test_a_revoked_key_is_refused_at_once_and_announced_once(intake: Any) -> None:
    issued = await issue(intake, role="submitter")
    headers = bearer(issued["key"])
    assert (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 200
    for _ in range(2):  # revoking again is no change
        revoked = await intake.http.delete(f"/v1/api-keys/{issued['key_id']}",
                                           headers=intake.as_admin())  # fmt: skip
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["state"] == "revoked" and revoked.json()["revoked_at"]
    assert (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 401
    assert (await listed(intake))[issued["key_id"]]["state"] == "revoked"
    await intake.settled("api_keys", issued["key_id"])
    events = await intake.events(API_KEYS, key_id=issued["key_id"])
    assert [e["event_type"] for e in events] == ["apikey.created", "apikey.revoked"]
    assert events[1]["data"]["revoked"] is True and issued["key"] not in str(events)
    unknown = await intake.http.delete("/v1/api-keys/0123456789abcdef", headers=intake.as_admin())
    assert unknown.status_code == 404
    admin = await intake.http.delete("/v1/api-keys/admin", headers=intake.as_admin())
    assert admin.status_code == 404 and "MGI_ADMIN_TOKEN" in admin.json()["detail"]


async def test_a_key_expires(intake: Any) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=2)
    issued = await issue(intake, expires_at=soon.isoformat())
    headers = bearer(issued["key"])
    assert (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 200

    async def refused() -> bool:
        return (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 401

    await eventually(refused, timeout=10)
    assert (await listed(intake))[issued["key_id"]]["state"] == "expired"
    past = await intake.http.post("/v1/api-keys", headers=intake.as_admin(), json={
        "role": "admin", "expires_at": "2020-01-01T00:00:00Z"})  # fmt: skip
    assert past.status_code == 422 and past.json()["detail"][0]["field"] == "expires_at"
