"""Reading results from scoring: found, not there yet, refused, and scoring down (an outage
that parks the record without spending its attempts)."""

import pytest

from mgi_publishing.adapters.scoring_results import (
    ResultsRefusedError,
    ResultsUnavailableError,
    ScoringResults,
)
from mgi_publishing.testing import results
from mgi_publishing.testing_http import ADMIN, SCORING_PORT, scoring_app
from mgi_shared.kafka.reliable import OutageError
from mgi_shared.testing.apps import serving

pytestmark = pytest.mark.integration
URL = f"http://127.0.0.1:{SCORING_PORT}"


async def test_results_found_missing_and_refused() -> None:
    async with serving(scoring_app({"IDN-x": results("IDN-x", 2)}), SCORING_PORT):
        found = await ScoringResults(URL, ADMIN).latest("IDN-x")
        assert found is not None and found["revision"] == 2
        assert await ScoringResults(URL, ADMIN).latest("IDN-none") is None
        with pytest.raises(ResultsRefusedError):
            await ScoringResults(URL, "not-the-admin-key").latest("IDN-x")


async def test_scoring_down_is_an_outage() -> None:
    with pytest.raises(ResultsUnavailableError) as raised:
        await ScoringResults(URL, ADMIN, timeout=2).latest("IDN-x")
    assert isinstance(raised.value, OutageError)
    assert ADMIN not in str(raised.value)
