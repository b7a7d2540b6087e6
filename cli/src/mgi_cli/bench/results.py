"""Everything one run measured, in one value the report, JSON and chart are drawn from."""

from dataclasses import dataclass
from typing import Any

from mgi_cli.bench.floor import FloorFigures
from mgi_cli.bench.http_intake import HttpIntakeRun
from mgi_cli.bench.latency import LatencyRun
from mgi_cli.bench.levels import LevelRun
from mgi_cli.bench.pipeline import PipelineRun
from mgi_cli.bench.rescore import RescoreRun
from mgi_cli.bench.rss import PeakRss


@dataclass(frozen=True)
class BenchResults:
    meta: dict[str, Any]  # run id, time, sizes, machine
    floor: FloorFigures
    pipeline: PipelineRun
    http_intake: HttpIntakeRun
    levels: list[LevelRun]  # the fixed load at each stored level, lowest first
    busy: LatencyRun  # the same load inside one heavily answered assessment
    rescore: RescoreRun
    rss: list[PeakRss]

    @property
    def latency(self) -> LatencyRun:
        """The fixed load at the lowest level: every other latency is compared with it."""
        return self.levels[0].run

    def latency_runs(self) -> list[LatencyRun]:
        return [level.run for level in self.levels] + [self.busy]

    def growth(self) -> tuple[LevelRun, LevelRun] | None:
        """(lowest, highest) stored level, for the per-submission cost ratio between them."""
        return (self.levels[0], self.levels[-1]) if len(self.levels) >= 2 else None
