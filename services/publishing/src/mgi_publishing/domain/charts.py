"""Geometry of each domain's bar chart (one bar per sub-area); the page template draws it.

Computed here, drawn as inline SVG by the template (escaped like every other text), so the
chart needs no script and no font from the network.
"""

from dataclasses import dataclass

WIDTH = 640
LEFT = 20  # room for the first tick label, centred on the axis
BAR_SPACE = WIDTH - 2 * LEFT - 56  # room for the value after the bar
ROW = 44  # label line above, bar below
TOP = 8
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    label_y: int
    bar_y: int
    width: float
    value_text: str


@dataclass(frozen=True)
class Chart:
    chart_id: str
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    axis_top: int
    axis_bottom: int
    left: int = LEFT


def percent(score: float | None, missing: str) -> str:
    return missing if score is None else f"{round(score * 100)}%"


def domain_chart(
    chart_id: str, sub_areas: list[str], scores: list[float | None], missing: str
) -> Chart:
    bars = []
    for position, (label, score) in enumerate(zip(sub_areas, scores, strict=True)):
        top = TOP + position * ROW
        bars.append(
            Bar(
                label=label,
                score=score,
                label_y=top + 14,
                bar_y=top + 20,
                width=round(BAR_SPACE * (score or 0.0), 1),
                value_text=percent(score, missing),
            )
        )
    bottom = TOP + len(sub_areas) * ROW
    ticks = [(LEFT + BAR_SPACE * t / 100, f"{t}%") for t in TICKS]
    return Chart(chart_id, bottom + 24, bars, ticks, TOP, bottom)
