from datetime import UTC, datetime

from mgi_intake.domain.history import lineage


def stored(sid: str, actor: str, minute: int, supersedes: str | None = None,
           **answers: str) -> dict[str, object]:  # fmt: skip
    return {"_id": sid, "actor_id": actor, "supersedes": supersedes,
            "submitted_at": datetime(2023, 5, 10, 9, minute, tzinfo=UTC),
            "answers": [{"indicator": k, "value": v} for k, v in answers.items()]}  # fmt: skip


def test_latest_per_actor_and_indicator_counts_and_an_edit_replaces_all_of_its_original() -> None:
    found = lineage([
        stored("a", "mofa", 1, R1="yes", R2="no"),
        stored("b", "mofa", 5, R1="partial"),
        stored("c", "moh", 2, R1="no"),
        stored("d", "moh", 2, R1="yes"),  # same time: the larger id wins
        stored("e", "moh", 9, R2="yes"),
        stored("f", "moh", 1, "e", R1="no"),  # an edit of e, submitted earlier
    ])  # fmt: skip
    assert found.superseded_by == {"e": "f"}
    assert found.current == {("a", "R2"), ("b", "R1"), ("d", "R1")}
