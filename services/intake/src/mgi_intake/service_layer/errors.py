"""Why a use case refused; entrypoints turn these into HTTP statuses or rejected records."""

from mgi_shared.problems import Problem


class IntakeError(Exception):
    pass


class InvalidError(IntakeError):
    """`reason` says which stage refused: not_json, schema or invalid (the domain rules)."""

    def __init__(self, problems: list[Problem], reason: str = "invalid") -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems
        self.reason = reason


class TooLargeError(InvalidError):
    """The accepted event would not fit in a Kafka record: refused before anything is stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "too_large")


class ConflictError(IntakeError):
    def __init__(self, message: str, allowed_next: str | None = None) -> None:
        super().__init__(message)
        self.allowed_next = allowed_next


class ContentionError(ConflictError):
    """Other writers kept changing the document: nothing is wrong with the request, and the
    same request later will likely succeed (an event handler retries the record)."""


class ForbiddenError(IntakeError):
    pass


class NotFoundError(IntakeError):
    pass
