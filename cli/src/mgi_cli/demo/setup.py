"""Setting the rollout up through intake and notifications: catalogues, assessments with their
actor maps, the keys of the ministries' systems and of a reviewer, and the focal points'
subscriptions."""

from dataclasses import dataclass

from mgi_cli.demo.api import PlatformClient
from mgi_cli.demo.progress import phase
from mgi_cli.demo.rollout import AssessmentPlan, CatalogueView
from mgi_cli.webhook_receiver import WEBHOOK_PATH, WebhookReceiver

# The focal points (example addresses: the demo's own mail server keeps what they are sent).
IDN_FOCAL_POINT = "focal.point.idn@example.org"
MEX_FOCAL_POINT = "punto.focal.mex@example.org"
IDN_MAIL_EVENTS = ["results.conflict", "assessment.completed", "publication.succeeded"]
MEX_MAIL_EVENTS = ["assessment.status_changed", "publication.succeeded"]
# An IOM regional dashboard hears of every submission of Kenya and Mexico, one POST each.
WEBHOOK_JURISDICTIONS = ["KEN", "MEX"]
WEBHOOK_EVENTS = ["submission.accepted", "submission.rejected", "publication.succeeded"]


@dataclass(frozen=True)
class Keys:
    submitters: dict[str, str]  # jurisdiction -> a submitter key of it
    reviewer: str  # a reviewer of Indonesia (its local jurisdictions included)


async def catalogues(client: PlatformClient) -> tuple[CatalogueView, CatalogueView]:
    listed = await client.intake("GET", "/v1/catalogues")
    views = {}
    for scope in ("national", "local"):
        version = next(c["version"] for c in listed if c["scope"] == scope)
        full = await client.intake("GET", f"/v1/catalogues/{version}")
        views[scope] = CatalogueView(
            version, scope, [(i["code"], i["domain"]) for i in full["indicators"]]
        )
    return views["national"], views["local"]


async def set_up(client: PlatformClient, plans: list[AssessmentPlan]) -> None:
    """Assessments, actor maps, then data collection opens."""
    with phase("launching assessments and actor maps", len(plans)) as advance:
        for plan in plans:
            await client.intake("POST", "/v1/assessments", json=plan.body)
            for actor_id, actor in plan.actors.items():
                path = f"/v1/assessments/{plan.assessment_id}/actors/{actor_id}"
                await client.intake("PUT", path, json=actor)
            await client.intake("POST", f"/v1/assessments/{plan.assessment_id}/status",
                                json={"status": "data_collection"})  # fmt: skip
            advance()


async def keys(client: PlatformClient, plans: list[AssessmentPlan], run_id: str) -> Keys:
    submitters: dict[str, str] = {}
    for jurisdiction in sorted({plan.jurisdiction for plan in plans}):
        created = await client.intake("POST", "/v1/api-keys", json={
            "role": "submitter", "jurisdictions": [jurisdiction],
            "label": f"demo {run_id}: {jurisdiction} ministries' system"})  # fmt: skip
        submitters[jurisdiction] = created["key"]
    reviewer = await client.intake("POST", "/v1/api-keys", json={
        "role": "reviewer", "jurisdictions": ["IDN"], "label": f"demo {run_id}: IDN reviewer"})  # fmt: skip
    return Keys(submitters, reviewer["key"])


async def subscribe(client: PlatformClient, receiver: WebhookReceiver, mail: bool) -> list[str]:
    """Two focal points by mail (English, Spanish) when mail can be shown, and the webhook,
    whose secret (shown once) the receiver keeps to check each POST's signature. Returns the
    subscriptions' ids, for `unsubscribe` at the end."""
    await unsubscribe_earlier(client)
    wanted = [("webhook", receiver.url, WEBHOOK_JURISDICTIONS, WEBHOOK_EVENTS, "en")]
    if mail:
        wanted += [("email", IDN_FOCAL_POINT, ["IDN"], IDN_MAIL_EVENTS, "en"),
                   ("email", MEX_FOCAL_POINT, ["MEX"], MEX_MAIL_EVENTS, "es")]  # fmt: skip
    ids: list[str] = []
    with phase("subscribing focal points", len(wanted)) as advance:
        for channel, address, jurisdictions, events, language in wanted:
            created = await client.notifications("POST", "/v1/subscriptions", json={
                "channel": channel, "address": address, "jurisdictions": jurisdictions,
                "events": events, "language": language})  # fmt: skip
            if channel == "webhook":
                receiver.secret = created["secret"]
            ids.append(created["subscription_id"])
            advance()
    return ids


async def unsubscribe(client: PlatformClient, subscription_ids: list[str]) -> None:
    """The demo's focal points are gone with it: a later run must not mail them twice."""
    for subscription_id in subscription_ids:
        await client.notifications("DELETE", f"/v1/subscriptions/{subscription_id}")


async def unsubscribe_earlier(client: PlatformClient) -> None:
    """Subscriptions an interrupted earlier run left behind (its receiver is gone)."""
    listed = (await client.notifications("GET", "/v1/subscriptions"))["subscriptions"]
    demo_addresses = {IDN_FOCAL_POINT, MEX_FOCAL_POINT}
    left = [s["subscription_id"] for s in listed
            if s["address"] in demo_addresses or s["address"].endswith(WEBHOOK_PATH)]  # fmt: skip
    await unsubscribe(client, left)
