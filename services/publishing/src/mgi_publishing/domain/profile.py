"""The profile document from scoring's results and what the events said of the assessment."""

from datetime import datetime
from typing import Any

from mgi_publishing.domain.state import AssessmentInfo
from mgi_shared.contracts.profile import Profile

# The languages the portal pages are written in (the catalogue's texts and our labels).
PAGE_LANGUAGES = ("en", "fr", "es")


def page_languages(assessment: list[str], catalogue: list[str]) -> list[str]:
    """The assessment's languages that the catalogue and the pages both have, in the
    assessment's order; English when none is shared, so there is always one page."""
    shared = [lang for lang in assessment if lang in catalogue and lang in PAGE_LANGUAGES]
    return list(dict.fromkeys(shared)) or ["en"]


def build_profile(
    results: dict[str, Any], info: AssessmentInfo, languages: list[str], published_at: datetime
) -> Profile:
    """Scoring's fields as they are (the submissions count is scoring's bookkeeping, not part
    of the results), plus jurisdiction and publication metadata."""
    fields = {k: v for k, v in results.items() if k != "submissions_applied"}
    return Profile.model_validate(
        {
            **fields,
            "jurisdiction": info.jurisdiction.model_dump(),
            "scope": info.scope,
            "round": info.round,
            "languages": languages,
            "published_at": published_at,
        }
    )


def sub_area_scores(profile: Profile, domain: str, sub_areas: list[str]) -> list[float | None]:
    """Mean score of each sub-area's scored indicators, in the order given (None if none)."""
    scores: list[float | None] = []
    for sub_area in sub_areas:
        values = [
            i.score
            for i in profile.indicators
            if i.domain == domain and i.sub_area == sub_area and i.score is not None
        ]
        scores.append(sum(values) / len(values) if values else None)
    return scores
