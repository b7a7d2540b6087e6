"""`mgi demo`: stack up, then a rollout through all four services, phase by phase; a summary
at the end, or a non-zero exit naming the step that did not happen as expected."""

import asyncio
import contextlib
import os
import secrets
import time
from pathlib import Path
from typing import Any

from mgi_cli import stack
from mgi_cli.console import console, log
from mgi_cli.demo import heard, review, sending, setup, tracing
from mgi_cli.demo.api import PlatformClient
from mgi_cli.demo.mailbox import LocalMailServer, Mailbox
from mgi_cli.demo.rollout import AssessmentPlan, build_rollout
from mgi_cli.demo.summary import Played, summary
from mgi_cli.webhook_receiver import ReceiverServer, WebhookReceiver
from mgi_shared.net import free_port

DEFAULT_SMTP_PORT = 1025


def run_demo() -> int:
    config = stack.StackConfig.from_environment()
    started = time.monotonic()
    try:
        admin_key = asyncio.run(stack.up(config, log))
        played = asyncio.run(_play(config, admin_key))
    except (stack.StackError, RuntimeError) as error:
        console.print(f"[red]demo failed:[/red] {error}")
        return 1
    console.print(summary(played))
    console.print(f"portal: {_front_page(played.portal)}")
    console.print(f"logs: {config.data_dir / 'logs'}; stop the stack with `mgi stack down`")
    console.print(f"demo finished in {time.monotonic() - started:.0f} s")
    return 0


async def _play(config: stack.StackConfig, admin_key: str) -> Played:
    run_id = secrets.token_hex(3)
    console.print(f"demo run {run_id}: assessment ids end in -{run_id}")
    receiver = WebhookReceiver(port=free_port())
    with _mail_server(config, run_id) as mailbox:
        async with ReceiverServer(receiver), PlatformClient(config.settings, admin_key) as client:
            return await _rollout(client, config, run_id, receiver, mailbox)


async def _rollout(
    client: PlatformClient,
    config: stack.StackConfig,
    run_id: str,
    receiver: WebhookReceiver,
    mailbox: Mailbox | None,
) -> Played:
    catalogues = await setup.catalogues(client)
    plans = build_rollout(*catalogues, run_id)
    by_code = {plan.country.code: plan for plan in plans}
    subscriptions = await setup.subscribe(client, receiver, mail=mailbox is not None)
    try:
        await setup.set_up(client, plans)
        keys = await setup.keys(client, plans, run_id)
        sent = await sending.submit(client, plans, keys, catalogues)
        await sending.send_twice(client, plans[-1], keys, sent)
        rejected = await sending.send_poison(client, by_code["MEX"], sent)
        results = await review.scored(client, plans)
        await review.resolve_conflict(
            client, by_code["IDN"], results[by_code["IDN"].assessment_id], keys
        )
        await review.validate(client, plans)
        views = await review.published(client, plans)
        await heard.heard(receiver, mailbox, plans, heard.Expected.of(plans, rejected))
        final = {p.assessment_id: await client.scoring("GET", f"/v1/assessments/{p.assessment_id}/results")
                 for p in plans}  # fmt: skip
        trace = await _trace_of_one(config, by_code["KEN"])
    finally:
        await setup.unsubscribe(client, subscriptions)
    return Played(plans, views, final, sent, receiver, mailbox, _portal(config), trace)


async def _trace_of_one(config: stack.StackConfig, plan: AssessmentPlan) -> tracing.TraceSeen | str:
    """A Kenyan submission (the webhook subscriber hears of it): its trace when the stack's own
    receiver keeps the spans, else where they went."""
    if not config.manage_traces:
        where = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "the exporter configured"
        return f"spans go to {where} (OTEL_* variables)"
    submission_id = plan.submissions[0].body["submission_id"]
    seen = await tracing.traced(config.data_dir / "traces", submission_id)
    if seen is None:
        raise sending.DemoError(f"no trace of submission {submission_id} reached the receiver")
    return seen


@contextlib.contextmanager
def _mail_server(config: stack.StackConfig, run_id: str) -> Any:
    """With no SMTP server configured (SMTP_HOST unset), one of the demo's own on the port the
    services send to, saving each mail as an .eml file; else the mail goes where configured."""
    if os.environ.get("SMTP_HOST"):
        yield None
        return
    port = int(os.environ.get("SMTP_PORT", DEFAULT_SMTP_PORT))
    folder = config.data_dir / "mail" / run_id
    with LocalMailServer("127.0.0.1", port, folder) as mailbox:
        yield mailbox


def _portal(config: stack.StackConfig) -> str:
    return os.environ.get("PORTAL_URL") or str(config.data_dir / "portal")


def _front_page(portal: str) -> str:
    return (
        portal if portal.startswith(("http://", "https://")) else str(Path(portal) / "index.html")
    )
