"""Recording when each key was last used, throttled (see mgi_intake.domain.key_usage)."""

import time
from collections.abc import Callable
from datetime import UTC, datetime

import structlog
from pymongo.errors import PyMongoError

from mgi_intake.adapters.api_keys import ApiKeyRepository
from mgi_intake.domain.key_usage import UsageThrottle
from mgi_shared.auth import KeyUsed

log = structlog.get_logger(__name__)


def usage_recorder(
    keys: ApiKeyRepository,
    throttle: UsageThrottle,
    clock: Callable[[], float] = time.monotonic,
) -> KeyUsed:
    async def used(key_id: str) -> None:
        if not throttle.due(key_id, clock()):
            return
        try:
            await keys.record_use(key_id, datetime.now(UTC))
        except PyMongoError as error:
            # Bookkeeping only: the request goes on (it will fail by itself if the
            # database is really gone).
            log.warning("key_use_not_recorded", key_id=key_id, error=type(error).__name__)

    return used
