"""Jurisdiction codes: a country's ISO 3166-1 alpha-3 code; a local one adds `-<local code>`."""

import re

from mgi_shared.problems import Problem

COUNTRY = re.compile(r"^[A-Z]{3}$")
LOCAL = re.compile(r"^([A-Z]{3})-[A-Z0-9]{1,12}$")
SCOPE_CODE = re.compile(r"^[A-Z]{3}(-[A-Z0-9]{1,12})?$")


def check_jurisdiction(code: str, parent: str | None, scope: str) -> list[Problem]:
    """National: `IDN` without parent; local: `IDN-JK` with parent `IDN`."""
    if scope == "national":
        problems = []
        if not COUNTRY.match(code):
            problems.append(
                Problem("jurisdiction.code", "a national code is ISO alpha-3, e.g. IDN")
            )
        if parent is not None:
            problems.append(Problem("jurisdiction.parent", "a national jurisdiction has no parent"))
        return problems
    local = LOCAL.match(code)
    if not local:
        return [Problem("jurisdiction.code", "a local code is <ISO alpha-3>-<local>, e.g. IDN-JK")]
    if parent != local.group(1):
        return [Problem("jurisdiction.parent", f"must be '{local.group(1)}' for code '{code}'")]
    return []


def check_key_scopes(codes: list[str]) -> list[Problem]:
    """The jurisdictions an API key may cover must be well-formed codes."""
    return [
        Problem(f"jurisdictions[{i}]", "expected a code such as IDN or IDN-JK")
        for i, code in enumerate(codes)
        if not SCOPE_CODE.match(code)
    ]
