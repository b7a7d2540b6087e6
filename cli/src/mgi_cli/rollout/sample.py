"""A seeded rollout for tests and the README screenshot: countries at every stage."""

from datetime import UTC, datetime

from mgi_cli.rollout.model import RolloutRow


def sample_rollout() -> list[RolloutRow]:
    def row(aid: str, code: str, name: str, status: str, completeness: float | None,
            conflicts: int | None, round_: int = 1, day: int | None = 20) -> RolloutRow:  # fmt: skip
        last = datetime(2026, 11, day, 9, 30, tzinfo=UTC) if day else None
        return RolloutRow(aid, code, name, "local" if "-" in code else "national", round_,
                          status, 12 if day else 0, 6, 4 if day else 0, last, completeness,
                          conflicts)  # fmt: skip

    return [
        row("IDN-2026-national", "IDN", "Indonesia", "consultation", 0.91, 2),
        row("IDN-JK-2026-local", "IDN-JK", "Jakarta", "data_collection", 0.48, 1),
        row("KEN-2024-national", "KEN", "Kenya", "published", 1.0, 0, day=3),
        row("KEN-2026-national", "KEN", "Kenya", "draft_profile", 0.77, 3, round_=2),
        row("MEX-2026-national", "MEX", "Mexico", "validated", 1.0, 0, day=18),
        row("PHL-2026-national", "PHL", "Philippines", "launched", None, None, day=None),
        row("SEN-2026-national", "SEN", "Senegal", "data_collection", 0.12, 0, day=26),
    ]
