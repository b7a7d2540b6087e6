"""When to record that a key was used: at most once a minute per key and process.

"Last used" is for operators spotting idle or leaked keys; a database write on every
request would cost more than the request itself, so each process remembers when it last
wrote a key's use and writes again only a minute later. Pure: the caller passes the clock.
"""

USAGE_RESOLUTION_SECONDS = 60.0
# Bounded memory: beyond this many keys, the oldest entries are forgotten (a forgotten key
# just gets its use written one minute early).
MAX_REMEMBERED = 10_000


class UsageThrottle:
    def __init__(self, resolution: float = USAGE_RESOLUTION_SECONDS) -> None:
        self._resolution = resolution
        self._written: dict[str, float] = {}

    def due(self, key_id: str, now: float) -> bool:
        """True when this use should be written (and counts it as written)."""
        last = self._written.get(key_id)
        if last is not None and now - last < self._resolution:
            return False
        self._written.pop(key_id, None)
        self._written[key_id] = now
        if len(self._written) > MAX_REMEMBERED:
            del self._written[next(iter(self._written))]
        return True
