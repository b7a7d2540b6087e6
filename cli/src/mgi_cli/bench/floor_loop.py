"""The floor's loop, in a process of its own like a service: consume, insert_one, produce.

`mgi bench` runs it as `python -m mgi_cli.bench.floor_loop ...`. One record at a time, as
each service handles its records, with the platform's producer settings (acks=all,
idempotent); no framework, no outbox, no validation: the least any such hop can cost on
this broker and database. When done it prints its own peak RSS and CPU time as JSON on stdout.
"""

import argparse
import asyncio
import json
import resource

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pymongo import AsyncMongoClient

from mgi_cli.bench.proc_status import peak_rss_kb


async def run_loop(args: argparse.Namespace) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=args.bootstrap, group_id=None, fetch_max_wait_ms=50
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=args.bootstrap, acks="all", enable_idempotence=True
    )
    database: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(args.mongodb_url)
    scratch = database[args.database][args.collection]
    await consumer.start()
    await producer.start()
    try:
        source = TopicPartition(args.source, 0)
        consumer.assign([source])
        await consumer.seek_to_beginning(source)
        for _ in range(args.records):
            record = await consumer.getone()
            document = json.loads(record.value or b"{}")
            document["_id"] = f"{record.partition}:{record.offset}"
            await scratch.insert_one(document)
            await producer.send_and_wait(args.target, record.value, key=record.key)
    finally:
        await producer.stop()
        await consumer.stop()
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("bootstrap", "mongodb_url", "database", "collection", "source", "target"):
        parser.add_argument(f"--{name.replace('_', '-')}", required=True)
    parser.add_argument("--records", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(run_loop(args))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps({"peak_rss_kb": peak_rss_kb(), "cpu_seconds": usage.ru_utime + usage.ru_stime})
    )


if __name__ == "__main__":
    main()
