"""The rollout table and page for a seeded rollout (pure rendering, no services)."""

import re
from datetime import UTC, datetime

import pytest
from rich.console import Console

from mgi_cli.rollout.model import per_stage
from mgi_cli.rollout.page import rollout_page
from mgi_cli.rollout.sample import sample_rollout
from mgi_cli.rollout.table import rollout_table

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)


def test_the_table_has_one_line_per_assessment() -> None:
    console = Console(width=200, record=True)
    console.print(rollout_table(sample_rollout()))
    text = console.export_text()
    line = next(x for x in text.splitlines() if "KEN-2026-national" in x)
    for cell in ("KEN", "2", "Draft profile", "77%", "3", "2026-11-20 09:30", "no"):
        assert cell in line
    assert "Published" in next(x for x in text.splitlines() if "KEN-2024-national" in x)
    philippines = next(x for x in text.splitlines() if "PHL-2026" in x)
    assert re.search(r"Launched\s+│\s+-\s+│\s+-\s+│\s+-\s+│\s+no", philippines), philippines


def test_the_page_shows_every_assessment_its_stage_and_completeness_without_the_network() -> None:
    rows = sample_rollout()
    page = rollout_page(rows, NOW)
    assert page.count('<tr data-stage="') == len(rows)
    assert 'data-assessment="KEN-2026-national"' in page
    assert re.search(r'data-stage="2" data-jurisdiction="KEN" data-completeness="0.7700"', page)
    assert page.count('class="stage-track"') == len(rows)
    assert page.count('class="completeness"') == len(rows)
    assert 'class="conflicts">3<' in page
    assert per_stage(rows) == [1, 2, 1, 1, 1, 1]
    assert "7 assessment(s) in 5 countries" in page
    # Self-contained: no address to fetch anything from.
    assert not re.search(r"(src|href)=|https?://|@import|url\(", page)


def test_names_are_escaped() -> None:
    row = sample_rollout()[0]
    hostile = row.__class__(**{**row.__dict__, "jurisdiction_name": "<script>x</script>"})
    assert "<script>x" not in rollout_page([hostile], NOW)
