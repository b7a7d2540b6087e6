"""Writes the JSON Schemas of every payload and the AsyncAPI document of every topic.

Both are generated from the pydantic models in `mgi_shared.contracts`, so they
cannot drift from what the services actually send and accept.
"""

import json
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from mgi_shared.contracts.catalog import CHANNELS
from mgi_shared.contracts.profile import Profile


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, one per topic payload, and the portal's profile document."""
    schemas = {f"{c.topic}.schema.json": c.payload.model_json_schema() for c in CHANNELS}
    schemas["portal-profile.schema.json"] = Profile.model_json_schema()
    return schemas


def asyncapi_document() -> dict[str, Any]:
    """AsyncAPI 3.0 of all topics, from a documentation-only broker that never connects."""
    broker = KafkaBroker("kafka:9092", description="The MGI platform's Kafka cluster")
    for channel in CHANNELS:
        payload = channel.payload

        async def handler(body: Any) -> None:  # pragma: no cover - documentation only
            return None

        handler.__annotations__["body"] = payload
        broker.subscriber(
            channel.topic,
            title=f"{channel.topic}:consume",
            description=f"{channel.description} Consumers: {', '.join(channel.consumers)}.",
        )(handler)
        broker.publisher(
            channel.topic,
            title=f"{channel.topic}:publish",
            description=f"{channel.description} Producer: {channel.producer}.",
            schema=payload,
        )
    spec = AsyncAPI(broker, title="MGI platform events", version="1.0.0")
    document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return document


def write_all(directory: Path) -> list[Path]:
    """Write every schema and `asyncapi.json` under `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in {**json_schemas(), "asyncapi.json": asyncapi_document()}.items():
        path = directory / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
