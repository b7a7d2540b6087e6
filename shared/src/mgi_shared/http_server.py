"""How uvicorn serves every service, in production and in the tests alike.

Three bounds keep a slow or idle client from holding a connection for ever:
the keep-alive timeout (idle between requests, uvicorn's own), the header
deadline (HeaderDeadlineProtocol) and the body deadline (BodyLimit).
"""

from typing import Any

from mgi_shared.http_header_deadline import HeaderDeadlineProtocol

# uvicorn's default, stated here because it is one of the three bounds.
KEEP_ALIVE_SECONDS = 5


def server_options() -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config`."""
    return {"http": HeaderDeadlineProtocol, "timeout_keep_alive": KEEP_ALIVE_SECONDS}
