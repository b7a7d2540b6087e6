"""`mgi rescore`: recompute results from stored answers, through the running scoring service.

It calls scoring's admin route `POST /v1/rescore`, so new revisions go through
the service's own compare-and-set write and outbox, and an update is emitted
only where the results changed. The admin key comes from MGI_ADMIN_TOKEN, else
from MGI_DATA_DIR/admin-token; it is sent, never printed.
"""

import httpx
import typer

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_shared.settings import PlatformSettings


def rescore(
    assessment: str | None = typer.Option(None, "--assessment", help="one assessment id"),
    all_assessments: bool = typer.Option(False, "--all", help="every assessment scoring knows"),
) -> None:
    """Recompute results from stored answers; emit an update only where they changed."""
    if (assessment is None) == (not all_assessments):
        raise typer.BadParameter("give exactly one of --assessment ID or --all")
    settings = PlatformSettings()
    body: dict[str, object] = {"all": True} if all_assessments else {"assessment_id": assessment}
    try:
        response = httpx.post(
            f"{settings.url_of('scoring')}/v1/rescore",
            json=body,
            headers={"Authorization": f"Bearer {admin_key(settings)}"},
            timeout=300,
        )
    except httpx.HTTPError as error:
        console.print(f"[red]scoring is not reachable:[/red] {type(error).__name__}")
        raise typer.Exit(1) from error
    if response.status_code != 200:
        console.print(f"[red]rescore failed ({response.status_code}):[/red] {response.text}")
        raise typer.Exit(1)
    result = response.json()
    changed = result["changed"]
    console.print(f"rescored {result['rescored']} assessment(s); {len(changed)} changed")
    for assessment_id in changed:
        console.print(f"  new revision: {assessment_id}", highlight=False)
