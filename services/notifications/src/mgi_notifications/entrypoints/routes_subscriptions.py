"""POST/GET /v1/subscriptions and DELETE /v1/subscriptions/{id} (admin)."""

import secrets
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, HTTPException, Path, Response
from fastapi.responses import JSONResponse

from mgi_notifications.domain.addresses import email_problem, webhook_problem
from mgi_notifications.domain.subscriptions import Channel, Subscription
from mgi_notifications.entrypoints.dependencies import Settings, Subscriptions
from mgi_notifications.entrypoints.schemas import (
    Message,
    Problems,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionList,
    SubscriptionPublic,
)
from mgi_shared.auth import require_role
from mgi_shared.http_auth import Caller
from mgi_shared.http_errors import problems_response
from mgi_shared.problems import Problem

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": Message}, 403: {"model": Message}}


def address_problem(body: SubscriptionCreate, allow_private: bool) -> str | None:
    if body.channel is Channel.EMAIL:
        return email_problem(body.address)
    return webhook_problem(body.address, allow_private=allow_private)


@router.post("", status_code=201, response_model=SubscriptionCreated,
             responses={**ERRORS, 422: {"model": Problems}},
             summary="Subscribe an email address or a webhook (admin); a webhook's secret "
                     "is shown once")  # fmt: skip
async def create_subscription(
    body: SubscriptionCreate, caller: Caller, store: Subscriptions, settings: Settings
) -> SubscriptionCreated | JSONResponse:
    require_role(caller)
    problem = address_problem(body, settings.mgi_webhook_allow_private)
    if problem:
        return problems_response([Problem("address", problem)])
    subscription = Subscription(
        subscription_id=uuid4().hex,
        channel=body.channel,
        address=body.address.strip(),
        jurisdictions=sorted(set(body.jurisdictions)),
        events=sorted({e.value for e in body.events}),
        language=body.language,
        secret=secrets.token_urlsafe(32) if body.channel is Channel.WEBHOOK else None,
        created_at=datetime.now(UTC),
    )
    await store.add(subscription)
    return SubscriptionCreated.model_validate(subscription.model_dump())


@router.get("", response_model=SubscriptionList, responses=ERRORS,
            summary="Every subscription (admin), without webhook secrets")  # fmt: skip
async def list_subscriptions(caller: Caller, store: Subscriptions) -> SubscriptionList:
    require_role(caller)
    subscriptions = sorted(await store.all(), key=lambda s: s.created_at)
    return SubscriptionList(
        subscriptions=[
            SubscriptionPublic.model_validate(s.model_dump(exclude={"secret"}))
            for s in subscriptions
        ]
    )


@router.delete("/{subscription_id}", status_code=204,
               responses={**ERRORS, 404: {"model": Message}},
               summary="Remove a subscription (admin); its pending deliveries fail")  # fmt: skip
async def delete_subscription(
    subscription_id: Annotated[str, Path(max_length=128)], caller: Caller, store: Subscriptions
) -> Response:
    require_role(caller)
    if not await store.remove(subscription_id):
        raise HTTPException(404, "no such subscription")
    return Response(status_code=204)
