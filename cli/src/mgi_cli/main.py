"""The `mgi` command: thin wrappers over the stack, demo and contract tooling."""

import typer

from mgi_cli import (
    commands_bench,
    commands_catalogue,
    commands_dlq,
    commands_faults,
    commands_keys,
    commands_portal,
    commands_rescore,
    commands_rollout,
    commands_stack,
    commands_trace,
)
from mgi_cli.console import console, quiet_client_libraries

app = typer.Typer(
    help="MGI platform: Migration Governance Indicators at scale.", no_args_is_help=True
)
app.add_typer(commands_stack.app, name="stack")
app.add_typer(commands_catalogue.app, name="catalogue")
app.add_typer(commands_dlq.app, name="dlq")
app.add_typer(commands_portal.app, name="portal")
app.add_typer(commands_keys.app, name="keys")
app.command()(commands_rescore.rescore)
app.command()(commands_rollout.rollout)
app.command()(commands_bench.bench)
app.command()(commands_faults.faults)
app.command(name="trace")(commands_trace.trace)
quiet_client_libraries()


@app.command()
def demo() -> None:
    """Bring the stack up and push a sample multi-country rollout through it."""
    from mgi_cli.demo.run import run_demo

    raise typer.Exit(run_demo())


@app.command()
def contracts() -> None:
    """Write the event JSON Schemas, the AsyncAPI document and each service's OpenAPI under docs/."""
    from mgi_cli.documents import write_documents

    for path in write_documents():
        console.print(f"wrote {path}")


if __name__ == "__main__":
    app()
