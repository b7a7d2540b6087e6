"""The readable profile pages, one per language, and the portal's front page (no I/O).

Jinja2 with autoescape on: every text from submissions, catalogues or reviewers is
escaped. Templates are package data, read once when the environment is built.
"""

from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from mgi_publishing.domain.charts import Chart, domain_chart, percent
from mgi_publishing.domain.labels import LABELS, page_file
from mgi_publishing.domain.profile import sub_area_scores
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.profile import DomainChange, Profile, ProfileIndicator

_env = Environment(
    loader=PackageLoader("mgi_publishing", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["pct"] = percent


@dataclass(frozen=True)
class DomainView:
    domain: str
    name: str
    score: float | None
    answered: int
    total: int
    well_developed: list[str]
    needs_development: list[str]
    chart: Chart
    change: DomainChange | None


@dataclass(frozen=True)
class ResolvedView:
    indicator: ProfileIndicator
    text: str


def render_pages(profile: Profile, catalogue: Catalogue | None) -> dict[str, str]:
    """File name -> HTML, one page per language of the profile, linked to each other."""
    default = profile.languages[0]
    links = [(lang, LABELS[lang]["language_name"], page_file(lang, default))
             for lang in profile.languages]  # fmt: skip
    template = _env.get_template("profile.html.j2")
    pages = {}
    for lang in profile.languages:
        words = LABELS[lang]
        pages[page_file(lang, default)] = template.render(
            lang=lang,
            words=words,
            profile=profile,
            domains=_domains(profile, catalogue, lang),
            resolved=_resolved(profile, catalogue, lang),
            others=[link for link in links if link[0] != lang],
            illustrative=catalogue is not None and catalogue.illustrative,
            published=profile.published_at.strftime("%Y-%m-%d"),
        )
    return pages


def _domains(profile: Profile, catalogue: Catalogue | None, lang: str) -> list[DomainView]:
    names = {d.domain: d.name for d in catalogue.domains} if catalogue else {}
    order = {d.domain: d.sub_areas for d in catalogue.domains} if catalogue else {}
    changes = {c.domain: c for c in profile.comparison.domains} if profile.comparison else {}
    views = []
    for domain in profile.domains:
        sub_areas = order.get(domain.domain) or list(
            dict.fromkeys(i.sub_area for i in profile.indicators if i.domain == domain.domain)
        )
        scores = sub_area_scores(profile, domain.domain, sub_areas)
        name = names.get(domain.domain, {})
        views.append(
            DomainView(
                domain=domain.domain,
                name=name.get(lang) or name.get("en") or domain.domain,
                score=domain.score,
                answered=domain.answered,
                total=domain.total,
                well_developed=domain.well_developed,
                needs_development=domain.needs_development,
                chart=domain_chart(
                    f"chart-{domain.domain}", sub_areas, scores, LABELS[lang]["not_scored"]
                ),
                change=changes.get(domain.domain),
            )
        )
    return views


def _resolved(profile: Profile, catalogue: Catalogue | None, lang: str) -> list[ResolvedView]:
    texts = {i.code: i.text for i in catalogue.indicators} if catalogue else {}
    return [
        ResolvedView(
            i, texts.get(i.indicator, {}).get(lang) or texts.get(i.indicator, {}).get("en", "")
        )
        for i in profile.indicators
        if i.resolved
    ]


@dataclass(frozen=True)
class ListedProfile:
    """One published profile as the portal's front page lists it."""

    country: str  # the ISO code of the country (a local jurisdiction's parent)
    jurisdiction_code: str
    jurisdiction_name: str
    assessment_id: str
    scope: str
    round: int
    revision: int
    published_at: datetime
    href: str


def render_portal_index(profiles: list[ListedProfile]) -> str:
    """Grouped by country (alphabetical by code), newest first within each country."""
    countries: dict[str, list[ListedProfile]] = {}
    for item in sorted(profiles, key=lambda p: (p.country, -p.published_at.timestamp())):
        countries.setdefault(item.country, []).append(item)
    return _env.get_template("portal_index.html.j2").render(
        lang="en", words=LABELS["en"], countries=countries
    )
