"""A submission as a KoboToolbox REST Service sends it: flat JSON, group paths, Kobo's own fields
(pure data)."""

from typing import Any

FORM_UUID = "mgi-demo-local-form"


def kobo_payload(
    body: dict[str, Any], domains: dict[str, str], supersedes: str | None
) -> dict[str, Any]:
    """`domains` maps each indicator code to its domain, the group it sits in on the form."""
    submission_id = body["submission_id"]
    payload: dict[str, Any] = {
        "_uuid": submission_id,
        # Kobo writes UTC without an offset.
        "_submission_time": body["submitted_at"].removesuffix("Z"),
        "meta/instanceID": f"uuid:{submission_id}",
        "formhub/uuid": FORM_UUID,
        "__version__": "v1",
        "start": body["submitted_at"],
        "actor_id": body["actor_id"],
    }
    if supersedes:
        payload["meta/deprecatedID"] = f"uuid:{supersedes}"
    for answer in body["answers"]:
        field = f"{domains[answer['indicator']]}/{answer['indicator']}"
        payload[field] = answer["value"]
        payload[f"{field}_evidence"] = answer.get("evidence", "")
    return payload
