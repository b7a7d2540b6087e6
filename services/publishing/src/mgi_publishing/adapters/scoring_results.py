"""The full results of an assessment, read from scoring's API (contract section 5).

`mgi.results.updated.v1` carries only what changed, and no service reads another's
database, so publishing asks scoring for the whole document when it publishes, with
the admin key (sent, never logged).
"""

from typing import Any
from urllib.parse import quote

import httpx

from mgi_shared.kafka.reliable import OutageError


class ResultsUnavailableError(OutageError):
    """Scoring could not answer now (down, overloaded, or behind the event we hold). An
    outage of a dependency, like one of the broker or database: the record is parked and
    retried without spending its attempts, so a validation is not dead-lettered because
    scoring restarted."""


class ResultsRefusedError(Exception):
    """Scoring refused the admin key (services configured with different keys): retried a
    few times, then dead-lettered for an operator to see."""


class ScoringResults:
    def __init__(self, base_url: str, admin_key: str | None, timeout: float = 10.0) -> None:
        self._base_url = base_url
        self._admin_key = admin_key
        self._timeout = timeout

    async def latest(self, assessment_id: str) -> dict[str, Any] | None:
        """The current results, or None when scoring has none yet (no catalogue known)."""
        if not self._admin_key:
            raise ResultsRefusedError("no admin key to read results from scoring with")
        url = f"{self._base_url}/v1/assessments/{quote(assessment_id, safe='')}/results"
        headers = {"Authorization": f"Bearer {self._admin_key}"}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise ResultsUnavailableError(f"scoring unreachable: {type(error).__name__}") from error
        if response.status_code == 404:
            return None
        if response.status_code in (401, 403):
            raise ResultsRefusedError(f"scoring answered {response.status_code} to the admin key")
        if response.status_code != 200:
            raise ResultsUnavailableError(f"scoring answered {response.status_code}")
        results: dict[str, Any] = response.json()
        return results
