"""A follow-up round against the round before it, per domain (MGI follow-up profiles).

Catalogue versions may differ between rounds: this round's codes are mapped to
the previous version's through `previous_mapping` (codes not in it are the same).
"""

from collections.abc import Mapping

from mgi_scoring.domain.results import Comparison, DomainChange, Results
from mgi_scoring.domain.scoring import DIGITS


def previous_code(code: str, mapping: Mapping[str, str], versions_differ: bool) -> str:
    return mapping.get(code, code) if versions_differ else code


def compare(
    current: Results,
    previous: Results,
    previous_round: int,
    mapping: Mapping[str, str],
) -> Comparison:
    versions_differ = current.catalogue_version != previous.catalogue_version
    before = {i.indicator: i.score for i in previous.indicators}
    previous_domains = {d.domain: d.score for d in previous.domains}
    changes: list[DomainChange] = []
    for domain in current.domains:
        compared = 0
        improved: list[str] = []
        declined: list[str] = []
        for item in current.indicators:
            if item.domain != domain.domain or item.score is None:
                continue
            old = before.get(previous_code(item.indicator, mapping, versions_differ))
            if old is None:
                continue
            compared += 1
            if item.score > old:
                improved.append(item.indicator)
            elif item.score < old:
                declined.append(item.indicator)
        old_score = previous_domains.get(domain.domain)
        change = (
            round(domain.score - old_score, DIGITS)
            if domain.score is not None and old_score is not None
            else None
        )
        changes.append(
            DomainChange(
                domain=domain.domain,
                score=domain.score,
                previous_score=old_score,
                change=change,
                compared=compared,
                improved=improved,
                declined=declined,
            )
        )
    return Comparison(
        previous_assessment_id=previous.assessment_id,
        previous_round=previous_round,
        previous_catalogue_version=previous.catalogue_version,
        domains=changes,
    )
