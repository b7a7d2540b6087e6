"""The rollout as a terminal table: one line per assessment."""

from rich.table import Table

from mgi_cli.rollout.model import STAGE_NAMES, RolloutRow, ordered, percent, when


def rollout_table(rows: list[RolloutRow]) -> Table:
    table = Table("jurisdiction", "assessment", "round", "status", "completeness",
                  "open conflicts", "last submission", "published",
                  title=f"MGI rollout: {len(rows)} assessment(s)")  # fmt: skip
    for r in ordered(rows):
        conflicts = "-" if r.conflicts is None else str(r.conflicts)
        table.add_row(r.jurisdiction, r.assessment_id, str(r.round),
                      STAGE_NAMES.get(r.status, r.status), percent(r.completeness),
                      conflicts, when(r.last_submission_at),
                      "yes" if r.published else "no")  # fmt: skip
    return table
