"""`mgi demo`: the main job on a fresh machine."""

import asyncio

import httpx
from mgi_shared.contracts.topics import SERVICES
from rich.progress import Progress
from rich.table import Table

from mgi_cli import stack
from mgi_cli.console import console, log


def run_demo() -> int:
    config = stack.StackConfig.from_environment()
    try:
        asyncio.run(stack.up(config, log))
    except (stack.StackError, RuntimeError) as error:
        console.print(f"[red]demo failed to start the stack:[/red] {error}")
        return 1
    table = Table(title="MGI stack health")
    for column in ("service", "url", "ready"):
        table.add_column(column)
    with Progress(console=console) as progress:
        task = progress.add_task("checking services", total=len(SERVICES))
        for service in SERVICES:
            url = config.settings.url_of(service)
            ready = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
            table.add_row(service, url, "yes" if ready else "no")
            progress.advance(task)
    console.print(table)
    return 0
