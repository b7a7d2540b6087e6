"""A crash after the portal write but before its outcome is stored: the record is handled
again, the portal gets the same body under the same idempotency key, and the publication
event goes out once, in the trace of the validation that caused it."""

from typing import Any
from uuid import uuid4

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from mgi_publishing.testing import changed, results
from mgi_shared.contracts.payloads import AssessmentStatus as S
from mgi_shared.contracts.topics import ASSESSMENTS_CHANGED, PUBLICATIONS
from mgi_shared.testing.kafka import eventually, read_records

pytestmark = pytest.mark.integration
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


class CrashOnceAfterWrite:
    """The repository, except that the first write recording a publication 'crashes'."""

    def __init__(self, repo: Any) -> None:
        self._repo = repo
        self.crashed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)

    async def save(self, state: Any, expected: int, attempts: list, outbox: list) -> bool:  # type: ignore[type-arg]
        if outbox and not self.crashed:
            self.crashed = True
            raise RuntimeError("process died between the portal write and the event")
        result: bool = await self._repo.save(state, expected, attempts, outbox)
        return result


async def test_crash_between_write_and_event_loses_and_doubles_nothing(
    publishing: Any, producer: Any, infra: Any
) -> None:
    spans = InMemorySpanExporter()
    async with publishing.running(http_portal=True):
        provider = trace.get_tracer_provider()
        assert isinstance(provider, TracerProvider), "the app set tracing up"
        provider.add_span_processor(SimpleSpanProcessor(spans))
        deps = publishing.app.state.deps
        crashing = CrashOnceAfterWrite(deps.repo)
        deps.repo = crashing
        aid = f"MEX-{uuid4().hex[:8]}"
        publishing.results[aid] = results(aid, 7)
        for status in list(S)[: list(S).index(S.VALIDATED) + 1]:
            event = changed(aid, status, code="MEX", name="México", languages=("es",))
            headers = [("traceparent", f"00-{TRACE_ID}-b7ad6b7169203331-01".encode())]
            await producer.send_and_wait(ASSESSMENTS_CHANGED, event.model_dump_json().encode(),
                                         key=aid.encode(), headers=headers)  # fmt: skip
        records = await read_records(
            infra.kafka, PUBLICATIONS, lambda r: any(aid.encode() == x.key for x in r), 60
        )
        state = await eventually(lambda: _sent(publishing, aid), timeout=30)

    assert crashing.crashed
    received = publishing.portal.of(aid)
    assert len(received) == 2, "written, crashed, written again"
    assert {r.headers["idempotency-key"] for r in received} == {f"{aid}:7"}
    assert received[0].body == received[1].body  # publication time included
    assert state["outbox_count"] == 1, "one publication event, emitted once"
    [record] = [r for r in records if r.key == aid.encode()]
    headers = {k: v.decode() for k, v in record.headers}
    assert headers["traceparent"].split("-")[1] == TRACE_ID
    writes = [s for s in spans.get_finished_spans() if s.name == "portal write"]
    assert len(writes) == 2
    assert {format(s.context.trace_id, "032x") for s in writes} == {TRACE_ID}
    assert all(s.parent is not None for s in writes)  # under the consumer's span
    for span in spans.get_finished_spans():
        assert "portal-secret-token" not in str(dict(span.attributes or {}))


async def _sent(publishing: Any, aid: str) -> dict[str, Any] | None:
    state = await publishing.state(aid)
    return state if state and state.get("outbox_sent_count") == 1 else None
