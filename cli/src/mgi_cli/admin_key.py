"""The admin key for CLI commands that call a service: sent, never printed."""

import typer

from mgi_shared.settings import PlatformSettings


def admin_key(settings: PlatformSettings) -> str:
    """MGI_ADMIN_TOKEN, else the key `mgi stack up` stored under MGI_DATA_DIR."""
    key = settings.admin_key()
    if key is not None:
        return key
    raise typer.BadParameter("no admin key: set MGI_ADMIN_TOKEN or run `mgi stack up` first")
