"""What the subscribers heard: the webhook receiver's verified events and the saved mails, each
expected notification waited for, and none twice."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from mgi_cli.demo.mailbox import Mailbox
from mgi_cli.demo.progress import phase
from mgi_cli.demo.review import until
from mgi_cli.demo.rollout import AssessmentPlan
from mgi_cli.demo.sending import DemoError
from mgi_cli.demo.setup import IDN_FOCAL_POINT, MEX_FOCAL_POINT, WEBHOOK_JURISDICTIONS
from mgi_cli.webhook_receiver import WebhookReceiver


@dataclass(frozen=True)
class Expected:
    """What the webhook subscriber must hear of this run's Kenyan and Mexican assessments."""

    accepted: set[str]  # submission ids
    rejected: str  # the unreadable record's submission id
    published: set[str]  # assessment ids

    @classmethod
    def of(cls, plans: list[AssessmentPlan], rejected: str) -> "Expected":
        watched = [p for p in plans if p.country.code in WEBHOOK_JURISDICTIONS]
        accepted = {s.body["submission_id"] for p in watched for s in p.submissions}
        return cls(accepted, rejected, {p.assessment_id for p in watched})


async def heard(
    receiver: WebhookReceiver,
    mailbox: Mailbox | None,
    plans: list[AssessmentPlan],
    expected: Expected,
) -> None:
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("every accepted submission of Kenya and Mexico", lambda: _ids(receiver, "submission.accepted") >= expected.accepted),
        ("the rejected record", lambda: expected.rejected in _ids(receiver, "submission.rejected")),
        ("each of their publications", lambda: _published(receiver) >= expected.published),
    ]  # fmt: skip
    if mailbox is not None:
        for address, country in ((IDN_FOCAL_POINT, "IDN"), (MEX_FOCAL_POINT, "MEX")):
            ids = {p.assessment_id for p in plans if p.country.code.split("-")[0] == country}
            checks.append((f"mail to {address} on each of its assessments",
                           _mail_check(mailbox, address, ids)))  # fmt: skip
    with phase("notifications reach mail and webhook", len(checks)) as advance:
        for description, check in checks:

            async def met(check: Callable[[], bool] = check) -> bool:
                return check()

            await until(met, 60, f"the subscribers did not hear of {description}")
            advance()
    _heard_once(receiver)


def _mail_check(mailbox: Mailbox, address: str, ids: set[str]) -> Callable[[], bool]:
    return lambda: _mailed(mailbox, address) >= ids


def _ids(receiver: WebhookReceiver, event_type: str) -> set[str]:
    return {str(e["data"].get("submission_id")) for e in receiver.of_type(event_type)}


def _published(receiver: WebhookReceiver) -> set[str]:
    return {str(e["assessment_id"]) for e in receiver.of_type("publication.succeeded")}


def _mailed(mailbox: Mailbox, address: str) -> set[str]:
    """Assessments a mail to `address` names in its subject."""
    return {word.rstrip(":") for mail in mailbox.to(address) for word in mail.subject.split()}


def _heard_once(receiver: WebhookReceiver) -> None:
    if receiver.refused:
        raise DemoError(f"{receiver.refused} webhook POSTs had a signature that did not check")
    twice = [i for i, n in Counter(e["event_id"] for e in receiver.events).items() if n > 1]
    if twice:
        raise DemoError(f"{len(twice)} events reached the webhook more than once")
