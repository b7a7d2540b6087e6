"""The demo's sample rollout is valid input for the platform (pure, no I/O)."""

import pytest

from mgi_cli.demo.kobo_payload import kobo_payload
from mgi_cli.demo.rollout import HTTP, KAFKA, KOBO, CatalogueView, build_rollout
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts.submission import Submission

pytestmark = pytest.mark.unit


def views() -> tuple[CatalogueView, CatalogueView]:
    by_scope = {c.scope.value: c for c in builtin_catalogues()}
    return tuple(  # type: ignore[return-value]
        CatalogueView(c.version, c.scope.value, [(i.code, i.domain) for i in c.indicators])
        for c in (by_scope["national"], by_scope["local"])
    )


def test_rollout_is_the_same_each_run_but_for_its_fresh_assessment_ids() -> None:
    first, second = build_rollout(*views(), "aaa111"), build_rollout(*views(), "bbb222")
    assert [len(p.submissions) for p in first] == [len(p.submissions) for p in second]
    assert not {p.assessment_id for p in first} & {p.assessment_id for p in second}
    assert {p.jurisdiction for p in first} >= {"IDN", "IDN-JK", "MEX", "KEN"}
    assert [p.body["round"] for p in first if p.jurisdiction == "KEN"] == [1, 2]


def test_indonesia_has_17_actors_and_one_indicator_two_of_them_answer_differently() -> None:
    indonesia = build_rollout(*views(), "r")[0]
    assert len(indonesia.actors) == 17
    assert indonesia.conflict is not None
    code, first, second = indonesia.conflict
    answers = {
        s.body["actor_id"]: a["value"]
        for s in indonesia.submissions
        for a in s.body["answers"]
        if a["indicator"] == code
    }
    assert answers == {first: "yes", second: "no"}
    national, _ = views()
    assigned = [c for actor in indonesia.actors.values() for c in actor["indicators"]]
    assert sorted(set(assigned)) == sorted(code for code, _ in national.indicators)
    assert len(assigned) == len(set(assigned)) + 1


def test_every_path_is_taken_and_every_submission_is_valid_for_its_actor() -> None:
    plans = build_rollout(*views(), "r")
    assert {s.path for p in plans for s in p.submissions} == {HTTP, KAFKA, KOBO}
    for plan in plans:
        for planned in plan.submissions:
            submission = Submission.model_validate(planned.body)
            assigned = set(plan.actors[submission.actor_id]["indicators"])
            assert {a.indicator for a in submission.answers} <= assigned


def test_the_kobo_edit_names_the_submission_it_replaces_as_kobo_does() -> None:
    plans = build_rollout(*views(), "r")
    jakarta = next(p for p in plans if p.jurisdiction == "IDN-JK")
    edit = next(s for s in jakarta.submissions if s.supersedes)
    _, local = views()
    payload = kobo_payload(edit.body, dict(local.indicators), edit.supersedes)
    assert payload["meta/deprecatedID"] == f"uuid:{jakarta.submissions[0].body['submission_id']}"
    assert payload["_uuid"] == edit.body["submission_id"]
    assert not payload["_submission_time"].endswith("Z")
    code = edit.body["answers"][0]["indicator"]
    assert payload[f"{dict(local.indicators)[code]}/{code}"] == edit.body["answers"][0]["value"]
