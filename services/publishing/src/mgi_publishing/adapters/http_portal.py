"""The HTTP portal: `PUT {PORTAL_URL}/profiles/{assessment_id}` with the profile as body.

`Idempotency-Key: <assessment_id>:<revision>` lets the portal recognise a repeat (after a
crash, or a retry whose answer was lost). 5xx, 429 and network errors are retried by
stamina with exponential backoff and jitter (a 429's or 503's Retry-After is honoured),
within a time budget; any other 4xx is a permanent failure. Every attempt is returned for
the record. The bearer token is sent, never logged or put on a span.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx
import stamina
from pydantic import SecretStr

from mgi_publishing.domain.attempts import Attempt, Outcome, PortalOutcome
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.profile import Profile

logger = logging.getLogger(__name__)


class RetryableError(Exception):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HttpPortal:
    target = "http"

    def __init__(
        self,
        base_url: str,
        token: SecretStr | None,
        *,
        timeout: float = 10.0,
        budget_seconds: float = 60.0,
        max_attempts: int = 8,
        wait_initial: float = 0.5,
        wait_max: float = 10.0,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._budget = budget_seconds
        self._max_attempts = max_attempts
        self._wait_initial = wait_initial
        self._wait_max = wait_max

    def location(self, assessment_id: str) -> str:
        return f"{self._base_url}/profiles/{quote(assessment_id, safe='')}"

    def _headers(self, profile: Profile) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"{profile.assessment_id}:{profile.revision}",
        }
        if self._token is not None and self._token.get_secret_value():
            headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        return headers

    def _backoff(self, error: Exception) -> bool | float:
        """Retry only what may pass later; wait what the portal asked for, if it asked
        (capped, so one answer cannot spend the whole budget)."""
        if not isinstance(error, RetryableError):
            return False
        if error.retry_after is not None:
            return min(max(error.retry_after, 0.0), self._budget / 2)
        return True

    async def put(
        self, profile: Profile, catalogue: Catalogue | None, publication_id: str
    ) -> PortalOutcome:
        url = self.location(profile.assessment_id)
        body = profile.model_dump_json().encode()
        attempts: list[Attempt] = []

        def record(outcome: Outcome, status: int | None, error: str | None) -> None:
            attempts.append(
                Attempt(assessment_id=profile.assessment_id, publication_id=publication_id,
                        revision=profile.revision,
                        target=self.target, attempt=len(attempts) + 1, at=datetime.now(UTC),
                        status=outcome, http_status=status, error=error,
                        location=url if outcome is Outcome.SUCCEEDED else None)
            )  # fmt: skip

        async with httpx.AsyncClient(timeout=self._timeout) as client:
            try:
                async for attempt in stamina.retry_context(
                    on=self._backoff,
                    attempts=self._max_attempts,
                    timeout=self._budget,
                    wait_initial=self._wait_initial,
                    wait_max=self._wait_max,
                ):
                    with attempt:
                        response = await self._send(client, url, body, profile, record)
                        if response.is_success:
                            record(Outcome.SUCCEEDED, response.status_code, None)
                            return self._outcome(attempts, url, None)
                        error = f"portal answered {response.status_code}"
                        if response.status_code == 429 or response.status_code >= 500:
                            record(Outcome.RETRYING, response.status_code, error)
                            raise RetryableError(error, _retry_after(response))
                        record(Outcome.FAILED, response.status_code, error)
                        return self._outcome(attempts, None, f"{error} (permanent)")
            except RetryableError as last:
                attempts[-1] = attempts[-1].model_copy(update={"status": Outcome.FAILED})
                message = f"{last} after {len(attempts)} attempts"
                return self._outcome(attempts, None, message)
        raise AssertionError("unreachable: the retry loop returns or raises")

    async def _send(
        self,
        client: httpx.AsyncClient,
        url: str,
        body: bytes,
        profile: Profile,
        record: Callable[[Outcome, int | None, str | None], None],
    ) -> httpx.Response:
        try:
            return await client.put(url, content=body, headers=self._headers(profile))
        except httpx.TransportError as error:
            message = f"network error: {type(error).__name__}"
            record(Outcome.RETRYING, None, message)
            raise RetryableError(message, None) from error

    def _outcome(
        self, attempts: list[Attempt], location: str | None, error: str | None
    ) -> PortalOutcome:
        return PortalOutcome(succeeded=error is None, target=self.target, location=location,
                             error=error, attempts=attempts)  # fmt: skip


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)
