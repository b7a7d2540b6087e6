"""`mgi bench`: options, then the run (cli/src/mgi_cli/bench/run.py)."""

from datetime import UTC, datetime
from pathlib import Path

import typer

from mgi_shared.settings import PlatformSettings


def bench(
    quick: bool = typer.Option(False, "--quick", help="small sizes: a few seconds per step"),
    out: Path | None = typer.Option(None, "--out", help="results folder (MGI_DATA_DIR/bench/<UTC time>)"),
    rate: float | None = typer.Option(None, "--rate", help="submissions/s offered in latency runs (100; quick 20)"),
    duration: float | None = typer.Option(None, "--duration", help="seconds per latency run (60; quick 5)"),
    stored: str | None = typer.Option(None, "--stored", help="stored levels (1000,20000; quick 200,1000)"),
    assessments: int | None = typer.Option(None, "--assessments", help="load spread over this many assessments (100; quick 10)"),
    pipeline_submissions: int | None = typer.Option(None, "--pipeline-submissions", help="(1000; quick 200)"),
    http_submissions: int | None = typer.Option(None, "--http-submissions", help="(1000; quick 200)"),
    clients: int | None = typer.Option(None, "--clients", help="concurrent HTTP clients (16)"),
    rescore_assessments: int | None = typer.Option(None, "--rescore-assessments", help="(100; quick 10)"),
    floor_records: int | None = typer.Option(None, "--floor-records", help="records through the raw loop (3000; quick 500)"),
    max_wait: float | None = typer.Option(None, "--max-wait", help="seconds any one wait may last; what is left is reported (60)"),
    max_seed: float | None = typer.Option(None, "--max-seed", help="seconds seeding one level may take; a level out of reach is skipped and said so (240)"),
) -> None:  # fmt: skip
    """Measure the running stack against a floor measured in the same run; never fails on goals."""
    from mgi_cli.bench.options import bench_options, parse_levels
    from mgi_cli.bench.run import run_bench

    try:
        levels = parse_levels(stored) if stored is not None else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--stored") from error
    folder = out or PlatformSettings().mgi_data_dir / "bench" / datetime.now(UTC).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    options = bench_options(
        folder, quick, rate=rate, duration=duration, stored=levels, assessments=assessments,
        pipeline_submissions=pipeline_submissions, http_submissions=http_submissions,
        http_clients=clients, rescore_assessments=rescore_assessments, floor_records=floor_records,
        max_wait=max_wait, max_seed=max_seed,
    )  # fmt: skip
    raise typer.Exit(run_bench(options))
