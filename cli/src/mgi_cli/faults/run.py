"""`mgi faults`: its own stack and receivers, then each scenario in turn, then the tables.
Exits 1 when any scenario finds a loss, a duplicate or a promise not kept."""

import asyncio
import json
import secrets
from contextlib import AsyncExitStack
from dataclasses import asdict
from pathlib import Path

import httpx
from rich.console import Console

from mgi_cli import stack
from mgi_cli.bench.assessments import national_catalogue, submitter_key
from mgi_cli.bench.kafka_io import submission_producer
from mgi_cli.bench.workload import JURISDICTION
from mgi_cli.console import console
from mgi_cli.demo.api import PlatformClient
from mgi_cli.faults.audit import Audit
from mgi_cli.faults.context import MAIL_EVENTS, WEBHOOK_EVENTS, FaultContext
from mgi_cli.faults.expected import catalogue_structure
from mgi_cli.faults.mail import MailServer
from mgi_cli.faults.options import FaultOptions
from mgi_cli.faults.own_stack import Endpoints, FaultStack
from mgi_cli.faults.poison import poison_producer
from mgi_cli.faults.portal import Portal
from mgi_cli.faults.report import scenario_table, summary_table
from mgi_cli.faults.scenario import run_scenario
from mgi_cli.webhook_receiver import ReceiverServer, WebhookReceiver
from mgi_shared.net import free_port

TABLE_WIDTH = 160


def run_faults(options: FaultOptions, data_dir: Path) -> int:
    wide = console if console.is_terminal else Console(width=TABLE_WIDTH)
    try:
        audits = asyncio.run(_run(options, data_dir, wide))
    except (stack.StackError, RuntimeError, httpx.HTTPError) as error:
        console.print(f"[red]faults failed:[/red] {error}")
        return 1
    wide.print(summary_table(audits))
    report = data_dir / "faults.json"
    report.write_text(json.dumps({name: asdict(a) for name, a in audits.items()}, indent=2))
    console.print(f"wrote {report}")
    failed = [name for name, audit in audits.items() if audit.failures()]
    if failed:
        console.print(f"[red]{len(failed)} scenario(s) failed:[/red] {', '.join(failed)}")
        return 1
    console.print(f"[green]all {len(audits)} scenarios passed[/green]")
    return 0


async def _run(options: FaultOptions, data_dir: Path, wide: Console) -> dict[str, Audit]:
    endpoints = Endpoints(smtp_port=free_port(), portal_port=free_port(), webhook_port=free_port())
    own = FaultStack(data_dir, endpoints, options.kafka_brokers)
    console.print(f"fault run: its own stack in {data_dir}")
    mail, portal = MailServer(endpoints.smtp_port), Portal(endpoints.portal_port)
    webhook = WebhookReceiver(port=endpoints.webhook_port)
    mail.up()
    try:
        async with AsyncExitStack() as exits:
            await exits.enter_async_context(ReceiverServer(webhook))
            await exits.enter_async_context(ReceiverServer(portal))
            await own.up()
            exits.callback(own.down, options.keep)
            ctx = await _context(exits, options, own, mail, portal, webhook)
            audits: dict[str, Audit] = {}
            for name in options.scenarios:
                audits[name] = await run_scenario(ctx, name)
                wide.print(scenario_table(name, audits[name]))
            return audits
    finally:
        mail.down()


async def _context(
    exits: AsyncExitStack, options: FaultOptions, own: FaultStack, mail: MailServer,
    portal: Portal, webhook: WebhookReceiver,
) -> FaultContext:  # fmt: skip
    settings = own.settings
    client = await exits.enter_async_context(PlatformClient(settings, own.admin_key))
    producer = submission_producer(settings.kafka_bootstrap_servers)
    poison = poison_producer(settings.kafka_bootstrap_servers)
    for kafka_client in (producer, poison):
        await kafka_client.start()
        exits.push_async_callback(kafka_client.stop)
    run_id = secrets.token_hex(3)
    catalogue = await national_catalogue(client)
    jurisdictions = [JURISDICTION["code"]]
    hook = await client.notifications("POST", "/v1/subscriptions", json={
        "channel": "webhook", "address": webhook.url, "jurisdictions": jurisdictions,
        "events": WEBHOOK_EVENTS, "language": "en"})  # fmt: skip
    webhook.secret = hook["secret"]
    await client.notifications("POST", "/v1/subscriptions", json={
        "channel": "email", "address": "focal-point@example.org", "jurisdictions": jurisdictions,
        "events": MAIL_EVENTS, "language": "en"})  # fmt: skip
    return FaultContext(
        options=options, stack=own, client=client, producer=producer, poison_producer=poison,
        mail=mail, portal=portal, webhook=webhook, catalogue=catalogue,
        structure=catalogue_structure(catalogue.version), run_id=run_id,
        submitter_key=await submitter_key(client, run_id),
    )  # fmt: skip
