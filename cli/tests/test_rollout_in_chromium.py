"""The rollout page in a real headless Chromium: drawn, sortable by stage, and offline.

MGI_ROLLOUT_SCREENSHOT=path saves the screenshot (how docs/images/rollout.png is made)."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mgi_cli.rollout.page import rollout_page
from mgi_cli.rollout.sample import sample_rollout
from mgi_shared.testing.browser import CHROMIUM, opened

pytestmark = pytest.mark.integration


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
async def test_rollout_page_draws_and_sorts_by_stage_offline(tmp_path: Path) -> None:
    path = tmp_path / "rollout.html"
    path.write_text(rollout_page(sample_rollout(), datetime(2026, 11, 27, 20, tzinfo=UTC)))
    async with opened(path, width=1150, height=900) as opened_page:
        page = opened_page.page
        order = "rows => rows.map(r => r.dataset.assessment)"
        # Opens sorted by stage, furthest along first.
        stages = await page.locator("#rollout tbody tr").evaluate_all(
            "rows => rows.map(r => Number(r.dataset.stage))"
        )
        assert stages == sorted(stages, reverse=True) and stages[0] == 5
        bars = page.locator("svg.stage-chart rect.bar")
        assert await bars.count() == 6
        heights = await bars.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().height)")
        assert max(heights) > 50 and min(heights) > 0
        fills = await page.locator("svg.completeness rect.fill").evaluate_all(
            "bs => bs.map(b => b.getBoundingClientRect().width)"
        )
        assert max(fills) == pytest.approx(120, abs=1) and min(fills) == 0
        if target := os.environ.get("MGI_ROLLOUT_SCREENSHOT"):
            await page.screenshot(path=target, full_page=True)
        await page.click("button[data-sort=stage]")  # again: earliest stage first
        stages = await page.locator("#rollout tbody tr").evaluate_all(
            "rows => rows.map(r => Number(r.dataset.stage))"
        )
        assert stages == sorted(stages) and stages[0] == 0
        await page.click("button[data-sort=jurisdiction]")
        by_code = await page.locator("#rollout tbody tr").evaluate_all(order)
        assert by_code[0] == "IDN-2026-national" and by_code[-1] == "SEN-2026-national"
        assert await page.get_attribute("button[data-sort=jurisdiction]", "aria-pressed") == "true"
    assert opened_page.only_local_files_requested(), opened_page.requests
