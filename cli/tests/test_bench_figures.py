"""The benchmark's arithmetic: percentiles, ratios to the floor, goals (pure)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mgi_cli.bench.figures import (
    GROWTH_GOAL,
    P99_GOAL,
    PIPELINE_GOAL,
    Figure,
    LatencySummary,
    percentile,
    ratio,
)
from mgi_cli.bench.options import bench_options, parse_levels

pytestmark = pytest.mark.unit


def test_percentiles_interpolate_between_ranks() -> None:
    samples = [10.0, 20.0, 30.0, 40.0]
    assert percentile(samples, 0) == 10
    assert percentile(samples, 50) == 25
    assert percentile(samples, 100) == 40
    assert percentile([7.0], 99) == 7


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=200), st.floats(0, 100))
def test_percentiles_agree_with_numpy(samples: list[float], q: float) -> None:
    assert percentile(samples, q) == pytest.approx(float(np.percentile(samples, q)), abs=1e-6)


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_latency_summary_is_in_milliseconds() -> None:
    summary = LatencySummary.of_seconds([0.001 * n for n in range(1, 101)])
    assert summary.count == 100
    assert summary.p50 == pytest.approx(50.5)
    assert summary.p99 == pytest.approx(99.01)
    assert summary.max == pytest.approx(100)


def test_ratio_needs_a_usable_floor() -> None:
    assert ratio(30, 10) == 3
    assert ratio(30, 0) is None
    assert ratio(30, None) is None


def test_goals_are_judged_on_their_own_side() -> None:
    assert PIPELINE_GOAL.met(150) and not PIPELINE_GOAL.met(149.9)
    assert P99_GOAL.met(249.9) and not P99_GOAL.met(250)
    assert GROWTH_GOAL.met(1.2) and not GROWTH_GOAL.met(1.21)


def test_a_figure_carries_its_ratio_and_verdict() -> None:
    row = Figure("pipeline", "throughput", 40, "subm./s", floor=200, goal=PIPELINE_GOAL)
    assert row.x_floor == pytest.approx(0.2)
    assert row.met is False
    assert Figure("floor", "loop", 200, "records/s").met is None


def test_quick_form_is_small_and_options_override_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    quick = bench_options(tmp_path, quick=True, rate=None, duration=3.0)
    full = bench_options(tmp_path, quick=False)
    assert quick.duration == 3.0 and quick.rate < full.rate
    assert quick.stored < full.stored and full.stored == (1000, 20000)
    assert (full.rate, full.duration, full.http_clients) == (100.0, 60.0, 16)


def test_stored_levels_parse_in_ascending_order() -> None:
    assert parse_levels("20000, 1000") == (1000, 20000)
    with pytest.raises(ValueError, match="positive"):
        parse_levels("0,10")
