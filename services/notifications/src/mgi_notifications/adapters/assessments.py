"""What is known of each assessment, one small document per assessment, read and written by id."""

from dataclasses import asdict, fields

from pymongo.asynchronous.database import AsyncDatabase

from mgi_notifications.domain.assessments import AssessmentInfo
from mgi_shared.coalescing import reads_by_id, upserts_by_id
from mgi_shared.mongo import Document

COLLECTION = "assessments"


class AssessmentStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db.get_collection(COLLECTION)
        # Read for every event: the events handled at the same time read in one query.
        self._reads = reads_by_id(self._collection)
        # Written for nearly every event too (a results revision at least): one bulk write.
        self._writes = upserts_by_id(self._collection)

    async def load(self, assessment_id: str) -> AssessmentInfo:
        document = await self._reads.submit(assessment_id)
        if document is None:
            return AssessmentInfo(assessment_id=assessment_id)
        known = {f.name for f in fields(AssessmentInfo)} - {"assessment_id"}
        values = {k: v for k, v in document.items() if k in known}
        values["known_conflicts"] = tuple(values.get("known_conflicts", ()))
        return AssessmentInfo(assessment_id=assessment_id, **values)

    async def save(self, before: AssessmentInfo, after: AssessmentInfo) -> None:
        """Writes only the fields that changed: records of one assessment on different topics
        are handled at the same time, and each topic's handler owns different fields."""
        changed = {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(after).items()
            if getattr(before, name) != value
        }
        if changed:
            await self._writes.submit((after.assessment_id, changed))
