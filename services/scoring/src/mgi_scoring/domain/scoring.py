"""Scores, completeness and sub-area ratings from the current answers and a catalogue."""

from collections.abc import Mapping
from functools import lru_cache

from mgi_scoring.domain.answers import CurrentAnswer, CurrentAnswers
from mgi_scoring.domain.consolidation import Resolution, consolidate
from mgi_scoring.domain.results import DomainResult, IndicatorResult, Results
from mgi_shared.catalogue.model import CatalogueStructure, Thresholds

# Rounded so that sums taken in any order store and compare as the same number.
DIGITS = 6


def mean(scores: list[float]) -> float | None:
    return round(sum(scores) / len(scores), DIGITS) if scores else None


def compute_results(
    assessment_id: str,
    catalogue: CatalogueStructure,
    current: CurrentAnswers,
    resolutions: Mapping[str, Resolution],
) -> Results:
    """Results at revision 0; the caller numbers them when they differ from the stored ones."""
    indicators = [
        indicator_result(item.code, item.domain, item.sub_area,
                         tuple(current.get(item.code, {}).items()), resolutions.get(item.code))
        for item in catalogue.indicators
    ]  # fmt: skip
    # Answered: some actor gave a value other than `unknown`, that is, someone contributes.
    answered = {i.indicator for i in indicators if i.contributors}
    domains = [
        domain_result(d.domain, d.sub_areas, indicators, answered, catalogue.thresholds)
        for d in catalogue.domains
    ]
    total = len(indicators)
    return Results(
        assessment_id=assessment_id,
        catalogue_version=catalogue.version,
        completeness=round(len(answered) / total, DIGITS) if total else 0.0,
        indicators=indicators,
        domains=domains,
    )


# Most of an assessment's indicators are the same from one revision to the next (a submission
# answers a few of the 98): each result is built once per distinct input and shared between
# revisions, never changed. Enough for every indicator of about 200 busy national assessments.
INDICATOR_RESULTS_KEPT = 20_000


@lru_cache(maxsize=INDICATOR_RESULTS_KEPT)
def indicator_result(
    code: str,
    domain: str,
    sub_area: str,
    answers: tuple[tuple[str, CurrentAnswer], ...],
    resolution: Resolution | None,
) -> IndicatorResult:
    """One indicator's result from its current answers (actor, answer) and resolution."""
    outcome = consolidate(dict(answers), resolution)
    return IndicatorResult(
        indicator=code,
        domain=domain,
        sub_area=sub_area,
        value=outcome.value,
        score=outcome.score,
        status=outcome.status,
        contributors=outcome.contributors,
        resolved=outcome.resolved,
        note=outcome.note,
    )


def domain_result(
    domain: str,
    sub_areas: list[str],
    indicators: list[IndicatorResult],
    answered: set[str],
    thresholds: Thresholds,
) -> DomainResult:
    mine = [i for i in indicators if i.domain == domain]
    well: list[str] = []
    needs: list[str] = []
    for sub_area in sub_areas:
        score = mean([i.score for i in mine if i.sub_area == sub_area and i.score is not None])
        if score is None:
            continue
        if score >= thresholds.well_developed:
            well.append(sub_area)
        elif score < thresholds.needs_development:
            needs.append(sub_area)
    return DomainResult(
        domain=domain,
        score=mean([i.score for i in mine if i.score is not None]),
        answered=sum(1 for i in mine if i.indicator in answered),
        total=len(mine),
        well_developed=well,
        needs_development=needs,
    )
