"""Scores, completeness and sub-area ratings from the current answers and a catalogue."""

from collections.abc import Mapping

from mgi_scoring.domain.answers import CurrentAnswers
from mgi_scoring.domain.consolidation import Outcome, Resolution, consolidate
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
    before: Results | None = None,
) -> Results:
    """Results at revision 0; the caller numbers them when they differ from the stored ones.
    `before`, the results of the revision before, lends the indicators that came out the same
    (a submission answers a few of the 98), so only the others are built anew."""
    kept = {i.indicator: i for i in before.indicators} if before is not None else {}
    indicators = [
        indicator_result(item.code, item.domain, item.sub_area,
                         consolidate(current.get(item.code, {}), resolutions.get(item.code)),
                         kept.get(item.code))
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


def indicator_result(
    code: str, domain: str, sub_area: str, outcome: Outcome, before: IndicatorResult | None
) -> IndicatorResult:
    """The indicator's result: `before` itself when it says the same (results are never
    changed once built, so revisions may share them), else a new one."""
    if (
        before is not None
        and before.value == outcome.value
        and before.status == outcome.status
        and before.contributors == outcome.contributors
        and before.resolved == outcome.resolved
        and before.note == outcome.note
        and (before.domain, before.sub_area) == (domain, sub_area)
    ):
        return before
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
