"""schemathesis against each service's own OpenAPI document, over real sockets (issue 14).

Each service runs as its own instance (own databases, consumer groups at the
topics' ends), so the generated calls change nothing that other tests look at.
With a valid admin key, every operation gets inputs that fit its document and
inputs that break it: no 5xx, and every error in the documented shape.
"""

import importlib
from typing import Any
from uuid import uuid4

import pytest

from mgi_intake.settings import IntakeSettings
from mgi_notifications.settings import NotificationsSettings
from mgi_publishing.settings import PublishingSettings
from mgi_scoring.settings import ScoringSettings
from mgi_shared.contracts.topics import all_topics
from mgi_shared.net import free_port
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.apps import serving
from mgi_shared.testing.fuzzing import fuzz_service
from mgi_shared.testing.kafka import start_services_at_end

pytestmark = [
    pytest.mark.integration,
    # schemathesis' own strategies use `random`, which hypothesis warns about (not ours to fix).
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]

ADMIN = f"fuzz-admin-{uuid4().hex}"
SETTINGS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "scoring": ScoringSettings,
    "publishing": PublishingSettings,
    "notifications": NotificationsSettings,
}
# Fuzzed assessments and keys stay in the fuzzed instance's database instead of reaching the
# topics that other services (and tests) read.
QUIET = {"intake": {"intake_outbox_relay": False}}


@pytest.mark.parametrize("service", list(SETTINGS))
async def test_no_generated_input_breaks_a_service(service: str, infra: Any) -> None:
    instance = f"fuzz{uuid4().hex[:8]}"
    await start_services_at_end(
        infra.kafka, instance, [service], [topic.name for topic in all_topics()]
    )
    port = free_port()
    settings = SETTINGS[service](
        kafka_bootstrap_servers=infra.kafka,
        mongodb_url=infra.mongodb_url,
        mgi_data_dir=infra.data_dir,
        mgi_admin_token=ADMIN,
        mgi_instance=instance,
        **{f"{service}_port": port},
        **QUIET.get(service, {}),
    )
    app = importlib.import_module(f"mgi_{service}.main").create_app(settings)
    async with serving(app, port):
        failures = await fuzz_service(app, f"http://127.0.0.1:{port}", ADMIN)
    assert failures == [], "\n".join(sorted(set(failures))[:40])
