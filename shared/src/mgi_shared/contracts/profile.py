"""The country profile publishing sends to the portal (contract section 6): `profile.json`.

Scoring's results (contract section 5) plus the jurisdiction and the publication's own
metadata. An outside contract like the events: the HTTP portal receives it as the body of
`PUT {PORTAL_URL}/profiles/{assessment_id}`, and `mgi contracts` writes its JSON Schema.
Results fields scoring may add later are kept (extra allowed), so nothing is dropped.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from mgi_shared.contracts.payloads import JurisdictionData


class ProfileIndicator(BaseModel):
    model_config = ConfigDict(extra="allow")

    indicator: str
    domain: str
    sub_area: str = ""
    value: str | None = None
    score: float | None = None
    status: str = Field(description="agreed, conflict or missing")
    contributors: list[str] = Field(default_factory=list)
    resolved: bool = Field(default=False, description="value set by a reviewer's resolution")
    note: str | None = Field(default=None, description="the reviewer's note, when there is one")


class ProfileDomain(BaseModel):
    model_config = ConfigDict(extra="allow")

    domain: str
    score: float | None = None
    answered: int = 0
    total: int = 0
    well_developed: list[str] = Field(default_factory=list)
    needs_development: list[str] = Field(default_factory=list)


class DomainChange(BaseModel):
    model_config = ConfigDict(extra="allow")

    domain: str
    score: float | None = None
    previous_score: float | None = None
    change: float | None = None
    compared: int = 0
    improved: list[str] = Field(default_factory=list)
    declined: list[str] = Field(default_factory=list)


class Comparison(BaseModel):
    """The change since the previous round, when this is a follow-up round."""

    model_config = ConfigDict(extra="allow")

    previous_assessment_id: str
    previous_round: int
    previous_catalogue_version: str = ""
    domains: list[DomainChange] = Field(default_factory=list)


class Profile(BaseModel):
    model_config = ConfigDict(extra="allow")

    assessment_id: str = Field(max_length=128)
    revision: int = Field(ge=0, description="the results revision published")
    catalogue_version: str
    completeness: float = Field(ge=0, le=1)
    indicators: list[ProfileIndicator]
    domains: list[ProfileDomain]
    comparison: Comparison | None = None
    jurisdiction: JurisdictionData
    scope: str
    round: int = Field(ge=1)
    languages: list[str] = Field(description="the languages the profile is written in")
    published_at: datetime
