"""The catalogue model: six domains, their sub-areas, and the indicators under them.

Intake owns catalogues and sends each assessment's catalogue *structure* inside
`mgi.assessments.changed.v1`, so scoring needs no access to intake's database.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mgi_shared.limits import MAX_LANGUAGES, LanguageCode, Name, Text

DOMAIN_IDS = ("rights", "government", "partnerships", "wellbeing", "crises", "safe_migration")


class Scope(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"


class Thresholds(BaseModel):
    """A sub-area is well developed at or above `well_developed` (mean score, 0..1) and
    needs development below `needs_development`; between the two it is neither."""

    model_config = ConfigDict(extra="forbid")

    well_developed: float = Field(default=0.75, ge=0, le=1)
    needs_development: float = Field(default=0.5, ge=0, le=1)

    @model_validator(mode="after")
    def ordered(self) -> "Thresholds":
        if self.needs_development > self.well_developed:
            raise ValueError("needs_development must not exceed well_developed")
        return self


class DomainStructure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain: str = Field(min_length=1, max_length=64)
    sub_areas: list[Name] = Field(min_length=1, max_length=50)


class IndicatorStructure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    domain: str = Field(min_length=1, max_length=64)
    sub_area: str = Field(min_length=1, max_length=200)


class CodeMapping(BaseModel):
    """One indicator renamed between catalogue versions."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, description="this version's indicator code")
    previous: str = Field(min_length=1, max_length=64, description="the previous version's code")


class CatalogueStructure(BaseModel):
    """What scoring needs of a catalogue: no texts, just codes, grouping and thresholds."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    scope: Scope
    thresholds: Thresholds = Field(default_factory=Thresholds)
    domains: list[DomainStructure] = Field(min_length=1, max_length=50)
    indicators: list[IndicatorStructure] = Field(min_length=1, max_length=1000)
    previous_version: str | None = Field(default=None, max_length=64)
    # A list of pairs, not a mapping: codes contain dots ("RGT-1.01"), which must never become
    # field names in a stored document (catalogues, events in outboxes). Catalogue files may
    # still write it as a mapping.
    previous_mapping: list[CodeMapping] = Field(
        default_factory=list,
        max_length=1000,
        description="indicators whose code differs from the previous version's",
    )

    @field_validator("previous_mapping", mode="before")
    @classmethod
    def pairs_from_a_mapping(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return [{"code": code, "previous": previous} for code, previous in value.items()]
        return value

    def previous_codes(self) -> dict[str, str]:
        """This version's code -> the previous version's, for codes that changed."""
        return {pair.code: pair.previous for pair in self.previous_mapping}

    @model_validator(mode="after")
    def consistent(self) -> "CatalogueStructure":
        sub_areas = {d.domain: set(d.sub_areas) for d in self.domains}
        codes: set[str] = set()
        for position, indicator in enumerate(self.indicators):
            where = f"indicators[{position}] ({indicator.code})"
            if indicator.code in codes:
                raise ValueError(f"{where}: duplicate indicator code")
            codes.add(indicator.code)
            if indicator.domain not in sub_areas:
                raise ValueError(f"{where}: unknown domain '{indicator.domain}'")
            if indicator.sub_area not in sub_areas[indicator.domain]:
                raise ValueError(
                    f"{where}: sub_area '{indicator.sub_area}' not in domain '{indicator.domain}'"
                )
        return self

    def codes(self) -> list[str]:
        return [indicator.code for indicator in self.indicators]


class Indicator(IndicatorStructure):
    text: dict[LanguageCode, Text] = Field(
        max_length=MAX_LANGUAGES, description="language code -> question text"
    )


class Domain(DomainStructure):
    name: dict[LanguageCode, Name] = Field(
        default_factory=dict, max_length=MAX_LANGUAGES, description="language code -> name"
    )


class Catalogue(CatalogueStructure):
    """A full catalogue as loaded from YAML/JSON: the structure plus texts per language."""

    languages: list[LanguageCode] = Field(min_length=1, max_length=MAX_LANGUAGES)
    illustrative: bool = True
    domains: list[Domain] = Field(min_length=1, max_length=50)  # type: ignore[assignment]
    indicators: list[Indicator] = Field(min_length=1, max_length=1000)  # type: ignore[assignment]

    def structure(self) -> CatalogueStructure:
        fields = self.model_dump(include=set(CatalogueStructure.model_fields))
        fields["domains"] = [{"domain": d.domain, "sub_areas": d.sub_areas} for d in self.domains]
        fields["indicators"] = [
            {"code": i.code, "domain": i.domain, "sub_area": i.sub_area} for i in self.indicators
        ]
        return CatalogueStructure.model_validate(fields)
