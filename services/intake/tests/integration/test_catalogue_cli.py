"""`mgi catalogue load FILE` registers a new version with the running intake."""

import asyncio
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml
from typer.testing import CliRunner

from mgi_cli.commands_catalogue import app
from mgi_cli.xlsform.form_rows import Actor, form_sheets
from mgi_cli.xlsform.workbook import write_workbook
from mgi_shared.catalogue.loader import builtin_catalogues

pytestmark = pytest.mark.integration


async def test_load_validates_then_registers(intake: Any, tmp_path: Path) -> None:
    national = next(c for c in builtin_catalogues() if c.scope == "national")
    version = f"official-{uuid4().hex[:8]}"
    good = tmp_path / "official.yaml"
    good.write_text(yaml.safe_dump({**national.model_dump(mode="json"), "version": version}))
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\nscope: regional\n")
    runner = CliRunner()
    env = {"MGI_ADMIN_TOKEN": intake.settings.mgi_admin_token.get_secret_value()}

    def load(path: Path) -> Any:
        return runner.invoke(app, ["load", str(path), "--intake-url", intake.url], env=env)

    # The CLI is synchronous; run it off the loop that serves intake.
    refused = await asyncio.to_thread(load, bad)
    assert refused.exit_code == 1
    assert "field scope" in refused.output
    loaded = await asyncio.to_thread(load, good)
    assert loaded.exit_code == 0, loaded.output
    assert "registered" in loaded.output
    again = await asyncio.to_thread(load, good)
    assert "already registered" in again.output
    listed = await intake.http.get("/v1/catalogues", headers=intake.as_admin())
    assert version in {c["version"] for c in listed.json()}


async def test_an_xlsform_registers_as_a_catalogue_with_its_texts(
    intake: Any, tmp_path: Path
) -> None:
    national = next(c for c in builtin_catalogues() if c.scope == "national")
    everyone = [Actor("all", "All", frozenset(i.code for i in national.indicators))]
    form = tmp_path / "official.xlsx"
    write_workbook(form_sheets(national, everyone, "X-1", "en"), form)
    version = f"official-xlsx-{uuid4().hex[:8]}"
    env = {"MGI_ADMIN_TOKEN": intake.settings.mgi_admin_token.get_secret_value()}
    args = ["load", str(form), "--catalogue-version", version, "--intake-url", intake.url]
    loaded = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)
    assert loaded.exit_code == 0, loaded.output
    assert f"registered {version} (national, 98 indicators)" in loaded.output
    read = await intake.http.get(f"/v1/catalogues/{version}", headers=intake.as_admin())
    first = read.json()["indicators"][0]
    assert (first["code"], first["domain"]) == ("RGT-1.01", "rights")
    assert set(first["text"]) == {"en", "fr", "es"}
