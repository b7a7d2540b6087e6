"""`mgi rollout [--html FILE]`: where every assessment stands, from the services' APIs.

Reads only intake's and scoring's HTTP APIs with the key it is given (MGI_API_KEY or
`--key-file`, else the admin key), so a reviewer's key shows that reviewer's jurisdictions.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import typer

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_cli.rollout.collect import rollout as read_rollout
from mgi_cli.rollout.page import rollout_page
from mgi_cli.rollout.table import rollout_table
from mgi_cli.service_calls import ServiceCalls
from mgi_shared.settings import PlatformSettings

KEY_FILE = "a file holding the API key to read with (default: MGI_API_KEY, else the admin key)"


def rollout(
    html: Path | None = typer.Option(None, "--html", help="also write a self-contained page"),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE),
) -> None:
    """One line per assessment: status, completeness, open conflicts, last submission."""
    settings = PlatformSettings()
    key = _key(settings, key_file)
    with ServiceCalls(settings, key) as calls:
        rows = read_rollout(calls)
    console.print(rollout_table(rows))
    if html is not None:
        html.write_text(rollout_page(rows, datetime.now(UTC)), encoding="utf-8")
        console.print(f"wrote {html}", highlight=False)


def _key(settings: PlatformSettings, key_file: Path | None) -> str:
    if key_file is not None:
        return key_file.read_text(encoding="utf-8").strip()
    return os.environ.get("MGI_API_KEY") or admin_key(settings)
