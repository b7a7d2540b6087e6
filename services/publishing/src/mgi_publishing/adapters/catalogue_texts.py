"""Catalogue texts (domain names, indicator questions per language) for the pages.

The assessment event carries the catalogue's structure only. The built-in catalogues
are in the shared package; any other version is read once from intake's
`GET /v1/catalogues/{version}` (a version never changes, so it is cached).
"""

import logging
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.catalogue.model import Catalogue

logger = logging.getLogger(__name__)


class CatalogueTexts:
    def __init__(self, intake_url: str, admin_key: str | None, timeout: float = 10.0) -> None:
        self._intake_url = intake_url
        self._admin_key = admin_key
        self._timeout = timeout
        self._cache: dict[str, Catalogue] = {c.version: c for c in builtin_catalogues()}

    async def get(self, version: str) -> Catalogue | None:
        """The catalogue, or None when intake cannot give it now: the pages then show codes
        instead of texts rather than holding the publication back."""
        if version in self._cache:
            return self._cache[version]
        catalogue = await self._from_intake(version)
        if catalogue is not None:
            self._cache[version] = catalogue
        return catalogue

    async def _from_intake(self, version: str) -> Catalogue | None:
        if not self._admin_key:
            return None
        url = f"{self._intake_url}/v1/catalogues/{quote(version, safe='')}"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(
                    url, headers={"Authorization": f"Bearer {self._admin_key}"}
                )
            response.raise_for_status()
            return Catalogue.model_validate(response.json())
        except (httpx.HTTPError, ValidationError) as error:
            logger.warning(
                "catalogue texts unavailable; pages will show indicator codes",
                extra={"catalogue_version": version, "error": type(error).__name__},
            )
            return None
