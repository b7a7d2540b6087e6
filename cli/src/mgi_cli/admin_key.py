"""The admin key for CLI commands that call a service: sent, never printed."""

import typer

from mgi_shared.settings import PlatformSettings


def admin_key(settings: PlatformSettings) -> str:
    """MGI_ADMIN_TOKEN, else the key `mgi stack up` stored under MGI_DATA_DIR."""
    if settings.mgi_admin_token is not None:
        return settings.mgi_admin_token.get_secret_value()
    if settings.admin_token_file.is_file():
        return settings.admin_token_file.read_text().strip()
    raise typer.BadParameter("no admin key: set MGI_ADMIN_TOKEN or run `mgi stack up` first")
