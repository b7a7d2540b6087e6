"""`mgi faults`: options, then the run (cli/src/mgi_cli/faults/run.py)."""

from datetime import UTC, datetime
from pathlib import Path

import typer

from mgi_shared.settings import PlatformSettings


def faults(
    submissions: int = typer.Option(2000, "--submissions", min=20, help="per scenario, half over HTTP, half on the inbound topic"),
    assessments: int = typer.Option(10, "--assessments", min=3, help="the stream is spread over these; two are walked to validation"),
    outage: float = typer.Option(30.0, "--outage", min=1, help="seconds the SMTP server is down and the portal answers 503"),
    scenarios: str | None = typer.Option(None, "--scenarios", help="comma-separated, e.g. kill-intake,poison (all; `leader` with --kafka-brokers 3)"),
    kafka_brokers: int = typer.Option(1, "--kafka-brokers", help="1, or 3 for a replicated cluster (adds the leader scenario)"),
    max_wait: float = typer.Option(240.0, "--max-wait", help="seconds a scenario may take to recover before it fails"),
    data_dir: Path | None = typer.Option(None, "--data-dir", help="the run's own stack (MGI_DATA_DIR/faults/<UTC time>)"),
    keep: bool = typer.Option(False, "--keep", help="keep the run's broker and database data (logs are kept anyway)"),
) -> None:  # fmt: skip
    """Kill, restart and poison a stack of its own under load; fails on any loss or duplicate."""
    from mgi_cli.faults.options import FaultOptions, parse_scenarios
    from mgi_cli.faults.run import run_faults

    if kafka_brokers not in (1, 3):
        raise typer.BadParameter("1 or 3", param_hint="--kafka-brokers")
    try:
        names = parse_scenarios(scenarios, kafka_brokers)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--scenarios") from error
    folder = data_dir or PlatformSettings().mgi_data_dir / "faults" / datetime.now(UTC).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    options = FaultOptions(submissions=submissions, assessments=assessments,
                           outage_seconds=outage, scenarios=names, kafka_brokers=kafka_brokers,
                           max_wait=max_wait, keep=keep)  # fmt: skip
    raise typer.Exit(run_faults(options, folder))
