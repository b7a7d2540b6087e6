"""How every service process is assembled: FastAPI app, Kafka broker, database, background tasks.

Each service supplies a `wire` function that registers its handlers and routes
on a ready `ServiceContext`; this module owns start-up order and clean shutdown.
On SIGTERM uvicorn ends the lifespan: the broker stops taking records and waits
for in-flight handlers (which commit only once their effect is stored), then the
background tasks are cancelled and the database client closed.
"""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import Depends, FastAPI
from faststream.kafka import KafkaBroker
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.assessment_context import assessment_of_route
from mgi_shared.heap import frozen_after_startup
from mgi_shared.http import health_router
from mgi_shared.http_body_limit import BodyLimit
from mgi_shared.http_requests import RequestLog
from mgi_shared.http_server import server_options
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.logs import setup_logging
from mgi_shared.mongo import Document, make_mongo_client, service_database, tls_options
from mgi_shared.openapi_errors import document_platform_errors
from mgi_shared.settings import ServiceSettings
from mgi_shared.shutdown import HTTP_DRAIN_SECONDS
from mgi_shared.telemetry import setup_tracing


@dataclass
class ServiceContext:
    """Everything a service's wiring needs; built once per process inside the event loop."""

    settings: ServiceSettings
    broker: KafkaBroker
    consumer: ReliableConsumer
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    app: FastAPI
    tracer_provider: TracerProvider | None
    background: list[Coroutine[Any, Any, None]] = field(default_factory=list)

    def run_in_background(self, job: Coroutine[Any, Any, None]) -> None:
        self.background.append(job)


Wire = Callable[[ServiceContext], Awaitable[None]]


def create_service_app(settings: ServiceSettings, wire: Wire, *, title: str) -> FastAPI:
    """The service's ASGI app; connecting to Kafka and the database happens in its lifespan."""
    tracer_provider = setup_tracing(f"mgi-{settings.service_name}")
    broker = make_broker(settings)
    consumer = ReliableConsumer(
        broker,
        settings.service_name,
        settings.consumer_group,
        settings.mgi_max_attempts,
        settings.mgi_retry_base_seconds,
        fetch_wait_ms=settings.mgi_fetch_wait_ms,
    )
    holder: dict[str, AsyncMongoClient[Document]] = {}

    async def broker_ready() -> bool:
        return bool(await broker.ping(timeout=2.0))

    async def database_ready() -> bool:
        await holder["mongo"].admin.command("ping")
        return True

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = make_mongo_client(settings.mongodb_url, **tls_options(settings))
        holder["mongo"] = mongo
        context = ServiceContext(
            settings=settings,
            broker=broker,
            consumer=consumer,
            mongo=mongo,
            db=service_database(mongo, settings.database_name),
            app=app,
            tracer_provider=tracer_provider,
        )
        app.state.context = context
        await wire(context)
        consumer.register()
        await broker.start()
        tasks = [asyncio.create_task(job) for job in context.background]
        try:
            yield
        finally:
            await broker.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await mongo.close()

    app = FastAPI(
        title=title,
        version="1.0.0",
        lifespan=lifespan,
        dependencies=[Depends(assessment_of_route)],
    )
    document_platform_errors(app)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.mgi_max_body_bytes,
        read_seconds=settings.mgi_request_read_seconds,
    )
    app.add_middleware(RequestLog, service=settings.service_name)
    app.include_router(
        health_router(settings.service_name, {"kafka": broker_ready, "database": database_ready})
    )
    if tracer_provider is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=tracer_provider, excluded_urls="healthz,readyz,metrics"
        )
    return app


def serve(settings: ServiceSettings, app: FastAPI) -> None:
    """Run one service until SIGTERM; in-flight requests and records get time to finish."""
    setup_logging(settings.service_name, os.environ.get("MGI_LOG_LEVEL", "INFO"))
    # Only here, in the service's own process: a test process builds many apps.
    app.router.lifespan_context = frozen_after_startup(app.router.lifespan_context)
    uvicorn.run(
        app,
        host=os.environ.get("MGI_HTTP_HOST", "127.0.0.1"),
        port=settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=HTTP_DRAIN_SECONDS,
        # libuv's loop: the services spend most of their time in socket round trips (Kafka,
        # the database, spans), where asyncio's own transports cost a quarter of their CPU.
        loop="uvloop",
        **server_options(),  # the bounds on slow and idle clients
        access_log=False,
    )
