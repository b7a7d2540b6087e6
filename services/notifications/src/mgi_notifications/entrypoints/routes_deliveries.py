"""GET /v1/deliveries and POST /v1/deliveries/{id}/retry (admin)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from mgi_notifications.domain.deliveries import Status
from mgi_notifications.entrypoints.dependencies import Deliveries, Hints
from mgi_notifications.entrypoints.schemas import DeliveryList, DeliveryPublic, Message
from mgi_notifications.service_layer.sender import redrive
from mgi_shared.auth import require_role
from mgi_shared.http_auth import Caller
from mgi_shared.mongo import Document

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": Message}, 403: {"model": Message}}
StatusFilter = Literal["collecting", "pending", "sending", "sent", "failed"]


def public(document: Document) -> DeliveryPublic:
    waiting = document["status"] in (Status.PENDING.value, Status.COLLECTING.value)
    return DeliveryPublic(
        delivery_id=document["_id"],
        subscription_id=document["subscription_id"],
        channel=document["channel"],
        assessment_id=document["assessment_id"],
        event_ids=document["event_ids"],
        event_types=[e["event_type"] for e in document["events"]],
        digest=document["_id"].startswith("digest:"),
        status=document["status"],
        attempts=document.get("attempts", []),
        created_at=document["created_at"],
        sent_at=document.get("sent_at"),
        next_attempt_at=datetime.fromtimestamp(document["due_at"], UTC) if waiting else None,
    )


@router.get("", response_model=DeliveryList, responses=ERRORS,
            summary="Deliveries and their attempts, newest first (admin)")  # fmt: skip
async def list_deliveries(
    caller: Caller,
    store: Deliveries,
    subscription_id: Annotated[str | None, Query(max_length=128)] = None,
    assessment_id: Annotated[str | None, Query(max_length=128)] = None,
    status: StatusFilter | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DeliveryList:
    require_role(caller)
    filters = {"subscription_id": subscription_id, "assessment_id": assessment_id,
               "status": status}  # fmt: skip
    documents = await store.find({k: v for k, v in filters.items() if v}, limit)
    return DeliveryList(deliveries=[public(d) for d in documents])


@router.post("/{delivery_id}/retry", status_code=202, response_model=DeliveryPublic,
             responses={**ERRORS, 404: {"model": Message}, 409: {"model": Message}},
             summary="Send a failed delivery again (admin)")  # fmt: skip
async def retry_delivery(
    delivery_id: Annotated[str, Path(max_length=128)],
    caller: Caller,
    store: Deliveries,
    hints: Hints,
) -> DeliveryPublic:
    require_role(caller)
    document, redriven = await redrive(store, hints, delivery_id)
    if document is None:
        raise HTTPException(404, "no such delivery")
    if not redriven:
        raise HTTPException(
            409, f"only a failed delivery can be retried; this one is {document['status']}"
        )
    return public(document)
