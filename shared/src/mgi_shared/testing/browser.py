"""Opening a page in Debian's headless Chromium (driven by playwright, whose own browser
downloads are never used), recording every request the page makes, so a test can check
that a page meant to work offline asks the network for nothing."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Page, Request, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@dataclass
class OpenedPage:
    page: Page
    requests: list[str] = field(default_factory=list)

    def only_local_files_requested(self) -> bool:
        return bool(self.requests) and all(url.startswith("file://") for url in self.requests)


@contextlib.asynccontextmanager
async def opened(path: Path, width: int = 900, height: int = 1200) -> AsyncIterator[OpenedPage]:
    """`path` loaded in a fresh headless Chromium, every request it made recorded."""
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = await browser.new_page(viewport={"width": width, "height": height})
            opened_page = OpenedPage(page)

            def seen(request: Request) -> None:
                opened_page.requests.append(request.url)

            page.on("request", seen)
            await page.goto(path.as_uri(), wait_until="load")
            yield opened_page
        finally:
            await browser.close()
