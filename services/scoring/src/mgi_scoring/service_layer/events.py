"""The results.updated event for a new revision, ready for the outbox."""

from uuid import NAMESPACE_URL, UUID, uuid5

from mgi_scoring.domain.revisions import ResultsChange
from mgi_shared.contracts.payloads import (
    EventType,
    IndicatorChange,
    ResultsUpdated,
    ResultsUpdatedData,
)
from mgi_shared.contracts.topics import RESULTS_UPDATED
from mgi_shared.mongo import Document
from mgi_shared.outbox import outbox_entry


def revision_event_id(assessment_id: str, revision: int) -> UUID:
    """The same revision always gets the same event id, so consumers can drop repeats."""
    return uuid5(NAMESPACE_URL, f"mgi:results:{assessment_id}:{revision}")


def results_updated(
    jurisdiction: str, change: ResultsChange, triggered_by: str | None
) -> ResultsUpdated:
    results = change.results
    return ResultsUpdated(
        event_id=revision_event_id(results.assessment_id, results.revision),
        event_type=EventType.RESULTS_UPDATED.value,
        assessment_id=results.assessment_id,
        jurisdiction=jurisdiction,
        data=ResultsUpdatedData(
            revision=results.revision,
            completeness=results.completeness,
            completed=change.completed,
            changed_indicators=[
                IndicatorChange(
                    indicator=i.indicator,
                    value=i.value.value if i.value else None,
                    score=i.score,
                    status=i.status.value,
                )
                for i in change.changed
            ],
            open_conflicts=change.open_conflicts,
            triggered_by=triggered_by,
        ),
    )


def outbox_for(
    jurisdiction: str, change: ResultsChange | None, triggered_by: str | None
) -> list[Document]:
    if change is None:
        return []
    event = results_updated(jurisdiction, change, triggered_by)
    return [outbox_entry(RESULTS_UPDATED, change.results.assessment_id, event)]
