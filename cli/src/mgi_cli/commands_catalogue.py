"""The `mgi catalogue` command group: check a catalogue file and register it with intake."""

from pathlib import Path

import httpx
import typer

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_cli.xlsform.check import FormError, check_form
from mgi_cli.xlsform.form_catalogue import FormCatalogueError, catalogue_from_form
from mgi_cli.xlsform.form_rows import ExportError, form_sheets
from mgi_cli.xlsform.intake_api import IntakeError, read_form_inputs
from mgi_cli.xlsform.vocabulary import ANSWER_LIST
from mgi_cli.xlsform.workbook import WorkbookError, read_workbook, write_workbook
from mgi_shared.catalogue.loader import CatalogueError, builtin_catalogues, load_catalogue
from mgi_shared.settings import PlatformSettings

app = typer.Typer(help="Indicator catalogues: validate and load versions.", no_args_is_help=True)


@app.command()
def load(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="YAML or JSON catalogue, or an XLSForm (.xlsx)"
    ),
    check_only: bool = typer.Option(False, "--check", help="validate the file, register nothing"),
    intake_url: str | None = typer.Option(None, help="intake's base URL [from INTAKE_PORT]"),
    catalogue_version: str | None = typer.Option(
        None, help="XLSForm only: the version (default: settings sheet, mgi_catalogue_version)"
    ),
    scope: str | None = typer.Option(
        None, help="XLSForm only: national or local (default: settings sheet, mgi_scope)"
    ),
) -> None:
    """Validate FILE, then register it with intake as a new catalogue version."""
    try:
        if file.suffix.lower() == ".xlsx":
            sheets = read_workbook(file)
            catalogue = catalogue_from_form(
                sheets, str(file), version=catalogue_version, scope=scope
            )
        else:
            catalogue = load_catalogue(file)
    except WorkbookError as error:
        console.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(1) from error
    except (CatalogueError, FormCatalogueError) as error:
        console.print(f"[red]{file} is not a valid catalogue:[/red]")
        for problem in error.problems:
            console.print(f"  - {problem}", highlight=False)
        raise typer.Exit(1) from error
    summary = f"{catalogue.version} ({catalogue.scope}, {len(catalogue.indicators)} indicators)"
    if check_only:
        console.print(f"valid: {summary}")
        return
    settings = PlatformSettings()
    url = (intake_url or settings.url_of("intake")).rstrip("/") + "/v1/catalogues"
    headers = {"Authorization": f"Bearer {admin_key(settings)}"}
    try:
        answer = httpx.post(
            url, json=catalogue.model_dump(mode="json"), headers=headers, timeout=30
        )
    except httpx.HTTPError as error:
        console.print(f"[red]cannot reach intake at {url}:[/red] {error}")
        raise typer.Exit(1) from error
    if answer.status_code == 201:
        console.print(f"registered {summary}")
    elif answer.status_code == 200:
        console.print(f"already registered, unchanged: {summary}")
    else:
        console.print(f"[red]intake refused it ({answer.status_code}):[/red] {answer.text}")
        raise typer.Exit(1)


@app.command("export-xlsform")
def export_xlsform(
    version: str = typer.Argument(..., help="catalogue version the assessment is bound to"),
    actor_map: str = typer.Option(..., "--actor-map", help="assessment id whose actors answer"),
    out: Path = typer.Option(..., "--out", dir_okay=False, help="XLSForm file to write (.xlsx)"),
    language: str = typer.Option("en", help="the form's default language"),
    intake_url: str | None = typer.Option(None, help="intake's base URL [from INTAKE_PORT]"),
) -> None:
    """Write an XLSForm (KoboToolbox, ODK) of VERSION for one assessment's actor map."""
    settings = PlatformSettings()
    url = intake_url or settings.url_of("intake")
    try:
        catalogue, actors = read_form_inputs(url, admin_key(settings), version, actor_map)
        sheets = form_sheets(catalogue, actors, actor_map, language)
        check_form(sheets)
    except (IntakeError, ExportError, FormError) as error:
        console.print(f"[red]no form written:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    try:
        write_workbook(sheets, out)
    except OSError as error:
        console.print(f"[red]cannot write {out}:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    asked = sum(1 for row in sheets["survey"] if row["type"] == f"select_one {ANSWER_LIST}")
    console.print(f"wrote {out}: {asked} of {len(catalogue.indicators)} indicators "
                  f"(the others are assigned to no actor), {len(actors)} actors, "
                  f"languages {', '.join(catalogue.languages)}", highlight=False)  # fmt: skip


@app.command("list-builtin")
def list_builtin() -> None:
    """The illustrative catalogues shipped with the platform."""
    for catalogue in builtin_catalogues():
        console.print(
            f"{catalogue.version}  {catalogue.scope}  {len(catalogue.indicators)} indicators"
        )
