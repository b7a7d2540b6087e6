from itertools import pairwise

import pytest

from mgi_intake.domain.workflow import ORDER, TransitionError, check_transition, next_status
from mgi_shared.contracts.payloads import AssessmentStatus as S

pytestmark = pytest.mark.unit


def test_each_step_forward_is_allowed_up_to_validated() -> None:
    for current, following in pairwise(ORDER[:-1]):
        assert check_transition(current, following) is True


def test_repeating_the_current_status_is_no_change() -> None:
    assert check_transition(S.DRAFT_PROFILE, S.DRAFT_PROFILE) is False


@pytest.mark.parametrize(
    ("current", "requested", "allowed"),
    [
        (S.LAUNCHED, S.DRAFT_PROFILE, S.DATA_COLLECTION),  # skip
        (S.CONSULTATION, S.DATA_COLLECTION, S.VALIDATED),  # step back
        (S.LAUNCHED, S.VALIDATED, S.DATA_COLLECTION),
    ],
)
def test_skips_and_steps_back_name_the_allowed_next_step(
    current: S, requested: S, allowed: S
) -> None:
    with pytest.raises(TransitionError) as refused:
        check_transition(current, requested)
    assert refused.value.allowed_next == allowed
    assert f"'{allowed}'" in str(refused.value)


def test_only_the_system_publishes_and_only_from_validated() -> None:
    with pytest.raises(TransitionError, match="publishing service"):
        check_transition(S.VALIDATED, S.PUBLISHED)
    assert check_transition(S.VALIDATED, S.PUBLISHED, by_system=True) is True
    with pytest.raises(TransitionError):
        check_transition(S.CONSULTATION, S.PUBLISHED, by_system=True)
    assert check_transition(S.PUBLISHED, S.PUBLISHED, by_system=True) is False


def test_published_is_the_end() -> None:
    assert next_status(S.PUBLISHED) is None
    with pytest.raises(TransitionError, match="no further step"):
        check_transition(S.PUBLISHED, S.LAUNCHED)
