"""Poison records on the inbound topic, as a broken or hostile producer would send them: not
JSON, the wrong schema, an unknown assessment, and a 2 MiB record. Each must end in
`mgi.submissions.rejected.v1` (found by its source partition and offset) while the
consumer moves on."""

import json
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from mgi_cli.bench.workload import Json
from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND

BIG_BYTES = 2 * 1024 * 1024
# The producer must be able to send it; the inbound topic takes records up to 4 MiB
# (mgi_shared.contracts.topics), so that intake, not the producer, names the problem.
POISON_REQUEST_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class Poison:
    kind: str
    partition: int
    offset: int


def poison_producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True,
                            max_request_size=POISON_REQUEST_BYTES)  # fmt: skip


def poison_records(assessment_id: str, unknown_assessment: str, sample: Json, n: int) -> list[tuple[str, bytes, str]]:  # fmt: skip
    """(kind, value, key) of the n-th set: each kind once, keyed like real traffic."""
    wrong_schema = {**sample, "submission_id": f"poison-schema-{n}", "answers": "all yes"}
    unknown = {
        **sample,
        "submission_id": f"poison-unknown-{n}",
        "assessment_id": unknown_assessment,
    }
    big = {**sample, "submission_id": f"poison-big-{n}",
           "answers": [{**sample["answers"][0], "evidence": "x" * BIG_BYTES}]}  # fmt: skip
    return [
        ("not JSON", b"\x00\xffnot json {" + str(n).encode(), assessment_id),
        ("wrong schema", json.dumps(wrong_schema).encode(), assessment_id),
        ("unknown assessment", json.dumps(unknown).encode(), unknown_assessment),
        ("2 MiB record", json.dumps(big).encode(), assessment_id),
    ]


async def send_poison(producer: AIOKafkaProducer, records: list[tuple[str, bytes, str]]) -> list[Poison]:  # fmt: skip
    sent = []
    for kind, value, key in records:
        meta = await producer.send_and_wait(SUBMISSIONS_INBOUND, value, key=key.encode())
        sent.append(Poison(kind, meta.partition, meta.offset))
    return sent


def rejected_positions(rejected: list[Json]) -> set[tuple[int, int]]:
    """(source partition, source offset) of each rejected inbound record."""
    return {
        (int(event["source_partition"]), int(event["source_offset"]))
        for event in rejected
        if event.get("source_topic") == SUBMISSIONS_INBOUND
    }
