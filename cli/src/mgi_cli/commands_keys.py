"""`mgi keys list|create|revoke`: API keys through intake's admin routes (/v1/api-keys).

A created key is printed once, as intake returns it once; listing never shows one.
"""

from datetime import UTC, datetime, timedelta

import typer
from rich.table import Table

from mgi_cli.admin_key import admin_key
from mgi_cli.console import console
from mgi_cli.service_calls import ServiceCalls
from mgi_shared.settings import PlatformSettings

SCOPES = "e.g. IDN (covers IDN-JK); repeat for more"
EXPIRY = "refused by every service this many days from now"
app = typer.Typer(help="API keys: list, create, revoke (admin).", no_args_is_help=True)


def _calls() -> ServiceCalls:
    settings = PlatformSettings()
    return ServiceCalls(settings, admin_key(settings))


@app.command("list")
def list_keys() -> None:
    """Every key with its role, jurisdictions, state, creation, last use and expiry."""
    with _calls() as calls:
        keys = calls.json("intake", "GET", "/v1/api-keys")
    table = Table("key id", "label", "role", "jurisdictions", "state", "created", "last used",
                  "expires")  # fmt: skip
    for key in keys:
        table.add_row(key["key_id"], key["label"], key["role"], ", ".join(key["jurisdictions"]),
                      key["state"], _day(key["created_at"]), _minute(key["last_used_at"]),
                      _day(key["expires_at"]))  # fmt: skip
    console.print(table)


@app.command()
def create(
    role: str = typer.Option(..., "--role", help="submitter, reviewer or admin"),
    jurisdiction: list[str] = typer.Option(
        [], "--jurisdiction", "-j", help="e.g. IDN (covers IDN-JK); repeat for more"
    ),
    label: str = typer.Option("", "--label", help="who holds it, e.g. 'IDN MoFA focal point'"),
    expires_in_days: int | None = typer.Option(
        None, "--expires-in-days", min=1, help="refused by every service after this"
    ),
) -> None:
    """Issue a key; it is printed once: hand it over, it cannot be shown again."""
    body: dict[str, object] = {"role": role, "jurisdictions": jurisdiction, "label": label}
    if expires_in_days is not None:
        body["expires_at"] = (datetime.now(UTC) + timedelta(days=expires_in_days)).isoformat()
    with _calls() as calls:
        created = calls.json("intake", "POST", "/v1/api-keys", json=body)
    console.print(f"key id: {created['key_id']}", highlight=False)
    console.print(f"key (shown once): {created['key']}", highlight=False, soft_wrap=True)


@app.command()
def revoke(key_id: str = typer.Argument(..., help="from `mgi keys list`")) -> None:
    """Revoke a key in every service at once; revoking again changes nothing."""
    with _calls() as calls:
        revoked = calls.json("intake", "DELETE", f"/v1/api-keys/{key_id}")
    console.print(f"revoked {revoked['key_id']} ({revoked['label'] or revoked['role']})",
                  highlight=False)  # fmt: skip


def _day(value: str | None) -> str:
    return value[:10] if value else "-"


def _minute(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "never"
