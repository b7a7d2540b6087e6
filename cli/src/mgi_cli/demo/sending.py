"""Submissions over the three paths a ministry's answers take (HTTP, the Kafka inbound topic,
a KoboToolbox REST Service), then what a real rollout also meets: a submission sent twice and
records no one can read."""

import json
import uuid
from dataclasses import dataclass, field

from mgi_cli.demo.api import PlatformClient
from mgi_cli.demo.kobo_payload import kobo_payload
from mgi_cli.demo.progress import phase
from mgi_cli.demo.rollout import HTTP, KAFKA, KOBO, AssessmentPlan, CatalogueView
from mgi_cli.demo.setup import Keys


class DemoError(RuntimeError):
    """A step did not happen as the platform promises: the demo fails, naming it."""


@dataclass
class Sent:
    by_path: dict[str, int] = field(default_factory=lambda: {HTTP: 0, KAFKA: 0, KOBO: 0})
    duplicate: str = ""  # the submission sent twice
    poison: list[str] = field(default_factory=list)  # what the unreadable records were


async def submit(
    client: PlatformClient,
    plans: list[AssessmentPlan],
    keys: Keys,
    catalogues: tuple[CatalogueView, CatalogueView],
) -> Sent:
    domains = {code: domain for view in catalogues for code, domain in view.indicators}
    sent = Sent()
    total = sum(len(plan.submissions) for plan in plans)
    with phase("ministries submit (HTTP, Kafka, KoboToolbox)", total) as advance:
        for plan in plans:
            key = keys.submitters[plan.jurisdiction]
            for planned in plan.submissions:
                if planned.path == KAFKA:
                    await client.publish_submission(planned.body)
                elif planned.path == KOBO:
                    payload = kobo_payload(planned.body, domains, planned.supersedes)
                    path = f"/v1/integrations/kobo/{plan.assessment_id}"
                    await client.intake("POST", path, key=key, json=payload)
                else:
                    await client.intake("POST", "/v1/submissions", key=key, json=planned.body)
                sent.by_path[planned.path] += 1
                advance()
    return sent


async def send_twice(client: PlatformClient, plan: AssessmentPlan, keys: Keys, sent: Sent) -> None:
    """A ministry's system retries a submission it already sent: the same answer (200, not
    202), stored and announced once."""
    first = next(p.body for p in plan.submissions if p.path == HTTP)
    answer = await client.call("intake", "POST", "/v1/submissions",
                               keys.submitters[plan.jurisdiction], json=first)  # fmt: skip
    if answer.status != 200:
        raise DemoError(
            f"a repeated submission was answered {answer.status}, not 200 (stored once)"
        )
    sent.duplicate = first["submission_id"]


async def send_poison(client: PlatformClient, plan: AssessmentPlan, sent: Sent) -> str:
    """Two records intake cannot take, as another system might publish them: one not JSON at
    all, one with an answer that is not an MGI value. Both go to the rejected topic and the
    consumer moves on; the second names its assessment, so its subscribers hear of it."""
    await client.publish_raw(b"<xml>not a submission</xml>", plan.assessment_id)
    actor, body = next(iter(plan.actors)), plan.submissions[0].body
    bad = {**body, "submission_id": str(uuid.uuid4()), "actor_id": actor,
           "answers": [{"indicator": plan.actors[actor]["indicators"][0], "value": "maybe"}]}  # fmt: skip
    await client.publish_raw(json.dumps(bad).encode(), plan.assessment_id)
    sent.poison = ["a record that is not JSON", "an answer 'maybe'"]
    return str(bad["submission_id"])
