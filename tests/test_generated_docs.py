"""The committed event documents match what the code generates (regenerate: `mgi contracts`)."""

from pathlib import Path

import pytest

from mgi_shared.spec import write_all

pytestmark = pytest.mark.unit

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "contracts"


def test_committed_asyncapi_and_schemas_are_current(tmp_path: Path) -> None:
    for generated in write_all(tmp_path):
        committed = COMMITTED / generated.name
        assert committed.exists(), f"{committed} missing: run `mgi contracts`"
        assert committed.read_text() == generated.read_text(), (
            f"{committed} is stale: run `mgi contracts`"
        )
