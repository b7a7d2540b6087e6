"""Which answer of each actor is current, whatever order the submissions arrived in.

The rule: for each actor and indicator, take the newest submission (by `key`) that answered
the indicator; if edits by the same actor replaced it, follow them (the newest edit at each
step) to the current version. That version's answer counts; none when it leaves the indicator
out. So an edit replaces everything the version before it said, even when it is dated earlier
(KoboToolbox keeps the original's time on an edit), and an edit naming another actor's
submission replaces nothing.

Until issue 7 the rule was "the newest answer among the submissions no edit replaced". That
needs every submission ever received (any could count again once a later one is replaced), so
the stored state grew with every submission. The two rules give the same answers except:
- an edit that leaves out an indicator the replaced version answered: the old rule fell back on
  an older submission of the same actor, this one gives no answer from that actor;
- an edit dated before the version it replaces, against a third submission of the same actor
  dated in between: the old rule took the one in between, this one the edit.
`recording` keeps what this rule needs in a book bounded by actors x indicators.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mgi_shared.contracts.submission import AnswerValue

# (submitted_at, submission_id): the later time wins, ties go to the larger id.
AnswerKey = tuple[datetime, str]


@dataclass(frozen=True)
class StoredSubmission:
    """A submission as scoring reads it: who, when, the value per indicator, what it edits."""

    submission_id: str
    actor_id: str
    submitted_at: datetime
    answers: Mapping[str, AnswerValue]
    supersedes: str | None = None

    @property
    def key(self) -> AnswerKey:
        return (self.submitted_at, self.submission_id)


@dataclass(frozen=True)
class Trail:
    """One actor's newest answer to one indicator, then the edits that replaced it in turn.

    `path[0]` is the newest submission that answered the indicator, each next one the newest
    edit of the one before, the last the current version; `value` is its answer (None: it
    leaves the indicator out, or the edits replace each other in a loop, which `path` then
    shows by ending on a submission it already holds).
    """

    path: tuple[AnswerKey, ...]
    value: AnswerValue | None

    @property
    def current(self) -> AnswerKey:
        return self.path[-1]


@dataclass(frozen=True)
class AnswerBook:
    """What scoring keeps of an assessment's submissions (see `recording`)."""

    # actor id -> indicator code -> trail: at most actors x indicators trails.
    trails: Mapping[str, Mapping[str, Trail]] = field(default_factory=dict)
    # Edits whose replaced submission has not arrived yet, whole, ordered by id.
    waiting: tuple[StoredSubmission, ...] = ()
    # Distinct submissions recorded (what the results reflect), for clients waiting on them.
    applied: int = 0


@dataclass(frozen=True)
class CurrentAnswer:
    value: AnswerValue
    key: AnswerKey  # of the version the value comes from


# indicator code -> actor id -> that actor's current answer
CurrentAnswers = dict[str, dict[str, CurrentAnswer]]


def current_answers(book: AnswerBook, only: Collection[str] | None = None) -> CurrentAnswers:
    """Every indicator's current answers, or `only` those indicators'."""
    current: CurrentAnswers = {}
    for actor, trails in book.trails.items():
        chosen = trails.items() if only is None else _some(trails, only)
        for indicator, trail in chosen:
            if trail.value is not None:
                answer = CurrentAnswer(trail.value, trail.current)
                current.setdefault(indicator, {})[actor] = answer
    return current


def _some(trails: Mapping[str, Trail], codes: Collection[str]) -> list[tuple[str, Trail]]:
    return [(code, trails[code]) for code in codes if code in trails]


def answered_differently(before: AnswerBook, after: AnswerBook) -> set[str]:
    """The indicators whose current answers may differ between the two books: those with a
    trail that differs for some actor. Quick for a book that `recording.record` made from
    `before`: it keeps every other actor's trails, and the actor's untouched trails, as the very
    same objects, so only one actor's trails are compared, mostly by identity."""
    codes: set[str] = set()
    for actor in before.trails.keys() | after.trails.keys():
        old, new = before.trails.get(actor, {}), after.trails.get(actor, {})
        if old is new:
            continue
        for code in old.keys() | new.keys():
            was, now = old.get(code), new.get(code)
            if was is not now and was != now:
                codes.add(code)
    return codes


def latest_key(answers: Mapping[str, CurrentAnswer]) -> AnswerKey | None:
    """The newest current answer to one indicator: what a resolution is based on."""
    return max((a.key for a in answers.values()), default=None)
