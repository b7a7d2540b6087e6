"""Bounded strings for the items of lists and maps in request bodies.

Every string and list a service reads has a maximum length (shown in the
OpenAPI document), so no field can make a request cost more than its size says;
list items and map values get theirs from these types.
"""

from typing import Annotated

from pydantic import StringConstraints

# A language code (en, pt-BR, zh-Hant); BCP 47 codes in practice stay under 16 characters.
LanguageCode = Annotated[str, StringConstraints(min_length=2, max_length=16)]
# A jurisdiction code as intake writes them: IDN, or IDN-JK for a local one (see Jurisdiction).
JurisdictionCode = Annotated[str, StringConstraints(min_length=3, max_length=32)]
# An indicator code (Answer.indicator and IndicatorStructure.code have the same bound).
IndicatorCode = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# A name or label shown to people: a sub-area, a domain's name in one language.
Name = Annotated[str, StringConstraints(max_length=200)]
# One question or a long explanation in one language.
Text = Annotated[str, StringConstraints(max_length=5_000)]
# One cited source (a law, a decree, a URL, or a quoted passage: as long as an answer's evidence).
Source = Annotated[str, StringConstraints(max_length=20_000)]
# How many languages one catalogue or assessment may carry.
MAX_LANGUAGES = 20
