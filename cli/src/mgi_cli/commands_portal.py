"""`mgi portal resync [--assessment ID]`: publish profiles again, after the portal lost data.

Calls the running publishing service (`GET /v1/portal/profiles`, then
`POST /v1/portal/resync` per assessment), so each resync is written, recorded and
announced on `mgi.publications.v1` like any publication. The admin key is sent, never
printed.
"""

import httpx
import typer
from rich.progress import Progress

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_shared.settings import PlatformSettings

app = typer.Typer(help="The data portal that publishing writes to.", no_args_is_help=True)


@app.command()
def resync(
    assessment: str | None = typer.Option(None, "--assessment", help="only this assessment"),
) -> None:
    """Publish every published profile again (or one), with a progress bar."""
    settings = PlatformSettings()
    base = settings.url_of("publishing")
    headers = {"Authorization": f"Bearer {admin_key(settings)}"}
    failed: list[str] = []
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            targets = [assessment] if assessment else _published(client)
            with Progress(console=console) as progress:
                task = progress.add_task("republishing profiles", total=len(targets))
                for assessment_id in targets:
                    answer = client.post("/v1/portal/resync", json={"assessment_id": assessment_id})
                    if answer.status_code != 200 or not answer.json()["succeeded"]:
                        failed.append(f"{assessment_id}: {_reason(answer)}")
                    progress.advance(task)
    except httpx.HTTPError as error:
        console.print(f"[red]publishing is not reachable at {base}:[/red] {type(error).__name__}")
        raise typer.Exit(1) from error
    console.print(f"republished {len(targets) - len(failed)} of {len(targets)} profile(s)")
    for line in failed:
        console.print(f"  [red]failed[/red] {line}", highlight=False)
    if failed:
        raise typer.Exit(1)


def _published(client: httpx.Client) -> list[str]:
    answer = client.get("/v1/portal/profiles")
    if answer.status_code != 200:
        console.print(f"[red]listing profiles failed ({answer.status_code}):[/red] {answer.text}")
        raise typer.Exit(1)
    ids: list[str] = answer.json()["assessment_ids"]
    return ids


def _reason(answer: httpx.Response) -> str:
    if answer.status_code == 200:
        return str(answer.json().get("error"))
    try:
        return f"{answer.status_code} {answer.json().get('detail')}"
    except ValueError:
        return f"{answer.status_code}"
