"""A catalogue from an XLSForm's rows (pure: the sheets come in as read by `workbook`).

Indicators are the `select_one` questions whose choices are the contract's answer values
(`actor_id` and `language` aside). Each indicator's domain is its `mgi_domain` cell, else the
name of its outermost group; its sub-area is its `mgi_sub_area` cell, else the label of the
group inside the domain's group. Texts come from every `label::<Language> (<code>)` column.
Problems name the sheet, the row and the column, as a person finds them in a spreadsheet.
"""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from mgi_cli.xlsform.form_declarations import answer_lists, form_languages, question_type
from mgi_cli.xlsform.form_sheet import ReadSheet, Sheet, settings_of
from mgi_cli.xlsform.vocabulary import (
    ACTOR_FIELD,
    ANSWER_VALUES,
    CATALOGUE_VERSION_SETTING,
    DOMAIN_COLUMN,
    ILLUSTRATIVE_SETTING,
    LANGUAGE_FIELD,
    SCOPE_SETTING,
    SUB_AREA_COLUMN,
)
from mgi_shared.catalogue.model import Catalogue

NOT_INDICATORS = {ACTOR_FIELD, LANGUAGE_FIELD}


class FormCatalogueError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.problems = problems


@dataclass
class _Group:
    name: str
    labels: dict[str, str]
    row: int


@dataclass
class _Reading:
    """What the walk over the survey collects, and the rows it came from (for errors)."""

    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def catalogue_from_form(
    sheets: dict[str, ReadSheet],
    source: str,
    *,
    version: str | None = None,
    scope: str | None = None,
) -> Catalogue:
    problems = [f"no '{name}' sheet" for name in ("survey", "choices") if name not in sheets]
    if problems:
        raise FormCatalogueError(source, problems)
    survey, choices = Sheet("survey", sheets["survey"]), Sheet("choices", sheets["choices"])
    settings = settings_of(sheets.get("settings"))
    languages, label_columns, problems = form_languages(
        survey, settings.get("default_language", "")
    )
    lists, list_problems = answer_lists(choices)
    reading = _Reading(problems=problems + list_problems)
    if not reading.problems:
        _walk(survey, label_columns, languages[0], lists, reading)
    for given, what, setting in ((version, "catalogue version", CATALOGUE_VERSION_SETTING),
                                 (scope, "scope", SCOPE_SETTING)):  # fmt: skip
        if not (given or settings.get(setting)):
            reading.problems.append(
                f"settings sheet: no {what}: add a '{setting}' column or give it as an option"
            )
    if not reading.indicators and not reading.problems:
        reading.problems.append("survey sheet: no indicator question (a select_one of "
                                f"{', '.join(ANSWER_VALUES)})")  # fmt: skip
    if reading.problems:
        raise FormCatalogueError(source, reading.problems)
    data = {
        "version": version or settings[CATALOGUE_VERSION_SETTING],
        "scope": scope or settings[SCOPE_SETTING],
        "languages": languages,
        "illustrative": settings.get(ILLUSTRATIVE_SETTING, "").lower() in ("yes", "true", "1"),
        "domains": list(reading.domains.values()),
        "indicators": reading.indicators,
    }
    try:
        return Catalogue.model_validate(data)
    except ValidationError as error:
        raise FormCatalogueError(source, _explained(error, survey, reading.rows)) from error


def _walk(
    survey: Sheet,
    labels: dict[str, str],
    default: str,
    answer_lists: set[str],
    reading: _Reading,
) -> None:
    groups: list[_Group] = []
    for row, cells in survey.body:
        kind, list_name = question_type(survey.cell(cells, "type"))
        name = survey.cell(cells, "name")
        texts = {code: text for code, column in labels.items()
                 if (text := survey.cell(cells, column))}  # fmt: skip
        if kind in ("begin group", "begin repeat"):
            groups.append(_Group(name, texts, row))
        elif kind in ("end group", "end repeat"):
            if not groups:
                reading.problems.append(f"{survey.where(row, 'type')}: end of a group never begun")
            else:
                groups.pop()
        elif kind == "select one" and name not in NOT_INDICATORS:
            if list_name not in answer_lists:
                continue  # a question of the form's own, not an indicator
            _indicator(survey, row, cells, name, texts, groups, (default, labels[default]), reading)
    reading.problems += [
        f"{survey.where(group.row, 'type')}: group '{group.name}' is never ended"
        for group in groups
    ]


def _indicator(
    survey: Sheet,
    row: int,
    cells: list[str],
    code: str,
    texts: dict[str, str],
    groups: list[_Group],
    default: tuple[str, str],
    reading: _Reading,
) -> None:
    """`default`: the default language's code and label column."""
    domain = survey.cell(cells, DOMAIN_COLUMN) or (groups[0].name if groups else "")
    sub_area = survey.cell(cells, SUB_AREA_COLUMN)
    if not sub_area and len(groups) > 1:
        inner = groups[1]
        sub_area = inner.labels.get(default[0]) or next(iter(inner.labels.values()), inner.name)
    missing = [
        f"{survey.where(row, default[1])}: no question text" if not texts else "",
        f"{survey.where(row, 'name')}: '{code}' is a second question of that name"
        if any(i["code"] == code for i in reading.indicators) else "",
        f"{survey.where(row, DOMAIN_COLUMN)}: no domain: put the question in a group "
        f"named by its domain, or fill the '{DOMAIN_COLUMN}' column" if not domain else "",
        f"{survey.where(row, SUB_AREA_COLUMN)}: no sub-area: put the question in a group "
        f"inside its domain's group, or fill the '{SUB_AREA_COLUMN}' column" if not sub_area else "",
    ]  # fmt: skip
    if any(missing):
        reading.problems.extend(problem for problem in missing if problem)
        return
    entry = reading.domains.setdefault(domain, {"domain": domain, "sub_areas": [], "name": {}})
    if groups and groups[0].name == domain and not entry["name"]:
        entry["name"] = groups[0].labels
    if sub_area not in entry["sub_areas"]:
        entry["sub_areas"].append(sub_area)
    reading.indicators.append({"code": code, "domain": domain, "sub_area": sub_area,
                               "text": texts})  # fmt: skip
    reading.rows.append(row)


def _explained(error: ValidationError, survey: Sheet, rows: list[int]) -> list[str]:
    problems = []
    for item in error.errors():
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            column = {"code": "name", "domain": DOMAIN_COLUMN, "sub_area": SUB_AREA_COLUMN}
            place = survey.where(rows[loc[1]], column.get(str(loc[2])) if len(loc) > 2 else None)
            problems.append(f"{place}: {item['msg']}")
        elif loc and loc[0] in ("version", "scope"):
            problems.append(f"settings sheet, {loc[0]}: {item['msg']}")
        else:
            problems.append(f"{'.'.join(map(str, loc)) or 'form'}: {item['msg']}")
    return problems
