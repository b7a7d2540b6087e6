"""Scores, completeness and sub-area ratings from the current answers and a catalogue."""

from collections.abc import Collection, Mapping

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
    only: Collection[str] | None = None,
) -> Results:
    """Results at revision 0; the caller numbers them when they differ from the stored ones.
    `before`, the results of the revision before, lends the indicators that came out the same
    (a submission answers a few of the 98), so only the others are built anew. With `only`,
    the indicators whose answers may have changed since `before` (same catalogue, same
    resolutions), the others are `before`'s without a look at their answers, and `current`
    need hold only those indicators' answers."""
    kept = {i.indicator: i for i in before.indicators} if before is not None else {}
    indicators: list[IndicatorResult] = []
    for item in catalogue.indicators:
        earlier = kept.get(item.code)
        if earlier is None or only is None or item.code in only:
            outcome = consolidate(current.get(item.code, {}), resolutions.get(item.code))
            earlier = indicator_result(item.code, item.domain, item.sub_area, outcome, earlier)
        indicators.append(earlier)
    # Answered: some actor gave a value other than `unknown`, that is, someone contributes.
    answered = {i.indicator for i in indicators if i.contributors}
    by_domain: dict[str, list[IndicatorResult]] = {}
    for indicator in indicators:
        by_domain.setdefault(indicator.domain, []).append(indicator)
    # A domain's result follows from its indicators and the catalogue alone: one whose
    # indicators are all `before`'s very objects is `before`'s (a submission mostly answers
    # one ministry's indicators, in one or two of the six domains).
    kept_domains: dict[str, DomainResult] = {}
    if before is not None and before.catalogue_version == catalogue.version:
        kept_domains = {d.domain: d for d in before.domains}
    domains = []
    for d in catalogue.domains:
        mine = by_domain.get(d.domain, [])
        earlier_domain = kept_domains.get(d.domain)
        if earlier_domain is None or any(i is not kept.get(i.indicator) for i in mine):
            earlier_domain = domain_result(d.domain, d.sub_areas, mine, answered,
                                           catalogue.thresholds)  # fmt: skip
        domains.append(earlier_domain)
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
    mine: list[IndicatorResult],
    answered: set[str],
    thresholds: Thresholds,
) -> DomainResult:
    """`mine`: the domain's indicators."""
    scores: dict[str, list[float]] = {}
    for i in mine:
        if i.score is not None:
            scores.setdefault(i.sub_area, []).append(i.score)
    well: list[str] = []
    needs: list[str] = []
    for sub_area in sub_areas:
        score = mean(scores.get(sub_area, []))
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
