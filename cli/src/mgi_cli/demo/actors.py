"""Actor maps of the sample rollout: who answers which indicators (pure data).

Indonesia's national map follows its MGI launch: 17 ministries and agencies in focus-group (FGD)
clusters, one per MGI domain; within a cluster the domain's indicators are shared out among its
members. The statistics agency also checks the first whole-of-government indicator, which the
planning ministry answers too: the one indicator with two answers, where they can disagree.
"""

from typing import Any

# FGD cluster (MGI domain) -> (actor id, name) of each member.
INDONESIA_CLUSTERS: dict[str, list[tuple[str, str]]] = {
    "rights": [
        ("idn-kemnaker", "Ministry of Manpower"),
        ("idn-kemensos", "Ministry of Social Affairs"),
        ("idn-kemenkes", "Ministry of Health"),
        ("idn-kemendikbud", "Ministry of Education and Culture"),
        ("idn-kemenpppa", "Ministry of Women's Empowerment and Child Protection"),
    ],
    "government": [
        ("idn-bappenas", "Ministry of National Development Planning (Bappenas)"),
        ("idn-polhukam", "Coordinating Ministry for Political, Legal and Security Affairs"),
        ("idn-kemendagri", "Ministry of Home Affairs"),
        ("idn-kemenkumham", "Ministry of Law and Human Rights"),
        ("idn-bps", "Statistics Indonesia (BPS)"),
    ],
    "partnerships": [("idn-kemlu", "Ministry of Foreign Affairs")],
    "wellbeing": [
        ("idn-bp2mi", "Indonesian Migrant Workers Protection Agency (BP2MI)"),
        ("idn-kemenkeu", "Ministry of Finance"),
        ("idn-kemendes", "Ministry of Villages and Development of Disadvantaged Regions"),
    ],
    "crises": [("idn-bnpb", "National Disaster Management Agency (BNPB)")],
    "safe_migration": [
        ("idn-imigrasi", "Directorate General of Immigration"),
        ("idn-polri", "Indonesian National Police"),
    ],
}

# Elsewhere one office per cluster, plus a statistics office checking the government cluster.
CLUSTER_OFFICES = {
    "rights": ("mol", "Ministry of Labour and Social Affairs"),
    "government": ("moi", "Ministry of Interior"),
    "partnerships": ("mofa", "Ministry of Foreign Affairs"),
    "wellbeing": ("moe", "Ministry of Economy"),
    "crises": ("dma", "Disaster Management Agency"),
    "safe_migration": ("imm", "Directorate General of Immigration"),
}


def actor_map(indicators: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Indonesia's 17 actors; every indicator has one, and exactly one indicator has two."""
    actors: dict[str, dict[str, Any]] = {}
    for domain, members in INDONESIA_CLUSTERS.items():
        codes = [code for code, of in indicators if of == domain]
        for index, (actor_id, name) in enumerate(members):
            actors[actor_id] = {"name": name, "cluster": domain,
                                "indicators": codes[index :: len(members)]}  # fmt: skip
    # The cluster's first member (Bappenas) has it; BPS checks it too.
    first_government = next(code for code, domain in indicators if domain == "government")
    actors["idn-bps"]["indicators"].append(first_government)
    return actors


def cluster_actor_map(prefix: str, indicators: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    actors: dict[str, dict[str, Any]] = {}
    for code, domain in indicators:
        short, name = CLUSTER_OFFICES[domain]
        actor = actors.setdefault(
            f"{prefix}-{short}", {"name": name, "cluster": domain, "indicators": []}
        )
        actor["indicators"].append(code)
    government = [code for code, domain in indicators if domain == "government"]
    actors[f"{prefix}-stats"] = {"name": "National Statistics Office", "cluster": "government",
                                 "indicators": government}  # fmt: skip
    return actors
