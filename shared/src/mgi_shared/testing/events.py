"""Platform events as other services emit them, for each consumer's own tests."""

from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    AssessmentChangedData,
    AssessmentStatus,
    EventType,
    JurisdictionData,
)


def assessment_changed(
    assessment_id: str,
    status: AssessmentStatus,
    catalogue: CatalogueStructure,
    *,
    code: str = "IDN",
    name: str | None = None,
    previous: AssessmentStatus | None = None,
    round_number: int = 1,
    languages: tuple[str, ...] = ("en",),
) -> AssessmentChanged:
    """An assessment's change as intake announces it; a local jurisdiction (`IDN-JK`) gets its
    country as parent."""
    parent = code.split("-")[0] if "-" in code else None
    return AssessmentChanged(
        event_type=EventType.ASSESSMENT_STATUS_CHANGED.value,
        assessment_id=assessment_id,
        jurisdiction=code,
        data=AssessmentChangedData(
            status=status,
            previous_status=previous,
            scope=catalogue.scope,
            round=round_number,
            catalogue_version=catalogue.version,
            jurisdiction=JurisdictionData(code=code, name=name or code, parent=parent),
            languages=list(languages),
            catalogue=catalogue,
        ),
    )
