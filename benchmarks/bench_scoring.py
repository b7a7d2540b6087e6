"""How long scoring's pure domain takes to recompute one assessment after one new submission.

Not a test: it prints figures and ratios against baselines measured in the same run.
Run with `.venv/bin/python benchmarks/bench_scoring.py` (about 20 s).

For each size (7, 20, 50 actors on the real 98-indicator national catalogue), every actor
answers the indicators of one domain (actor i takes domain i mod 6, as the demo's ministries
do), first all of them and then a correction of two, so the state holds 2 x actors
submissions. The measured step is what scoring's `apply_change` does in memory for one
accepted submission: add it to the state, recompute indicator and domain results where its
answers changed them, compare them with the stored ones and list the changed indicators
(`settle`); and beside it the same with everything recomputed, as a rescore does.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from mgi_scoring.adapters.documents import state_fields, state_from
from mgi_scoring.domain.answers import StoredSubmission, current_answers
from mgi_scoring.domain.recording import record
from mgi_scoring.domain.revisions import settle
from mgi_scoring.domain.scoring import compute_results
from mgi_scoring.domain.state import AssessmentInfo, ScoringState, with_event, with_submission
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import Submission

ACTOR_COUNTS = (7, 20, 50)
ASSESSMENT_ID = "IDN-bench-national"
VALUES = ("yes", "yes", "partial", "no", "not_applicable", "unknown")
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
# Per size, the operations run in turns (so load from elsewhere hits them alike) until this
# many seconds have passed, at least MIN_ROUNDS and at most MAX_ROUNDS times each.
BUDGET_SECONDS = 6.0
MIN_ROUNDS = 30
MAX_ROUNDS = 2000

Raw = dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    actors: int
    catalogue: CatalogueStructure
    raw: list[Raw]  # every submission as a client sends it, the new one last
    state: ScoringState  # settled with all but the new submission
    new: StoredSubmission

    @property
    def answers(self) -> int:
        return sum(len(r["answers"]) for r in self.raw)


@dataclass(frozen=True)
class Figure:
    label: str
    samples: list[float]  # seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def national_catalogue() -> CatalogueStructure:
    return next(c for c in builtin_catalogues() if c.scope == "national").structure()


def actor_indicators(catalogue: CatalogueStructure, actors: int) -> dict[str, list[str]]:
    domains = [d.domain for d in catalogue.domains]
    return {
        f"actor-{i:02d}": [x.code for x in catalogue.indicators if x.domain == domains[i % 6]]
        for i in range(actors)
    }


def raw_submission(actor: str, codes: list[str], when: datetime, rng: random.Random) -> Raw:
    return {
        "submission_id": f"{actor}-{rng.getrandbits(64):016x}",
        "assessment_id": ASSESSMENT_ID,
        "actor_id": actor,
        "language": "en",
        "submitted_at": when.isoformat(),
        "answers": [
            {"indicator": code, "value": rng.choice(VALUES), "evidence": f"evidence {code}"}
            for code in codes
        ],
    }


def raw_submissions(by_actor: dict[str, list[str]], rng: random.Random) -> list[Raw]:
    """A full first submission per actor, then a later correction of two answers."""
    raws: list[Raw] = []
    for index, (actor, codes) in enumerate(sorted(by_actor.items())):
        when = T0 + timedelta(hours=index)
        raws.append(raw_submission(actor, codes, when, rng))
        raws.append(raw_submission(actor, rng.sample(codes, 2), when + timedelta(minutes=30), rng))
    return raws


def stored(raw: Raw) -> StoredSubmission:
    """What scoring keeps of an accepted submission (as `record_submission` builds it)."""
    submission = Submission.model_validate(raw)
    return StoredSubmission(
        submission_id=submission.submission_id,
        actor_id=submission.actor_id,
        submitted_at=submission.submitted_at,
        answers={a.indicator: a.value for a in submission.answers},
    )


def settled_state(
    catalogue: CatalogueStructure, submissions: list[StoredSubmission]
) -> ScoringState:
    info = AssessmentInfo("IDN", 1, "national", AssessmentStatus.DATA_COLLECTION, catalogue)
    state = ScoringState(assessment_id=ASSESSMENT_ID, info=info)
    for submission in submissions:
        state = with_submission(state, submission)
    settled, _ = settle(state, None)
    return settled


def scenario(catalogue: CatalogueStructure, actors: int, seed: int = 2024) -> Scenario:
    rng = random.Random(seed + actors)
    by_actor = actor_indicators(catalogue, actors)
    raws = raw_submissions(by_actor, rng)
    # The new submission: actor-00 answers all its indicators again, later than anything else.
    new_raw = raw_submission("actor-00", by_actor["actor-00"], T0 + timedelta(days=30), rng)
    state = settled_state(catalogue, [stored(r) for r in raws])
    return Scenario(actors, catalogue, [*raws, new_raw], state, stored(new_raw))


def measure(operations: list[Callable[[], object]]) -> list[list[float]]:
    """Samples (seconds) per operation, taken in turns: one of each per round."""
    for operation in operations:  # warm caches and lazily built validators
        operation()
    samples: list[list[float]] = [[] for _ in operations]
    deadline = time.perf_counter() + BUDGET_SECONDS
    rounds = 0
    while rounds < MAX_ROUNDS and (rounds < MIN_ROUNDS or time.perf_counter() < deadline):
        for operation, taken in zip(operations, samples, strict=True):
            start = time.perf_counter()
            operation()
            taken.append(time.perf_counter() - start)
        rounds += 1
    return samples


def validate_all(s: Scenario) -> None:
    for raw in s.raw:
        Submission.model_validate(raw)


def one_pass(s: Scenario) -> None:
    current_answers(record(s.state.answers, s.new))


def recompute(s: Scenario) -> None:
    compute_results(ASSESSMENT_ID, s.catalogue, current_answers(record(s.state.answers, s.new)), {})


def apply_new(s: Scenario) -> None:
    """As scoring handles a submission: only the indicators whose answers changed again."""
    settle(with_event(with_submission(s.state, s.new), "event-1"), None, s.state.answers)


def apply_all(s: Scenario) -> None:
    """As a rescore: every indicator and domain again."""
    settle(with_event(with_submission(s.state, s.new), "event-1"), None)


def document_round_trip(s: Scenario) -> None:
    """Not domain: the state <-> stored document conversion scoring does on each load/save."""
    state_from({"_id": ASSESSMENT_ID, "version": 1, **state_fields(s.state)})


# (label, what it is, operation); the first is the baseline the others are divided by.
OPERATIONS: tuple[tuple[str, str, Callable[[Scenario], None]], ...] = (
    ("validate (baseline)", "Submission.model_validate of every submission", validate_all),
    ("current_answers", "one pass over the answers: each actor's latest", one_pass),
    ("compute_results", "indicator and domain results, completeness", recompute),
    (
        "settle",
        "add the new submission, recompute what it changed, compare, list changes",
        apply_new,
    ),
    ("settle, everything", "the same, every indicator and domain recomputed", apply_all),
    (
        "doc round trip",
        "not domain: state_fields + state_from, as on load/save",
        document_round_trip,
    ),
)


def figures_for(s: Scenario) -> list[Figure]:
    operations = [lambda op=op: op(s) for _, _, op in OPERATIONS]
    return [
        Figure(label, taken)
        for (label, _, _), taken in zip(OPERATIONS, measure(operations), strict=True)
    ]


def legend() -> Table:
    table = Table(title="operations", show_header=False)
    for label, meaning, _ in OPERATIONS:
        table.add_row(label, meaning)
    return table


def table_for(results: dict[int, tuple[Scenario, list[Figure]]]) -> Table:
    table = Table(title="Scoring domain: one new submission, national catalogue (98 indicators)")
    for column in ("actors", "subm.", "answers", "operation", "reps", "median ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    table.add_column("x baseline", justify="right")
    for actors, (s, figures) in results.items():
        baseline = figures[0].median_ms
        for index, f in enumerate(figures):
            head = (str(actors), str(len(s.raw)), str(s.answers)) if index == 0 else ("", "", "")
            table.add_row(*head, f.label, str(len(f.samples)), f"{f.median_ms:.3f}",
                          f"{f.p95_ms:.3f}", f"{f.median_ms / baseline:.2f}")  # fmt: skip
        table.add_section()
    return table


def main() -> None:
    console = Console(width=max(Console().width, 100))
    catalogue = national_catalogue()
    started = time.perf_counter()
    results: dict[int, tuple[Scenario, list[Figure]]] = {}
    for actors in ACTOR_COUNTS:
        s = scenario(catalogue, actors)
        console.print(f"· {actors} actors: {len(s.raw)} submissions, {s.answers} answers")
        results[actors] = (s, figures_for(s))
    console.print(table_for(results))
    console.print(legend())
    console.print(
        "ratios are medians against the baseline row of the same size; "
        f"total {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
