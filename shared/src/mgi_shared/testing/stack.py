"""The whole platform as real processes (`mgi stack up`) on the session's broker and database,
for end-to-end tests: its own instance, ports and data directory, traces on the console."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

from mgi_shared.contracts.topics import SERVICES, all_topics
from mgi_shared.testing.kafka import start_services_at_end

# Settings a developer's shell may hold that would point the test stack elsewhere.
OUTSIDE_SETTINGS = ("OTEL_", "MGI_", "PORTAL_", "SCORING_URL", "INTAKE_URL")


@contextmanager
def running_stack(
    infra: Any,
    data_dir: Path,
    ports: dict[str, int],
    admin_token: str,
    name: str,
    extra_env: dict[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Yields the environment the stack runs with; stops it afterwards. Its consumer groups
    start at the topics' current end, so earlier tests' records on the shared broker are not
    handled again. `extra_env` adds or overrides settings (e.g. an OTLP endpoint instead of
    the console exporter, an SMTP server)."""
    instance = f"{name}{uuid4().hex[:8]}"
    topics = [t.name for t in all_topics()]
    asyncio.run(start_services_at_end(infra.kafka, instance, SERVICES, topics))
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUTSIDE_SETTINGS)}
    env.update({k: str(v) for k, v in ports.items()})
    env.update(KAFKA_BOOTSTRAP_SERVERS=infra.kafka, MONGODB_URL=infra.mongodb_url,
               MGI_DATA_DIR=str(data_dir), MGI_ADMIN_TOKEN=admin_token, MGI_INSTANCE=instance,
               OTEL_TRACES_EXPORTER="console", OTEL_BSP_SCHEDULE_DELAY="200")  # fmt: skip
    env.update(extra_env or {})
    up = subprocess.run([sys.executable, "-m", "mgi_cli.main", "stack", "up"], env=env,
                        capture_output=True, text=True, timeout=240)  # fmt: skip
    assert up.returncode == 0, up.stdout + up.stderr
    try:
        yield env
    finally:
        subprocess.run([sys.executable, "-m", "mgi_cli.main", "stack", "down"], env=env,
                       capture_output=True, timeout=120, check=False)  # fmt: skip
