"""The run's figures as rows against the floor and the goals; the printed tables; bench.json."""

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table

from mgi_cli.bench.figures import (
    GROWTH_GOAL,
    P99_GOAL,
    PIPELINE_GOAL,
    RESCORE_GOAL,
    RSS_GOAL,
    Figure,
    ratio,
)
from mgi_cli.bench.latency import LatencyRun
from mgi_cli.bench.results import BenchResults


def figures(results: BenchResults) -> list[Figure]:
    """Every figure with the floor figure it compares to (same unit, same run) and its goal."""
    floor = results.floor
    rows = [
        Figure("floor", "raw loop: consume, insert_one, produce", floor.records_per_second,
               "records/s", floor.records_per_second),
        Figure("floor", f"raw loop p99 at {results.meta['rate']:g}/s", floor.latency.p99,
               "ms", floor.latency.p99),
        Figure("pipeline", "inbound -> results.updated, full speed",
               results.pipeline.per_second, "subm./s", floor.records_per_second, PIPELINE_GOAL),
        Figure("pipeline", "CPU per submission at full speed (" + ", ".join(
               f"{name} {ms:.1f}" for name, ms in results.pipeline.cost_ms.items()
               if name != "total") + ")", results.pipeline.cost_ms.get("total", 0.0), "ms",
               floor.cpu_ms_per_record),
        Figure("http_intake", f"POST /v1/submissions, {results.http_intake.clients} clients",
               results.http_intake.per_second, "subm./s", floor.records_per_second),
    ]  # fmt: skip
    base = results.latency
    rows.append(Figure("latency", f"p99 inbound -> results.updated, {results.meta['rate']:g}/s",
                       base.latency.p99, "ms", floor.latency.p99, P99_GOAL,
                       note=_missing(base)))  # fmt: skip
    for run in results.latency_runs():
        rows.append(Figure("stored_levels", f"CPU per submission, {run.label}",
                           run.cost_ms["total"], "ms", floor.cpu_ms_per_record))  # fmt: skip
    growth, growth_ratio = results.growth(), _growth_ratio(results)
    if growth is not None and growth_ratio is not None:
        low, high = growth
        rows.append(Figure("stored_levels",
                           f"CPU cost at {high.run.stored:,} vs {low.run.stored:,} stored",
                           growth_ratio, "x", goal=GROWTH_GOAL))  # fmt: skip
    rescore = results.rescore
    rows.append(Figure(
        "rescore", f"{rescore.assessments} assessments x {rescore.indicators} indicators",
        rescore.seconds, "s", rescore.assessments / floor.records_per_second, RESCORE_GOAL,
        note=f"{rescore.changed} new revisions"))  # fmt: skip
    for peak in results.rss:
        if peak.peak_mb is not None:
            goal = RSS_GOAL if peak.component not in ("kafka", "mongodb") else None
            rows.append(Figure("rss", f"{peak.component} peak RSS", peak.peak_mb, "MB",
                               floor.peak_rss_mb, goal))  # fmt: skip
    return rows


def figures_table(rows: list[Figure]) -> Table:
    table = Table(title="mgi bench: figures against the floor measured in this run")
    for column in ("section", "figure", "value", "unit", "floor", "x floor", "goal", "met"):
        table.add_column(
            column, justify="right" if column in ("value", "floor", "x floor") else "left"
        )
    previous = ""
    for row in rows:
        if previous and row.section != previous:
            table.add_section()
        met = "" if row.met is None else ("[green]met[/green]" if row.met else "[red]not met[/red]")
        table.add_row(
            row.section if row.section != previous else "", row.name + (f" ({row.note})" if row.note else ""),
            _number(row.value), row.unit, _number(row.floor), _ratio(row.x_floor),
            row.goal.text if row.goal else "", met,
        )  # fmt: skip
        previous = row.section
    return table


def latency_table(results: BenchResults) -> Table:
    floor = results.floor.latency
    table = Table(
        title=f"Latency, ms: inbound topic -> results.updated, {results.meta['rate']:g}/s offered"
    )
    for column in ("run", "stored", "n", "offered/s", "p50", "p95", "p99", "p99 x floor",
                   "CPU ms/subm.", "to notification p50 / p99", "p99 goal"):  # fmt: skip
        table.add_column(column, justify="left" if column == "run" else "right")
    table.add_row("floor: raw loop", "", str(floor.count), f"{results.meta['rate']:g}",
                  _number(floor.p50), _number(floor.p95), _number(floor.p99), "1.00",
                  _number(results.floor.cpu_ms_per_record), "", "")  # fmt: skip
    for run in results.latency_runs():
        table.add_row(*_latency_cells(run, floor.p99))
    return table


def _latency_cells(run: LatencyRun, floor_p99: float) -> list[str]:
    summary = run.latency
    # With results missing, each percentile is a lower bound: shown as such.
    bound = ">=" if run.missing else ""
    met = P99_GOAL.met(summary.p99) and not run.missing
    label = run.label + (f" ({_missing(run)})" if run.missing else "")
    return [
        label, f"{run.stored:,}", str(summary.count), f"{run.offered_rate:.0f}",
        bound + _number(summary.p50), bound + _number(summary.p95), bound + _number(summary.p99),
        _ratio(ratio(summary.p99, floor_p99)), _number(run.cost_ms["total"]), _notified(run),
        "[green]met[/green]" if met else "[red]not met[/red]",
    ]  # fmt: skip


def _notified(run: LatencyRun) -> str:
    """p50 / p99 ms to the subscriber's webhook POST; lower bounds with some not sent."""
    if run.notified is None:
        return "none arrived"
    bound = ">=" if run.notifications_missing else ""
    return f"{bound}{_number(run.notified.p50)} / {bound}{_number(run.notified.p99)}"


def _missing(run: LatencyRun) -> str:
    return f"{run.missing} not out: lower bound" if run.missing else ""


def printed(results: BenchResults) -> Group:
    notes = [f"note: {text}" for text in results.meta.get("notes", [])]
    return Group(figures_table(figures(results)), latency_table(results), *notes)


def _growth_ratio(results: BenchResults) -> float | None:
    growth = results.growth()
    if growth is None:
        return None
    low, high = growth
    return ratio(high.run.cost_ms["total"], low.run.cost_ms["total"])


def to_json(results: BenchResults) -> dict[str, Any]:
    return {
        "meta": results.meta,
        "floor": asdict(results.floor),
        "pipeline": asdict(results.pipeline),
        "http_intake": asdict(results.http_intake),
        "latency": asdict(results.latency),
        "stored_levels": {
            "levels": [asdict(level) for level in results.levels],
            "busy_assessment": asdict(results.busy),
            "cost_ratio_highest_to_lowest": _growth_ratio(results),
        },
        "rescore": asdict(results.rescore),
        "rss": {peak.component: peak.peak_mb for peak in results.rss},
        "figures": [_figure_json(row) for row in figures(results)],
    }


def _figure_json(row: Figure) -> dict[str, Any]:
    goal = row.goal.text if row.goal else None
    return {**asdict(row), "goal": goal, "x_floor": row.x_floor, "met": row.met}


def write_json(results: BenchResults, folder: Path) -> Path:
    path = folder / "bench.json"
    path.write_text(json.dumps(to_json(results), indent=2) + "\n")
    return path


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return (
        f"{value:,.0f}"
        if abs(value) >= 100
        else f"{value:.1f}"
        if abs(value) >= 10
        else f"{value:.2f}"
    )


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
