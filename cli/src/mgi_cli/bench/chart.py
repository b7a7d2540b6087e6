"""bench.png: throughput, latency, per-submission cost and memory, each beside its floor."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers or in CI

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from mgi_cli.bench.figures import P99_GOAL, PIPELINE_GOAL, RSS_GOAL
from mgi_cli.bench.results import BenchResults
from mgi_cli.bench.rss import OTHER_COMPONENTS

FLOOR_COLOUR, PLATFORM_COLOUR, GOAL_COLOUR = "#999999", "#1f77b4", "#d62728"
INFRA_COLOUR = "#c7c7c7"


def write_chart(results: BenchResults, folder: Path) -> Path:
    figure, axes = plt.subplots(2, 2, figsize=(13, 9))
    _throughput(axes[0][0], results)
    _latency(axes[0][1], results)
    _cost(axes[1][0], results)
    _memory(axes[1][1], results)
    meta = results.meta
    figure.suptitle(f"mgi bench {meta['run_id']} ({meta['started_at']}, {meta['cpus']} CPUs"
                    f"{', quick form' if meta['quick'] else ''})")  # fmt: skip
    figure.tight_layout()
    path = folder / "bench.png"
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _throughput(ax: Axes, results: BenchResults) -> None:
    labels = [
        "floor: raw loop",
        "pipeline (Kafka in)",
        f"HTTP intake ({results.http_intake.clients} clients)",
    ]
    values = [
        results.floor.records_per_second,
        results.pipeline.per_second,
        results.http_intake.per_second,
    ]
    ax.bar(labels, values, color=[FLOOR_COLOUR, PLATFORM_COLOUR, PLATFORM_COLOUR])
    ax.axhline(
        PIPELINE_GOAL.threshold,
        color=GOAL_COLOUR,
        linestyle="--",
        label=f"pipeline goal {PIPELINE_GOAL.text}",
    )
    ax.set_ylabel("records or submissions / s")
    ax.set_title("Throughput")
    ax.legend(fontsize=8)


def _runs(results: BenchResults) -> list[tuple[str, list[float]]]:
    runs = [
        ("floor", [results.floor.latency.p50, results.floor.latency.p95, results.floor.latency.p99])
    ]
    for run in results.latency_runs():
        runs.append((run.label, [run.latency.p50, run.latency.p95, run.latency.p99]))
    return runs


def _latency(ax: Axes, results: BenchResults) -> None:
    runs = _runs(results)
    width = 0.27
    for offset, name in enumerate(("p50", "p95", "p99")):
        ax.bar(
            [i + (offset - 1) * width for i in range(len(runs))],
            [r[1][offset] for r in runs],
            width,
            label=name,
        )
    ax.set_xticks(range(len(runs)), [r[0] for r in runs], rotation=20, ha="right", fontsize=8)
    ax.axhline(P99_GOAL.threshold, color=GOAL_COLOUR, linestyle="--", label=f"goal {P99_GOAL.text}")
    ax.set_yscale("log")
    ax.set_ylabel("ms (log scale)")
    ax.set_title(f"Latency inbound -> results.updated at {results.meta['rate']:g}/s")
    ax.legend(fontsize=8)


def _cost(ax: Axes, results: BenchResults) -> None:
    runs = results.latency_runs()
    labels = [run.label for run in runs]
    bottom = [0.0] * len(runs)
    for component in ("intake", "scoring", "kafka", "mongodb"):
        heights = [run.cost_ms.get(component, 0.0) for run in runs]
        if any(heights):
            ax.bar(labels, heights, bottom=bottom, label=component)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.axhline(
        results.floor.cpu_ms_per_record,
        color=FLOOR_COLOUR,
        linestyle="--",
        label="floor: one loop record",
    )
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    ax.set_ylabel("CPU ms per submission")
    ax.set_title("Per-submission cost by stored level")
    ax.legend(fontsize=8)


def _memory(ax: Axes, results: BenchResults) -> None:
    measured = [(peak.component, peak.peak_mb) for peak in results.rss if peak.peak_mb is not None]
    labels = ["floor loop", *(name for name, _ in measured)]
    values = [results.floor.peak_rss_mb, *(mb for _, mb in measured)]
    # The goal is the services'; the broker and the database (JVMs) are drawn apart.
    colours = [
        INFRA_COLOUR if name in OTHER_COMPONENTS else PLATFORM_COLOUR for name, _ in measured
    ]
    ax.bar(labels, values, color=[FLOOR_COLOUR, *colours])
    ax.axhline(RSS_GOAL.threshold, color=GOAL_COLOUR, linestyle="--", label=f"goal {RSS_GOAL.text}")
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    ax.set_ylabel("peak RSS, MB (VmHWM)")
    ax.set_title("Memory")
    ax.legend(fontsize=8)
