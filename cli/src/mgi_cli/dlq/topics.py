"""Reading dead-letter topics to their current end, and sending records back."""

from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from mgi_cli.dlq.letters import DeadLetter
from mgi_shared.kafka.reading import records_to_end
from mgi_shared.kafka.records import decode_headers
from mgi_shared.kafka.security import client_options
from mgi_shared.settings import PlatformSettings


async def read_dead_letters(settings: PlatformSettings, topics: list[str]) -> list[DeadLetter]:
    """Every record on `topics` up to the end they have now, oldest first; no group, no commit
    (listing changes nothing)."""
    records = await records_to_end(
        settings.kafka_bootstrap_servers, topics, client_options(settings)
    )
    letters = [
        DeadLetter(
            dead_letter_topic=r.topic,
            dead_lettered_at=datetime.fromtimestamp(r.timestamp / 1000, UTC),
            key=r.key,
            value=r.value or b"",
            headers=decode_headers(r.headers),
        )
        for r in records
    ]
    return sorted(letters, key=lambda letter: letter.dead_lettered_at)


async def replay(settings: PlatformSettings, letters: list[DeadLetter]) -> int:
    """Send each record back to the topic it first came from, with its key and the sender's
    headers; the services' consumers are idempotent, so a replay of a replay is harmless."""
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        **client_options(settings),
    )
    await producer.start()
    try:
        for letter in letters:
            headers = [(k, v.encode()) for k, v in letter.replay_headers().items()]
            await producer.send_and_wait(
                letter.original_topic, letter.value, key=letter.key, headers=headers
            )
        return len(letters)
    finally:
        await producer.stop()
