"""The static portal: files under MGI_DATA_DIR/portal/<jurisdiction>/<assessment>/.

Each file is written whole, then renamed into place; the data files first and the pages
last, so a page never links to data that is not there yet. The front page is rebuilt
from the profiles on disk after each write (no database scan).
"""

import asyncio
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from mgi_publishing.adapters.atomic_files import write_atomically
from mgi_publishing.domain.attempts import Attempt, Outcome, PortalOutcome
from mgi_publishing.domain.csv_export import country_of, indicators_csv
from mgi_publishing.domain.page import ListedProfile, render_pages, render_portal_index
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.profile import Profile

logger = logging.getLogger(__name__)


class StaticPortal:
    target = "static"

    def __init__(self, root: Path) -> None:
        self.root = root
        # One front-page rebuild at a time in this process, so none misses a profile.
        self._index_lock = asyncio.Lock()

    def folder(self, profile: Profile) -> Path:
        return self.root / _safe(profile.jurisdiction.code) / _safe(profile.assessment_id)

    async def put(
        self, profile: Profile, catalogue: Catalogue | None, publication_id: str
    ) -> PortalOutcome:
        folder = self.folder(profile)
        location = str(folder / "index.html")
        try:
            files = {
                "profile.json": profile.model_dump_json(indent=2) + "\n",
                "indicators.csv": indicators_csv(profile, catalogue),
                **render_pages(profile, catalogue),
            }
            await asyncio.to_thread(_write_all, folder, files)
            async with self._index_lock:
                await asyncio.to_thread(self._rebuild_index)
        except OSError as error:
            return _outcome(profile, publication_id, None, f"{type(error).__name__}: {error}")
        return _outcome(profile, publication_id, location, None)

    def _rebuild_index(self) -> None:
        listed = []
        for path in sorted(self.root.glob("*/*/profile.json")):
            try:
                profile = Profile.model_validate_json(path.read_text(encoding="utf-8"))
            except (OSError, ValidationError, json.JSONDecodeError):
                logger.warning("unreadable profile skipped on the portal's front page",
                               extra={"path": str(path)})  # fmt: skip
                continue
            listed.append(
                ListedProfile(
                    country=country_of(profile),
                    jurisdiction_code=profile.jurisdiction.code,
                    jurisdiction_name=profile.jurisdiction.name,
                    assessment_id=profile.assessment_id,
                    scope=profile.scope,
                    round=profile.round,
                    revision=profile.revision,
                    published_at=profile.published_at,
                    href=str(path.parent.relative_to(self.root) / "index.html"),
                )
            )
        write_atomically(self.root / "index.html", render_portal_index(listed))


def _write_all(folder: Path, files: dict[str, str]) -> None:
    pages = [name for name in files if name.endswith(".html")]
    for name in [*(n for n in files if n not in pages), *pages]:
        write_atomically(folder / name, files[name])


def _safe(part: str) -> str:
    """Ids become folder names: no separators or parent references."""
    cleaned = part.replace("/", "_").replace("\\", "_")
    return "_" + cleaned if cleaned.startswith(".") else cleaned


def _outcome(
    profile: Profile, publication_id: str, location: str | None, error: str | None
) -> PortalOutcome:
    attempt = Attempt(
        assessment_id=profile.assessment_id,
        publication_id=publication_id,
        revision=profile.revision,
        target=StaticPortal.target,
        attempt=1,
        at=datetime.now(UTC),
        status=Outcome.FAILED if error else Outcome.SUCCEEDED,
        error=error,
        location=location,
    )
    return PortalOutcome(
        succeeded=error is None,
        target=StaticPortal.target,
        location=location,
        error=error,
        attempts=[attempt],
    )
