"""Which answer of each actor is current, whatever order the submissions arrived in."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from mgi_shared.contracts.submission import AnswerValue

# (submitted_at, submission_id): the later time wins, ties go to the larger id.
AnswerKey = tuple[datetime, str]


@dataclass(frozen=True)
class StoredSubmission:
    """What scoring keeps of a submission: who, when, and the value per indicator."""

    submission_id: str
    actor_id: str
    submitted_at: datetime
    answers: Mapping[str, AnswerValue]
    supersedes: str | None = None

    @property
    def key(self) -> AnswerKey:
        return (self.submitted_at, self.submission_id)


@dataclass(frozen=True)
class CurrentAnswer:
    value: AnswerValue
    key: AnswerKey


# indicator code -> actor id -> that actor's current answer
CurrentAnswers = dict[str, dict[str, CurrentAnswer]]


def add_submission(
    submissions: tuple[StoredSubmission, ...], new: StoredSubmission
) -> tuple[StoredSubmission, ...]:
    """Keep each submission once; kept sorted so stored state does not depend on arrival."""
    if any(s.submission_id == new.submission_id for s in submissions):
        return submissions
    return tuple(sorted((*submissions, new), key=lambda s: s.submission_id))


def live_submissions(submissions: Iterable[StoredSubmission]) -> list[StoredSubmission]:
    """Drop every submission an edit by the same actor replaced, even when the edit arrived
    first; an edit naming another actor's submission replaces nothing."""
    listed = list(submissions)
    actor_of = {s.submission_id: s.actor_id for s in listed}
    replaced = {
        s.supersedes for s in listed if s.supersedes and actor_of.get(s.supersedes) == s.actor_id
    }
    return [s for s in listed if s.submission_id not in replaced]


def current_answers(submissions: Iterable[StoredSubmission]) -> CurrentAnswers:
    current: CurrentAnswers = {}
    for submission in live_submissions(submissions):
        for indicator, value in submission.answers.items():
            by_actor = current.setdefault(indicator, {})
            held = by_actor.get(submission.actor_id)
            if held is None or submission.key > held.key:
                by_actor[submission.actor_id] = CurrentAnswer(value, submission.key)
    return current


def latest_key(answers: Mapping[str, CurrentAnswer]) -> AnswerKey | None:
    """The newest current answer to one indicator: what a resolution is based on."""
    return max((a.key for a in answers.values()), default=None)
