"""The run's own HTTP portal (`PORTAL_URL`): records each profile PUT, and answers 503 while
a scenario says it is failing, as a portal in maintenance would."""

import time
from collections import Counter
from typing import Any


class Portal:
    def __init__(self, port: int) -> None:
        self.port = port
        self.failing_until = 0.0  # time.monotonic(); 503 before it
        self.stored: Counter[str] = Counter()  # assessment id -> PUTs answered 200
        self.refused = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        path = str(scope["path"])
        if scope["method"] == "PUT" and path.startswith("/profiles/"):
            if time.monotonic() < self.failing_until:
                self.refused += 1
                status = 503
            else:
                self.stored[path.removeprefix("/profiles/")] += 1
                status = 200
        else:
            status = 404
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})
