"""XLSForms: the export converts with pyxform (and ODK Validate), and loads back as the catalogue;
a hand-made form loads with its groups; bad forms are refused naming sheet, row and column."""

import re
import shutil
from pathlib import Path

import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from mgi_cli.commands_catalogue import app
from mgi_cli.xlsform.form_catalogue import FormCatalogueError, ReadSheet, catalogue_from_form
from mgi_cli.xlsform.form_rows import Actor, ExportError, form_sheets
from mgi_cli.xlsform.workbook import read_workbook, write_workbook
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.catalogue.model import Catalogue

pytestmark = pytest.mark.unit
CATALOGUES = {c.version: c for c in builtin_catalogues()}
NATIONAL = CATALOGUES["mgi-national-2024"]


def actors_of(catalogue: Catalogue) -> list[Actor]:
    codes = [i.code for i in catalogue.indicators]
    return [
        Actor("idn-mofa", "Ministry of Foreign Affairs", frozenset(codes[:40])),
        Actor("idn-mol", "Ministry of Labour", frozenset(codes[30:90])),
    ]


def test_the_exported_form_converts_and_each_actor_sees_only_its_indicators(
    tmp_path: Path,
) -> None:
    path = tmp_path / "form.xlsx"
    write_workbook(form_sheets(NATIONAL, actors_of(NATIONAL), "IDN-2023-national", "fr"), path)
    warnings: list[str] = []
    # ODK Validate (Java, shipped with pyxform) checks the XPath of every `relevant`.
    xform = convert(xlsform=str(path), warnings=warnings, validate=bool(shutil.which("java")))
    assert warnings == []
    xml = xform.xform
    codes = [i.code for i in NATIONAL.indicators]
    # Kobo's payload paths are group/question: the domain id, then the indicator code.
    assert 'nodeset="/data/rights/RGT-1.01"' in xml
    assert 'nodeset="/data/rights/RGT-1.01_evidence"' in xml
    assert f"/data/{NATIONAL.indicators[89].domain}/{codes[89]}" in xml
    assert f'/{codes[95]}"' not in xml  # assigned to nobody: not asked
    binds = dict(re.findall(r'<bind nodeset="/data/\w+/([^"]+)"[^>]*relevant="([^"]*)"', xml))
    assert binds[codes[0]] == " /data/actor_id  = 'idn-mofa'"
    assert binds[codes[35]] == " /data/actor_id  = 'idn-mofa' or  /data/actor_id  = 'idn-mol'"
    assert binds[codes[60]] == " /data/actor_id  = 'idn-mol'"
    assert binds[codes[60] + "_evidence"] == binds[codes[60]]
    # French first (the default), then the catalogue's other languages.
    languages = re.findall(r'<translation lang="([^"]+)"( default="true\(\)")?', xml)
    assert languages == [("French (fr)", ' default="true()"'), ("English (en)", ""),
                         ("Spanish (es)", "")]  # fmt: skip
    assert "Droits des migrants" in xml and "Derechos de los migrantes" in xml
    actors = re.search(r'<instance id="mgi_actors">(.*?)</instance>', xml)
    assert actors is not None
    assert re.findall(r"<name>([^<]+)</name>", actors.group(1)) == ["idn-mofa", "idn-mol"]
    answers = re.search(r'<instance id="mgi_answer">(.*?)</instance>', xml)
    assert answers is not None
    assert re.findall(r"<name>([^<]+)</name>", answers.group(1)) == [
        "yes",
        "partial",
        "no",
        "not_applicable",
        "unknown",
    ]


@pytest.mark.parametrize("version", sorted(CATALOGUES))
def test_an_exported_form_loads_back_as_the_same_catalogue(version: str, tmp_path: Path) -> None:
    catalogue = CATALOGUES[version]
    everyone = [Actor("all", "All", frozenset(i.code for i in catalogue.indicators))]
    path = tmp_path / "form.xlsx"
    write_workbook(form_sheets(catalogue, everyone, "X-1", "en"), path)
    assert catalogue_from_form(read_workbook(path), str(path)) == catalogue


def test_export_refuses_a_language_the_catalogue_lacks_or_an_empty_actor_map() -> None:
    with pytest.raises(ExportError, match="no language 'id'"):
        form_sheets(NATIONAL, actors_of(NATIONAL), "IDN-1", "id")
    with pytest.raises(ExportError, match="has no actors"):
        form_sheets(NATIONAL, [], "IDN-1", "en")


def handmade(
    survey: list[list[str]], choices: list[list[str]] | None = None
) -> dict[str, ReadSheet]:
    """An official-looking form as `read_workbook` returns it, rows numbered from 2."""
    answer_rows = [["answers", value] for value in ("yes", "partial", "no", "unknown")]
    choice_rows = choices if choices is not None else answer_rows
    return {
        "survey": (survey[0], list(enumerate(survey[1:], start=2))),
        "choices": (["list_name", "name"], list(enumerate(choice_rows, start=2))),
        "settings": (["form_id", "mgi_catalogue_version", "default_language"],
                     [(2, ["official", "mgi-official-2025", "English"])]),
    }  # fmt: skip


HEADER = ["type", "name", "label::English", "label::Français (fr)"]


def test_a_handmade_form_takes_domain_and_sub_area_from_groups_or_columns() -> None:
    form = handmade([
        [*HEADER, "mgi_domain", "mgi_sub_area"],
        ["begin group", "rights", "Migrants' rights", "Droits des migrants", "", ""],
        ["begin_group", "g1", "Right to work", "Droit au travail", "", ""],
        ["select_one answers", "RGT-9.01", "Can migrants work?", "Peuvent-ils ?", "", ""],
        ["text", "RGT-9.01_evidence", "Evidence", "Justificatif", "", ""],
        ["select_one yes_no", "consent", "Consent?", "", "", ""],
        ["end group", "", "", "", "", ""],
        ["end_group", "", "", "", "", ""],
        ["select_one answers", "GOV-9.01", "Strategy?", "", "government", "Migration strategy"],
    ])  # fmt: skip
    catalogue = catalogue_from_form(form, "official.xlsx", scope="national")
    assert catalogue.version == "mgi-official-2025"
    assert catalogue.languages == ["en", "fr"]
    assert catalogue.illustrative is False
    assert [(d.domain, d.sub_areas, d.name) for d in catalogue.domains] == [
        ("rights", ["Right to work"], {"en": "Migrants' rights", "fr": "Droits des migrants"}),
        ("government", ["Migration strategy"], {}),
    ]
    first, second = catalogue.indicators
    assert (first.code, first.sub_area) == ("RGT-9.01", "Right to work")
    assert first.text == {"en": "Can migrants work?", "fr": "Peuvent-ils ?"}
    assert (second.domain, second.text) == ("government", {"en": "Strategy?"})


def test_problems_name_the_sheet_row_and_column() -> None:
    form = handmade(
        [
            [*HEADER, "label::Klingon"],
            ["begin group", "rights", "Rights", "", ""],
            ["select_one answers", "RGT-1.01", "No sub-area group around me", "", ""],
            ["end group", "", "", "", ""],
        ],
        choices=[["answers", "yes"], ["answers", "maybe"]],
    )
    with pytest.raises(FormCatalogueError) as refused:
        catalogue_from_form(form, "official.xlsx")
    assert refused.value.problems == [
        "survey sheet, row 1, column E (label::Klingon): cannot tell the language: "
        "write it as 'label::French (fr)'",
        "choices sheet, row 3, column B (name): 'maybe' in list 'answers' is not an answer "
        "value (yes, partial, no, not_applicable, unknown)",
        "settings sheet: no scope: add a 'mgi_scope' column or give it as an option",
    ]
    form = handmade([
        HEADER,
        ["begin group", "rights", "Rights", ""],
        ["select_one answers", "RGT-1.01", "No sub-area", ""],
        ["select_one answers", "9bad", "Bad code", ""],
        ["end group", "", "", ""],
    ])  # fmt: skip
    with pytest.raises(FormCatalogueError) as refused:
        catalogue_from_form(form, "official.xlsx", scope="national")
    assert refused.value.problems[0] == (
        "survey sheet, row 3: no sub-area: put the question in a group inside its domain's "
        "group, or fill the 'mgi_sub_area' column"
    )


def test_mgi_catalogue_load_checks_an_xlsform_and_names_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "official.xlsx"
    everyone = [Actor("all", "All", frozenset(i.code for i in NATIONAL.indicators))]
    write_workbook(form_sheets(NATIONAL, everyone, "X-1", "es"), path)
    runner = CliRunner()
    checked = runner.invoke(
        app, ["load", str(path), "--check", "--catalogue-version", "official-2025"]
    )
    assert checked.exit_code == 0, checked.output
    assert "valid: official-2025 (national, 98 indicators)" in checked.output
    sheets = form_sheets(NATIONAL, everyone, "X-1", "en")
    sheets["choices"][1]["name"] = "partly"
    write_workbook(sheets, path)
    refused = runner.invoke(app, ["load", str(path), "--check"])
    assert refused.exit_code == 1
    assert "choices sheet, row 3, column B (name): 'partly' in list 'mgi_answer'" in refused.output


def test_a_group_never_ended_is_named_by_the_row_that_begins_it() -> None:
    form = handmade([
        HEADER,
        ["begin group", "rights", "Rights", ""],
        ["begin group", "work", "Right to work", ""],
        ["select_one answers", "RGT-1.01", "Can migrants work?", ""],
        ["end group", "", "", ""],
    ])  # fmt: skip
    with pytest.raises(FormCatalogueError) as refused:
        catalogue_from_form(form, "official.xlsx", scope="national")
    assert refused.value.problems == [
        "survey sheet, row 2, column A (type): group 'rights' is never ended"
    ]


def test_a_file_that_is_no_workbook_is_refused_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "official.xlsx"
    path.write_text("version: not a workbook\n")
    refused = CliRunner().invoke(app, ["load", str(path), "--check"])
    assert refused.exit_code == 1
    # rich folds the line at the terminal's width, which a long temporary path reaches
    assert "not an .xlsx workbook" in " ".join(refused.output.split())
