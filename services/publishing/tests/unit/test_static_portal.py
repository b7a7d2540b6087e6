"""The static portal's files and their content: JSON against the generated schema, the CSV
through libhxl (the HXL standard's own library), the pages' structure and the front page."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hxl
import jsonschema
import pytest

from mgi_cli.documents import DOCS
from mgi_publishing.adapters.static_portal import StaticPortal
from mgi_publishing.domain.profile import build_profile, page_languages
from mgi_publishing.domain.state import AssessmentInfo
from mgi_publishing.testing import catalogue, results
from mgi_shared.contracts.payloads import JurisdictionData
from mgi_shared.contracts.profile import Profile

pytestmark = pytest.mark.unit
T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def profile_of(aid: str, *, scope: str = "national", code: str = "IDN", name: str = "Indonesia",
               parent: str | None = None, round_number: int = 1, at: datetime = T0,
               languages: tuple[str, ...] = ("en", "fr", "es")) -> Profile:  # fmt: skip
    cat = catalogue(scope)
    info = AssessmentInfo(
        jurisdiction=JurisdictionData(code=code, name=name, parent=parent), scope=scope,
        round=round_number, catalogue_version=cat.version, languages=list(languages),
    )  # fmt: skip
    return build_profile(
        results(aid, 3, scope, previous=round_number > 1),
        info,
        page_languages(list(languages), cat.languages),
        at,
    )


async def put(portal: StaticPortal, profile: Profile) -> Path:
    outcome = await portal.put(profile, catalogue(profile.scope), "pub-1")
    assert outcome.succeeded, outcome.error
    return portal.folder(profile)


async def test_profile_json_validates_against_the_generated_schema(tmp_path: Path) -> None:
    folder = await put(StaticPortal(tmp_path), profile_of("IDN-2023-national"))
    assert folder == tmp_path / "IDN" / "IDN-2023-national"
    document = json.loads((folder / "profile.json").read_text())
    schema = json.loads((DOCS / "contracts" / "portal-profile.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["jurisdiction"] == {"code": "IDN", "name": "Indonesia", "parent": None}
    assert document["revision"] == 3
    assert document["round"] == 1 and document["scope"] == "national"
    assert document["catalogue_version"] == "mgi-national-2024"
    assert document["published_at"].startswith("2026-11-27T10:00")
    assert "submissions_applied" not in document


@pytest.mark.parametrize(("scope", "rows"), [("national", 98), ("local", 87)])
async def test_indicators_csv_parses_with_libhxl_one_row_per_indicator(
    tmp_path: Path, scope: str, rows: int
) -> None:
    code, parent = ("IDN", None) if scope == "national" else ("IDN-JK", "IDN")
    profile = profile_of(f"{code}-x", scope=scope, code=code, parent=parent)
    folder = await put(StaticPortal(tmp_path), profile)
    source = hxl.data(str(folder / "indicators.csv"), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in source.columns]
    for tag in ("#country+code", "#indicator+code", "#indicator+value", "#indicator+num"):
        assert tag in tags
    parsed = list(source)
    assert len(parsed) == rows
    assert {row.get("#country+code") for row in parsed} == {"IDN"}
    codes = [row.get("#indicator+code") for row in parsed]
    assert codes == [i.code for i in catalogue(scope).indicators]
    scored = {row.get("#indicator+code"): row.get("#indicator+num") for row in parsed}
    expected = {i.indicator: i.score for i in profile.indicators}
    for indicator, score in expected.items():
        assert (float(scored[indicator]) if scored[indicator] else None) == score


async def test_pages_per_language_linked_accessible_and_offline(tmp_path: Path) -> None:
    profile = profile_of("IDN-2024-national", round_number=2, languages=("fr", "en", "id"))
    assert profile.languages == ["fr", "en"]  # Indonesian: no catalogue texts, no page
    folder = await put(StaticPortal(tmp_path), profile)
    french = (folder / "index.html").read_text()
    english = (folder / "index.en.html").read_text()
    assert not (folder / "index.id.html").exists()
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    assert 'href="index.en.html"' in french and 'href="index.html"' in english
    for page in (french, english):
        assert "<script" not in page
        assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing from the network"
        assert "@import" not in page and "url(" not in page
        assert page.count('<svg class="domain-chart"') == 6
        assert page.count('<title id="chart-') == 6 and page.count('<desc id="chart-') == 6
        assert "aria-labelledby" in page
        # A reviewer's note is text, never markup.
        assert "Law No. 6/2011 settles it &lt;b&gt;" in page
    assert "Well-developed areas" in english and "Domaines bien développés" in french
    assert "Change since round 1" in english
    assert "Migrants&#39; rights" in english and "Droits des migrants" in french


async def test_front_page_groups_by_country_newest_first(tmp_path: Path) -> None:
    portal = StaticPortal(tmp_path)
    await put(portal, profile_of("KEN-r1", code="KEN", name="Kenya", at=T0 - timedelta(days=400)))
    await put(portal, profile_of("KEN-r2", code="KEN", name="Kenya", round_number=2, at=T0))
    await put(portal, profile_of("IDN-n", at=T0 - timedelta(days=3)))
    await put(portal, profile_of("IDN-JK-l", scope="local", code="IDN-JK", name="Jakarta",
                                 parent="IDN", at=T0 - timedelta(days=1)))  # fmt: skip
    front = (tmp_path / "index.html").read_text()
    order = [front.index(f'href="{href}"') for href in (
        "IDN/IDN-JK-l/index.html".replace("IDN/", "IDN-JK/"), "IDN/IDN-n/index.html",
        "KEN/KEN-r2/index.html", "KEN/KEN-r1/index.html")]  # fmt: skip
    assert order == sorted(order)
    assert front.index('id="country-IDN"') < front.index('id="country-KEN"')
    assert '<html lang="en">' in front
    assert not temporary_files(tmp_path), "no temporary file left behind"


def temporary_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.endswith(".tmp")]
