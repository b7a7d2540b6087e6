"""What the services say about their own work, from their Prometheus `/metrics`.

The handling time of a phase is the time intake spent on each inbound record and scoring on
each accepted event (`mgi_record_handling_seconds`), read before and after the phase: wall
time, waits on the database included.
"""

from dataclasses import dataclass

import httpx
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from mgi_shared.contracts.topics import SUBMISSIONS_ACCEPTED, SUBMISSIONS_INBOUND
from mgi_shared.settings import PlatformSettings

# (service, topic) whose handling is the work done for one submission.
SUBMISSION_WORK = (("intake", SUBMISSIONS_INBOUND), ("scoring", SUBMISSIONS_ACCEPTED))


@dataclass(frozen=True)
class Handling:
    seconds: float
    records: float


async def handling(
    http: httpx.AsyncClient, settings: PlatformSettings, service: str, topic: str
) -> Handling:
    seconds = records = 0.0
    for family in await _families(http, settings, service):
        if family.name != "mgi_record_handling_seconds":
            continue
        for sample in family.samples:
            if sample.labels.get("topic") != topic:
                continue
            if sample.name.endswith("_sum"):
                seconds += sample.value
            elif sample.name.endswith("_count"):
                records += sample.value
    return Handling(seconds, records)


async def handled_ok(
    http: httpx.AsyncClient, settings: PlatformSettings, service: str, topic: str
) -> float:
    """Records of `topic` the service has handled successfully since it started."""
    total = 0.0
    for family in await _families(http, settings, service):
        if family.name != "mgi_records_handled":
            continue
        for sample in family.samples:
            labels = sample.labels
            if sample.name.endswith("_total") and labels.get("topic") == topic \
                    and labels.get("outcome") == "ok":  # fmt: skip
                total += sample.value
    return total


async def outbox_published(http: httpx.AsyncClient, settings: PlatformSettings) -> float:
    """Events intake's and scoring's outbox relays have published since they started."""
    total = 0.0
    for service in ("intake", "scoring"):
        for family in await _families(http, settings, service):
            if family.name == "mgi_outbox_published":
                total += sum(s.value for s in family.samples if s.name.endswith("_total"))
    return total


async def submission_work(
    http: httpx.AsyncClient, settings: PlatformSettings
) -> dict[str, Handling]:
    return {
        service: await handling(http, settings, service, topic)
        for service, topic in SUBMISSION_WORK
    }


def handling_ms(before: dict[str, Handling], after: dict[str, Handling]) -> dict[str, float]:
    """Mean handling ms per record between two readings, per service and their sum."""
    costs: dict[str, float] = {}
    for service, earlier in before.items():
        later = after[service]
        records = later.records - earlier.records
        costs[service] = (later.seconds - earlier.seconds) / records * 1000 if records else 0.0
    costs["total"] = sum(costs.values())
    return costs


async def _families(
    http: httpx.AsyncClient, settings: PlatformSettings, service: str
) -> list[Metric]:
    response = await http.get(f"{settings.url_of(service)}/metrics")
    response.raise_for_status()
    return list(text_string_to_metric_families(response.text))
