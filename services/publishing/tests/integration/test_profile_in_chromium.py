"""The HTML profile in a real headless Chromium (Debian's package, driven by playwright):
the domain charts are drawn, and opening the page makes no network request at all.

MGI_PROFILE_SCREENSHOT=path saves the full-page screenshot (how docs/images/profile.png
is made)."""

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from mgi_publishing.adapters.static_portal import StaticPortal
from mgi_publishing.domain.profile import build_profile, page_languages
from mgi_publishing.domain.state import AssessmentInfo
from mgi_publishing.testing import catalogue, results
from mgi_shared.contracts.payloads import JurisdictionData
from mgi_shared.testing.browser import CHROMIUM, opened

pytestmark = pytest.mark.integration


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
async def test_profile_page_draws_its_charts_offline(tmp_path: Path) -> None:
    cat = catalogue("national")
    info = AssessmentInfo(
        jurisdiction=JurisdictionData(code="KEN", name="Kenya"), scope="national", round=2,
        catalogue_version=cat.version, languages=["en", "fr", "sw"],
    )  # fmt: skip
    profile = build_profile(results("KEN-2026-national", 4, previous=True), info,
                            page_languages(info.languages, cat.languages),
                            datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # fmt: skip
    portal = StaticPortal(tmp_path)
    outcome = await portal.put(profile, cat, "pub-1")
    assert outcome.succeeded
    page_path = portal.folder(profile) / "index.html"

    async with opened(page_path) as opened_page:
        page = opened_page.page
        assert await page.get_attribute("html", "lang") == "en"
        charts = page.locator("svg.domain-chart")
        assert await charts.count() == 6
        for n in range(6):
            chart = charts.nth(n)
            box = await chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 50
            assert await chart.locator("title").count() == 1
            assert await chart.locator("desc").count() == 1
            widths = await chart.locator("rect.bar").evaluate_all(
                "bars => bars.map(b => b.getBoundingClientRect().width)"
            )
            assert max(widths) > 0, "bars are drawn"
            shot = Image.open(io.BytesIO(await chart.screenshot())).convert("RGB")
            assert _bar_pixels(shot) > 200, "the chart shows its bars on screen"
        if target := os.environ.get("MGI_PROFILE_SCREENSHOT"):
            await page.screenshot(path=target, full_page=True)
        await page.click("a[hreflang=fr]")
        assert await page.get_attribute("html", "lang") == "fr"
    assert opened_page.only_local_files_requested(), opened_page.requests


def _bar_pixels(image: Image.Image) -> int:
    """Pixels of the bars' colour (#1f5f8b), allowing for anti-aliasing."""
    return sum(
        1
        for r, g, b in image.get_flattened_data()  # type: ignore[misc]
        if abs(r - 0x1F) < 12 and abs(g - 0x5F) < 12 and abs(b - 0x8B) < 12
    )
