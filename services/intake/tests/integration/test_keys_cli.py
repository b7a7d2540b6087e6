"""`mgi keys create|list|revoke` against the running intake."""

import asyncio
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from mgi_cli.commands_keys import app
from mgi_cli.console import console

pytestmark = pytest.mark.integration


async def test_create_list_revoke(intake: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "width", 200)  # a table row per key, unwrapped
    runner = CliRunner()
    env = {"MGI_ADMIN_TOKEN": intake.settings.mgi_admin_token.get_secret_value(),
           "INTAKE_PORT": str(intake.settings.intake_port)}  # fmt: skip

    def mgi_keys(*args: str) -> Any:
        return runner.invoke(app, list(args), env=env, terminal_width=200)

    created = await asyncio.to_thread(mgi_keys, "create", "--role", "submitter", "-j", "KEN",
                                      "--label", "KEN MoH", "--expires-in-days", "30")  # fmt: skip
    assert created.exit_code == 0, created.output
    key_id = re.search(r"key id: (\w+)", created.output).group(1)  # type: ignore[union-attr]
    key = re.search(r"key \(shown once\): (\S+)", created.output).group(1)  # type: ignore[union-attr]
    headers = {"Authorization": f"Bearer {key}"}
    assert (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 200
    listed = await asyncio.to_thread(mgi_keys, "list")
    assert listed.exit_code == 0 and key_id in listed.output and "KEN MoH" in listed.output
    assert key not in listed.output
    revoked = await asyncio.to_thread(mgi_keys, "revoke", key_id)
    assert revoked.exit_code == 0 and f"revoked {key_id}" in revoked.output
    assert (await intake.http.get("/v1/catalogues", headers=headers)).status_code == 401
    unknown = await asyncio.to_thread(mgi_keys, "revoke", "0000000000000000")
    assert unknown.exit_code == 1 and "404" in unknown.output
