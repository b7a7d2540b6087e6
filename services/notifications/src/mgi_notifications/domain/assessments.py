"""What the service remembers of each assessment, from the events it reads, so mails can name the
jurisdiction, link the published profile, and tell a new conflict from a known one."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AssessmentInfo:
    assessment_id: str
    jurisdiction: str = ""
    jurisdiction_name: str = ""
    portal_location: str | None = None
    # Conflicts open at the last results revision seen: a conflict is new when not among them.
    known_conflicts: tuple[str, ...] = field(default_factory=tuple)
    results_revision: int = 0
    completed: bool = False

    def name(self, fallback_code: str) -> str:
        return self.jurisdiction_name or self.jurisdiction or fallback_code
