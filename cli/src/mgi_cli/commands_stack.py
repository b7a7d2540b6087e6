"""The `mgi stack` command group."""

import asyncio

import typer
from rich.table import Table

from mgi_cli import stack
from mgi_cli.console import console, log
from mgi_shared.contracts.topics import SERVICES

app = typer.Typer(
    help="Run the local broker, database and the four services.", no_args_is_help=True
)


@app.command()
def up(
    kafka_brokers: int | None = typer.Option(
        None, "--kafka-brokers", help="3: a local three-node KRaft cluster, every topic with "
        "replication factor 3 and min.insync.replicas=2 (1 unless the last `up` started 3)",
    ),
) -> None:  # fmt: skip
    """Start Kafka, the database and the services in the background; wait until ready."""
    if kafka_brokers not in (None, 1, 3):
        raise typer.BadParameter("1 or 3", param_hint="--kafka-brokers")
    config = stack.StackConfig.from_environment(kafka_brokers)
    try:
        asyncio.run(stack.up(config, log))
    except (stack.StackError, RuntimeError) as error:
        console.print(f"[red]stack up failed:[/red] {error}")
        raise typer.Exit(1) from error
    print_endpoints(config)


def print_endpoints(config: stack.StackConfig) -> None:
    table = Table(title="MGI stack: ready")
    table.add_column("component")
    table.add_column("endpoint")
    table.add_row("kafka", config.settings.kafka_bootstrap_servers)
    table.add_row("database", config.settings.mongodb_url)
    for service in SERVICES:
        table.add_row(service, config.settings.url_of(service))
    table.add_row("portal files", str(config.data_dir / "portal"))
    table.add_row("logs", str(config.data_dir / "logs"))
    if config.manage_traces:
        table.add_row("traces", f"http://127.0.0.1:{config.traces_port} (`mgi trace ID`)")
    console.print(table)
    if config.settings.mgi_admin_token is None:
        console.print(f"admin API key: in {config.settings.admin_token_file}")


@app.command()
def down(
    wipe: bool = typer.Option(False, "--wipe", help="also delete broker/database data"),
) -> None:
    """Stop everything `stack up` started (by pid)."""
    stack.down(stack.StackConfig.from_environment(), log, wipe=wipe)


@app.command()
def status() -> None:
    """One line per component: up/down, pid, port."""
    for name, state, pid, port in stack.status(stack.StackConfig.from_environment()):
        console.print(f"{name:<14} {state:<5} pid={pid or '-':<8} port={port}", highlight=False)
