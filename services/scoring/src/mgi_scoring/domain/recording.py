"""Record a submission in an assessment's answer book: any arrival order, bounded size.

The book keeps only what the rule of `answers` can still need:
- per actor and indicator, the trail from the newest answer to its current version. A
  submission that is not the newest answer to any indicator, nor the newest edit of a version on
  a trail, changes no trail and is dropped: no later arrival can make it count again, since a
  replaced version keeps leading its trail (to the edit); it never gives way to an older answer.
- edits that arrived before the submission they replace ("waiting"), whole: when that one
  arrives and is the newest answer to an indicator, its trail leads through them. An edit of a
  waiting edit waits too, so following a newcomer's edits needs nothing but the waiting ones.
  When the replaced submission turns out to be another actor's, the edit replaces nothing.
- the count of distinct submissions recorded.

A submission is known by its id while it is on a trail or waiting. One that was dropped and
arrives again (a redelivery beyond the service's window of event ids) changes no trail but is
counted a second time: a bounded book cannot tell it from a new submission that arrives
already outdated. Likewise an edit of a version dropped before the edit arrived waits for it
in vain, taking room but never changing an answer.

So the book holds at most actors x indicators trails, each as long as the chain of edits of one
version (one or two submissions in practice), and at most WAITING_PER_ACTOR waiting edits per
actor. Past that limit the oldest waiting edit is let go: were the submission it replaces still
to arrive, it would count as if never edited. Within the limit the trails, so the answers, are
the same for the same submissions whatever their order and repeats.
"""

from collections.abc import Iterable, Mapping

from mgi_scoring.domain.answers import AnswerBook, AnswerKey, StoredSubmission, Trail

# Edits normally wait for milliseconds (the replaced submission is on its way); more than this
# many per actor means the replaced submissions are lost or were dropped long ago.
WAITING_PER_ACTOR = 8


def record(book: AnswerBook, new: StoredSubmission) -> AnswerBook:
    """The book with `new` in it; the same book when `new` is already known."""
    arrived = _held(book)
    if new.submission_id in arrived:
        return book
    # Every edit of `new` that has already arrived is waiting for it: these are all its edits.
    pool = (*book.waiting, new)
    mine = dict(book.trails.get(new.actor_id, {}))
    for indicator in _touched(mine, new):
        mine[indicator] = _next_trail(mine.get(indicator), indicator, new, pool)
    trails = {**book.trails, new.actor_id: mine}
    # What the book held before `new` counts as arrived, even if `new` just moved it off every
    # trail: its edits need not wait for it.
    arrived[new.submission_id] = new.actor_id
    return AnswerBook(trails, _still_waiting(pool, arrived), book.applied + 1)


def replay(submissions: Iterable[StoredSubmission]) -> AnswerBook:
    """A book from a list of submissions (the layout stored before the book existed)."""
    book = AnswerBook()
    for submission in sorted(submissions, key=lambda s: s.submission_id):
        book = record(book, submission)
    return book


def _held(book: AnswerBook) -> dict[str, str]:
    """Submission id -> actor, for every submission the book holds (on a trail or waiting)."""
    held = {
        key[1]: actor
        for actor, trails in book.trails.items()
        for trail in trails.values()
        for key in trail.path
    }
    held.update({s.submission_id: s.actor_id for s in book.waiting})
    return held


def _touched(mine: Mapping[str, Trail], new: StoredSubmission) -> set[str]:
    """The indicators `new` answers, and those whose trail holds the version it edits."""
    edited = {
        code for code, trail in mine.items() if _position(trail.path, new.supersedes) is not None
    }
    return set(new.answers) | edited


def _position(path: tuple[AnswerKey, ...], submission_id: str | None) -> int | None:
    """Where the path first holds that submission (a loop holds it twice); None: nowhere."""
    return next((i for i, key in enumerate(path) if key[1] == submission_id), None)


def _next_trail(
    trail: Trail | None, indicator: str, new: StoredSubmission, pool: tuple[StoredSubmission, ...]
) -> Trail:
    if trail is None or (indicator in new.answers and new.key > trail.path[0]):
        # The newest answer to this indicator: the trail starts again from it.
        return _follow((), new, indicator, pool)
    at = _position(trail.path, new.supersedes)
    if at is None or (at + 1 < len(trail.path) and trail.path[at + 1] > new.key):
        return trail
    # The newest edit of a version on the trail: from there on, the trail goes through it.
    return _follow(trail.path[: at + 1], new, indicator, pool)


def _follow(
    before: tuple[AnswerKey, ...],
    start: StoredSubmission,
    indicator: str,
    pool: tuple[StoredSubmission, ...],
) -> Trail:
    """The trail from `start` through its newest edit, that one's newest edit, and so on."""
    path = list(before)
    seen = {key[1] for key in before}
    version = start
    while version.submission_id not in seen:
        path.append(version.key)
        seen.add(version.submission_id)
        edits = [
            s
            for s in pool
            if s.supersedes == version.submission_id and s.actor_id == version.actor_id
        ]
        if not edits:
            return Trail(tuple(path), version.answers.get(indicator))
        version = max(edits, key=lambda s: s.key)
    path.append(version.key)  # back to a version already on the trail: no version stands
    return Trail(tuple(path), None)


def _still_waiting(
    pool: tuple[StoredSubmission, ...], arrived: Mapping[str, str]
) -> tuple[StoredSubmission, ...]:
    """Edits whose replaced submission has not arrived, or is itself waiting (same actor)."""
    waiting: dict[str, StoredSubmission] = {}
    grew = True
    while grew:
        grew = False
        for edit in pool:
            replaced = edit.supersedes
            if replaced is None or edit.submission_id in waiting:
                continue
            if replaced not in arrived or (
                replaced in waiting and arrived[replaced] == edit.actor_id
            ):
                waiting[edit.submission_id] = edit
                grew = True
    return _within_limit(waiting.values())


def _within_limit(waiting: Iterable[StoredSubmission]) -> tuple[StoredSubmission, ...]:
    by_actor: dict[str, list[StoredSubmission]] = {}
    for edit in waiting:
        by_actor.setdefault(edit.actor_id, []).append(edit)
    kept = [
        edit
        for edits in by_actor.values()
        for edit in sorted(edits, key=lambda s: s.key)[-WAITING_PER_ACTOR:]
    ]
    return tuple(sorted(kept, key=lambda s: s.submission_id))
