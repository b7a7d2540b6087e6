"""The demo's sample rollout is valid input for the platform (pure, no I/O)."""

import pytest

from mgi_cli.demo.rollout import CatalogueView, build_rollout
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts.submission import Submission

pytestmark = pytest.mark.unit


def views() -> tuple[CatalogueView, CatalogueView]:
    by_scope = {c.scope.value: c for c in builtin_catalogues()}
    return tuple(  # type: ignore[return-value]
        CatalogueView(c.version, c.scope.value, [(i.code, i.domain) for i in c.indicators])
        for c in (by_scope["national"], by_scope["local"])
    )


def test_rollout_is_deterministic_and_spans_several_countries() -> None:
    first, second = build_rollout(*views()), build_rollout(*views())
    assert [p.submissions for p in first] == [p.submissions for p in second]
    assert {p.jurisdiction for p in first} >= {"IDN", "IDN-JK", "MEX", "KEN"}
    assert any(p.body["round"] == 2 for p in first)


def test_every_submission_is_valid_and_answers_only_assigned_indicators() -> None:
    for plan in build_rollout(*views()):
        for body in plan.submissions:
            submission = Submission.model_validate(body)
            assigned = set(plan.actors[submission.actor_id]["indicators"])
            assert {a.indicator for a in submission.answers} <= assigned


def test_every_indicator_has_an_actor_and_some_have_two() -> None:
    national, _ = views()
    plan = build_rollout(*views())[0]
    assigned = [code for actor in plan.actors.values() for code in actor["indicators"]]
    assert set(assigned) == {code for code, _ in national.indicators}
    assert len(assigned) > len(set(assigned))
