"""Pydantic's errors in words that name the field and the offending value."""

from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mgi_shared.problems import field_path, from_pydantic, shown

pytestmark = pytest.mark.unit


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    colour: Colour
    name: str = Field(max_length=5)
    count: int = 0


def problems(body: Any) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        Item.model_validate(body)
    return [f"{p.field}: {p.message}" for p in from_pydantic(raised.value.errors())]  # type: ignore[arg-type]


def test_a_bad_choice_names_the_value_and_the_choices() -> None:
    assert problems({"colour": "green", "name": "a"}) == ["colour: 'green' is not one of red, blue"]


def test_missing_unknown_and_too_long() -> None:
    found = problems({"name": "x" * 100, "size": 3, "count": "many"})
    assert found[0] == "colour: required"
    assert found[1].startswith("name: 'xxxx")
    assert "at most 5 characters" in found[1]
    assert found[2].startswith("count: 'many': input should be a valid integer")
    assert found[3] == "size: unknown field (given 3)"


def test_long_values_are_cut_short() -> None:
    text = shown("y" * 10_000)
    assert len(text) < 100
    assert "10000 characters" in text
    assert shown({"a": 1}) == "an object of 1 fields"
    assert shown([1, 2]) == "a list of 2 items"
    assert shown(None) == "null"
    assert shown(True) == "true"


def test_field_path() -> None:
    assert field_path(("answers", 2, "value")) == "answers[2].value"
