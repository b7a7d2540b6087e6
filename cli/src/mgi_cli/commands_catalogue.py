"""The `mgi catalogue` command group: check a catalogue file and register it with intake."""

from pathlib import Path

import httpx
import typer

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_shared.catalogue.loader import CatalogueError, builtin_catalogues, load_catalogue
from mgi_shared.settings import PlatformSettings

app = typer.Typer(help="Indicator catalogues: validate and load versions.", no_args_is_help=True)


@app.command()
def load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="YAML or JSON catalogue"),
    check_only: bool = typer.Option(False, "--check", help="validate the file, register nothing"),
    intake_url: str | None = typer.Option(None, help="intake's base URL [from INTAKE_PORT]"),
) -> None:
    """Validate FILE, then register it with intake as a new catalogue version."""
    try:
        catalogue = load_catalogue(file)
    except CatalogueError as error:
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


@app.command("list-builtin")
def list_builtin() -> None:
    """The illustrative catalogues shipped with the platform."""
    for catalogue in builtin_catalogues():
        console.print(
            f"{catalogue.version}  {catalogue.scope}  {len(catalogue.indicators)} indicators"
        )
