"""The shape of bench.json and of the printed tables, from made-up figures (pure)."""

import json
from dataclasses import replace

import pytest
from rich.console import Console

from mgi_cli.bench.figures import LatencySummary
from mgi_cli.bench.floor import FloorFigures
from mgi_cli.bench.http_intake import HttpIntakeRun
from mgi_cli.bench.latency import LatencyRun
from mgi_cli.bench.levels import LevelRun
from mgi_cli.bench.pipeline import PipelineRun
from mgi_cli.bench.report import figures, printed, to_json
from mgi_cli.bench.rescore import RescoreRun
from mgi_cli.bench.results import BenchResults
from mgi_cli.bench.rss import PeakRss
from mgi_cli.bench.seeding import SeedRun

pytestmark = pytest.mark.unit

SECTIONS = {"floor", "pipeline", "http_intake", "latency", "stored_levels", "rescore", "rss"}


def latency_run(label: str, stored: int, p99: float, cost: float) -> LatencyRun:
    summary = LatencySummary(count=100, p50=p99 / 3, p95=p99 / 1.5, p99=p99, max=p99 * 1.1)
    costs = {"intake": cost / 2, "scoring": cost / 2, "total": cost}
    notified = LatencySummary(count=100, p50=p99 / 2, p95=p99, p99=p99 * 2, max=p99 * 3)
    return LatencyRun(label, stored, 100, 99.5, summary, 0, costs, costs, notified)


def level(stored: int, p99: float, cost: float) -> LevelRun:
    seed = SeedRun(stored, 0, stored, 10.0, stored)
    return LevelRun(seed, latency_run(f"level {stored}", stored, p99, cost))


def results() -> BenchResults:
    meta = {"run_id": "abcd1234", "started_at": "2026-01-01T00:00:00Z", "quick": True,
            "cpus": 2, "rate": 100.0}  # fmt: skip
    http = HttpIntakeRun(200, 16, 200, 0, 2.0, 100.0, LatencySummary(200, 100, 150, 200, 250))
    return BenchResults(
        meta=meta,
        floor=FloorFigures(1000, 250.0, LatencySummary(50, 5.0, 8.0, 10.0, 12.0), 40.0, 4.0),
        pipeline=PipelineRun(200, 200, 0.1, 5.0, 40.0),
        http_intake=http,
        levels=[level(1000, 200.0, 20.0), level(20000, 300.0, 26.0)],
        busy=latency_run("busy", 20500, 400.0, 30.0),
        rescore=RescoreRun(100, 98, 1.0, 0, 0, 2.0, 2.1),
        rss=[PeakRss("intake", 10, 90.0), PeakRss("kafka", None, None)],
    )


def test_json_has_every_section_and_is_plain_json() -> None:
    document = json.loads(json.dumps(to_json(results())))
    assert set(document) >= SECTIONS
    assert document["latency"]["notified"]["p99"] == pytest.approx(400.0)
    assert document["stored_levels"]["cost_ratio_highest_to_lowest"] == pytest.approx(1.3)
    assert document["rss"] == {"intake": 90.0, "kafka": None}


def test_every_figure_has_its_floor_and_goals_are_judged() -> None:
    rows = {row.name: row for row in figures(results())}
    pipeline = rows["inbound -> results.updated, full speed"]
    assert pipeline.x_floor == pytest.approx(40 / 250) and pipeline.met is False
    assert rows["CPU cost at 20,000 vs 1,000 stored"].met is False  # 1.3x > 1.2x
    assert rows["CPU per submission, level 1000"].x_floor == pytest.approx(5)
    assert rows["intake peak RSS"].met is True
    assert "kafka peak RSS" not in rows  # not started by the stack: nothing to show
    ratios = [row for row in rows.values() if row.unit != "x"]
    assert all(row.x_floor is not None for row in ratios)


def test_results_that_never_came_out_make_lower_bounds() -> None:
    base = latency_run("level 1000", 1000, 200.0, 20.0)
    incomplete = replace(base, missing=7)
    first = LevelRun(SeedRun(1000, 0, 1000, 10.0, 1000), incomplete)
    console = Console(record=True, width=200)
    console.print(printed(replace(results(), levels=[first, *results().levels[1:]])))
    text = console.export_text()
    assert "7 not out: lower bound" in text and ">=200" in text


def test_tables_show_the_notification_column_and_the_verdicts() -> None:
    late = replace(results(), busy=replace(results().busy, notifications_missing=3))
    console = Console(record=True, width=220)
    console.print(printed(late))
    text = console.export_text()
    assert "to notification p50 / p99" in text
    assert "100 / 400" in text  # level 1000: p50 and p99 of its notifications
    assert ">=200 / >=800" in text  # some notifications never came: lower bounds
    assert "not met" in text and "met" in text
