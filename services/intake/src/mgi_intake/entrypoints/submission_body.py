"""The submission body as the OpenAPI document shows it, unchecked when a request arrives.

FastAPI would refuse a body that fails the schema before the route runs, with the
schema's problems only. The route instead hands the raw body to the use case,
which names the schema's problems and those with the assessment (unknown code,
unassigned indicator, ...) in one 422. The class keeps the contract's name and
schema, so the document still says `$ref: Submission`.
"""

from typing import Any

from pydantic import ModelWrapValidatorHandler, model_validator

from mgi_shared.contracts import submission as contract


class Submission(contract.Submission):
    """What a ministry sends; `submission_id` is the client's idempotency key."""

    @model_validator(mode="wrap")
    @classmethod
    def _checked_by_the_use_case(
        cls, value: Any, handler: ModelWrapValidatorHandler[contract.Submission]
    ) -> Any:
        return value
