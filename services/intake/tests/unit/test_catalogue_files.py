from pathlib import Path

import pytest

from mgi_shared.catalogue.loader import CatalogueError, builtin_catalogues, load_catalogue
from mgi_shared.catalogue.model import DOMAIN_IDS

pytestmark = pytest.mark.unit


def test_builtin_catalogues_have_the_official_sizes_and_six_domains() -> None:
    sizes = {c.version: (c.scope.value, len(c.indicators)) for c in builtin_catalogues()}
    assert sizes == {"mgi-national-2024": ("national", 98), "mgi-local-2024": ("local", 87)}
    for catalogue in builtin_catalogues():
        assert catalogue.illustrative is True
        assert catalogue.languages == ["en", "fr", "es"]
        assert tuple(d.domain for d in catalogue.domains) == DOMAIN_IDS
        assert all(set(i.text) == {"en", "fr", "es"} for i in catalogue.indicators)


def test_codes_show_their_domain() -> None:
    prefixes = {"rights": "RGT", "government": "GOV", "partnerships": "PAR",
                "wellbeing": "WEL", "crises": "CRI", "safe_migration": "SAF"}  # fmt: skip
    national, local = sorted(builtin_catalogues(), key=lambda c: c.scope.value != "national")
    assert all(i.code.startswith(prefixes[i.domain] + "-") for i in national.indicators)
    assert all(i.code.startswith("L-" + prefixes[i.domain] + "-") for i in local.indicators)


def test_validation_errors_name_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: x-1\nscope: national\nlanguages: [en]\ndomains:\n"
        "- domain: rights\n  sub_areas: [A]\nindicators:\n"
        "- code: R-1\n  domain: rights\n  sub_area: A\n  text: {en: ok}\n"
        "- code: R 2\n  domain: rights\n  sub_area: A\n  text: {en: ok}\n"
    )
    with pytest.raises(CatalogueError) as error:
        load_catalogue(bad)
    assert error.value.problems[0].startswith("line 12, field indicators[1].code")


def test_syntax_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "x",\n "scope": }\n')
    with pytest.raises(CatalogueError, match="line 2"):
        load_catalogue(bad)
