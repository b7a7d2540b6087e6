"""`mgi faults`' pure parts: which scenarios run, and when a scenario fails."""

import pytest

from mgi_cli.faults.audit import Audit
from mgi_cli.faults.options import LEADER_SCENARIO, SCENARIOS, parse_scenarios
from mgi_intake.adapters.rejections import ORIGINAL_MAX_CHARS, original_text

pytestmark = pytest.mark.unit


def test_every_scenario_by_default_and_the_leader_only_on_a_cluster() -> None:
    assert parse_scenarios(None, 1) == SCENARIOS
    assert parse_scenarios(None, 3) == (*SCENARIOS, LEADER_SCENARIO)
    assert parse_scenarios("poison, kill-intake", 1) == ("poison", "kill-intake")
    with pytest.raises(ValueError, match="unknown scenario"):
        parse_scenarios("kill-everything", 1)
    with pytest.raises(ValueError, match="--kafka-brokers 3"):
        parse_scenarios("leader", 1)


def passing() -> Audit:
    return Audit(acknowledged=10, stored=10, results_same=2, results_total=2,
                 webhooks_expected=5, webhooks_sent=5, mails_expected=3, mails_sent=3,
                 validated=2, published=2, recovery_seconds=1.0)  # fmt: skip


def test_a_loss_a_duplicate_or_a_promise_not_kept_fails_the_scenario() -> None:
    assert passing().failures() == []
    for change, named in (({"lost": 1}, "1 lost"), ({"stored_twice": 2}, "2 stored twice"),
                          ({"webhooks_twice": 1}, "notifications twice"),
                          ({"mails_sent": 2}, "notifications missing"),
                          ({"published": 1}, "validated but not published"),
                          ({"poison_sent": 4, "poison_rejected": 3}, "poison"),
                          ({"recovery_seconds": None}, "did not recover")):  # fmt: skip
        found = passing()
        for key, value in change.items():
            setattr(found, key, value)
        assert any(named in problem for problem in found.failures()), change


def test_a_rejection_keeps_the_start_of_a_large_record_and_says_it_was_cut() -> None:
    assert original_text(b'{"a": 1}') == '{"a": 1}'
    cut = original_text(b"x" * (2 * 1024 * 1024))
    assert len(cut) < ORIGINAL_MAX_CHARS + 100 and cut.endswith(
        "[cut: the record has 2097152 bytes]"
    )
