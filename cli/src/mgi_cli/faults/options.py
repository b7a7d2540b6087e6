"""How big a fault run is, and which scenarios it plays: the full form and a short one."""

from dataclasses import dataclass

# In the order they run; `leader` needs a three-broker cluster (`--kafka-brokers 3`).
SCENARIOS = (
    "kill-intake", "kill-scoring", "kill-publishing", "kill-notifications",
    "kafka-restart", "database-restart", "poison", "smtp-down", "portal-503",
)  # fmt: skip
LEADER_SCENARIO = "leader"
LEADER_KILLS = 5


@dataclass(frozen=True)
class FaultOptions:
    submissions: int  # per scenario, half over HTTP, half on the inbound topic
    assessments: int  # the stream is spread over these; two of them are walked to validation
    outage_seconds: float  # SMTP down, portal answering 503
    scenarios: tuple[str, ...]
    kafka_brokers: int  # 1, or 3 for a replicated cluster (RF 3, min ISR 2)
    max_wait: float  # seconds any one wait for recovery may last before the scenario fails
    keep: bool  # keep the run's broker and database data (logs are always kept)


def parse_scenarios(text: str | None, kafka_brokers: int) -> tuple[str, ...]:
    """`kill-intake,poison` -> those, in the given order; None -> every scenario there is."""
    known = (*SCENARIOS, LEADER_SCENARIO)
    if text is None:
        return SCENARIOS + ((LEADER_SCENARIO,) if kafka_brokers >= 3 else ())
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ValueError(f"unknown scenario(s) {unknown}; choose from {', '.join(known)}")
    if LEADER_SCENARIO in names and kafka_brokers < 3:
        raise ValueError("the leader scenario needs --kafka-brokers 3")
    return names
