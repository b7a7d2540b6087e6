"""Calling one running service with an API key: a JSON answer, or a readable exit.

The key is sent in the Authorization header and never printed, logged or echoed back.
"""

from typing import Any

import httpx
import typer

from mgi_cli.console import console
from mgi_shared.settings import PlatformSettings


class ServiceCalls:
    def __init__(self, settings: PlatformSettings, key: str, timeout: float = 30) -> None:
        self._settings = settings
        self._headers = {"Authorization": f"Bearer {key}"}
        self._client = httpx.Client(timeout=timeout)

    def __enter__(self) -> "ServiceCalls":
        return self

    def __exit__(self, *_: object) -> None:
        self._client.close()

    def answer(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The raw answer (for callers that handle some statuses themselves)."""
        url = f"{self._settings.url_of(service)}{path}"
        try:
            return self._client.request(method, url, headers=self._headers, **kwargs)
        except httpx.HTTPError as error:
            console.print(f"[red]{service} is not reachable at {url}:[/red] {type(error).__name__}")
            raise typer.Exit(1) from error

    def json(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON answer of a 2xx; anything else ends the command with the service's reason."""
        answer = self.answer(service, method, path, **kwargs)
        if not answer.is_success:
            console.print(f"[red]{method} {path} -> {answer.status_code}:[/red] {_reason(answer)}",
                          highlight=False)  # fmt: skip
            raise typer.Exit(1)
        return answer.json() if answer.content else None


def _reason(answer: httpx.Response) -> str:
    try:
        detail = answer.json().get("detail")
    except ValueError:
        return answer.text[:300]
    return str(detail)[:300]
