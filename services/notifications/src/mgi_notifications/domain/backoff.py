"""How long a failed delivery waits before its next attempt."""

MAX_RETRY_SECONDS = 15 * 60.0


def retry_delay(attempts_made: int, base_seconds: float) -> float:
    """Doubling from `base_seconds` after the first failure, capped at a quarter of an hour."""
    return float(min(base_seconds * 2 ** max(attempts_made - 1, 0), MAX_RETRY_SECONDS))
