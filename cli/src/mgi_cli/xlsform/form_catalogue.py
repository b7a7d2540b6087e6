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

from mgi_cli.xlsform.vocabulary import (
    ACTOR_FIELD,
    ANSWER_VALUES,
    CATALOGUE_VERSION_SETTING,
    DOMAIN_COLUMN,
    ILLUSTRATIVE_SETTING,
    LANGUAGE_FIELD,
    SCOPE_SETTING,
    SUB_AREA_COLUMN,
    translated_column,
)
from mgi_shared.catalogue.model import Catalogue

# A sheet as read: its header, then each non-empty row with its spreadsheet row number.
ReadSheet = tuple[list[str], list[tuple[int, list[str]]]]
NOT_INDICATORS = {ACTOR_FIELD, LANGUAGE_FIELD}


class FormCatalogueError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.problems = problems


@dataclass
class _Group:
    name: str
    labels: dict[str, str]


@dataclass
class _Reading:
    """What the walk over the survey collects, and the rows it came from (for errors)."""

    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Sheet:
    """One sheet's columns by name, and problems worded with the cell's place."""

    def __init__(self, title: str, read: ReadSheet) -> None:
        self.title, (self.header, self.body) = title, read
        self.columns = {name: index for index, name in enumerate(self.header) if name}

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def where(self, row: int, column: str | None = None) -> str:
        if column is None or column not in self.columns:
            return f"{self.title} sheet, row {row}"
        letter = _letter(self.columns[column])
        return f"{self.title} sheet, row {row}, column {letter} ({column})"


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
    survey, choices = _Sheet("survey", sheets["survey"]), _Sheet("choices", sheets["choices"])
    settings = _settings(sheets.get("settings"))
    languages, label_columns, problems = _languages(survey, settings.get("default_language", ""))
    answer_lists, list_problems = _answer_lists(choices)
    reading = _Reading(problems=problems + list_problems)
    if not reading.problems:
        _walk(survey, label_columns, languages[0], answer_lists, reading)
    for name, value, setting in ((version, "catalogue version", CATALOGUE_VERSION_SETTING),
                                 (scope, "scope", SCOPE_SETTING)):  # fmt: skip
        if not (name or settings.get(setting)):
            reading.problems.append(
                f"settings sheet: no {value}: add a '{setting}' column or give it as an option"
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
    survey: _Sheet,
    labels: dict[str, str],
    default: str,
    answer_lists: set[str],
    reading: _Reading,
) -> None:
    groups: list[_Group] = []
    for row, cells in survey.body:
        kind, list_name = _question_type(survey.cell(cells, "type"))
        name = survey.cell(cells, "name")
        texts = {code: text for code, column in labels.items()
                 if (text := survey.cell(cells, column))}  # fmt: skip
        if kind in ("begin group", "begin repeat"):
            groups.append(_Group(name, texts))
        elif kind in ("end group", "end repeat"):
            if not groups:
                reading.problems.append(f"{survey.where(row, 'type')}: end of a group never begun")
            else:
                groups.pop()
        elif kind == "select one" and name not in NOT_INDICATORS:
            if list_name not in answer_lists:
                continue  # a question of the form's own, not an indicator
            _indicator(survey, row, cells, name, texts, groups, (default, labels[default]), reading)


def _indicator(
    survey: _Sheet,
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


def _question_type(cell: str) -> tuple[str, str]:
    """`select_one answers` -> ("select one", "answers"); `begin_group` and `begin group`
    are the same type (both spellings occur in real forms)."""
    words = cell.split()
    if words and words[0].lower() in ("select_one", "select_multiple"):
        return words[0].lower().replace("_", " "), words[1] if len(words) > 1 else ""
    return " ".join(cell.lower().replace("_", " ").split()), ""


def _languages(survey: _Sheet, default_setting: str) -> tuple[list[str], dict[str, str], list[str]]:
    """The form's languages (the default first) and the label column of each."""
    columns: dict[str, str] = {}
    problems = []
    for header in survey.header:
        if header.startswith("label::"):
            parsed = translated_column(header)
            if parsed is None:
                problems.append(f"{survey.where(1, header)}: cannot tell the language: "
                                "write it as 'label::French (fr)'")  # fmt: skip
            else:
                columns.setdefault(parsed[1], header)
    default = translated_column(f"label::{default_setting}") if default_setting else None
    default_code = default[1] if default else next(iter(columns), "en")
    if "label" in survey.columns:
        columns.setdefault(default_code, "label")  # a form in one language, without `::`
    if not columns:
        return ["en"], {}, [*problems, "survey sheet, row 1: no label column"]
    if default_code not in columns:
        default_code = next(iter(columns))
    languages = [default_code, *(code for code in columns if code != default_code)]
    return languages, columns, problems


def _answer_lists(choices: _Sheet) -> tuple[set[str], list[str]]:
    """Choice lists that hold the contract's answer values: only those and no others."""
    values: dict[str, list[tuple[int, str]]] = {}
    for row, cells in choices.body:
        values.setdefault(choices.cell(cells, "list_name"), []).append(
            (row, choices.cell(cells, "name"))
        )
    lists, problems = set(), []
    for list_name, entries in values.items():
        names = {name for _, name in entries}
        if not names & set(ANSWER_VALUES):
            continue  # some other list (actors, languages, ...)
        lists.add(list_name)
        problems += [
            f"{choices.where(row, 'name')}: '{name}' in list '{list_name}' is not an answer "
            f"value ({', '.join(ANSWER_VALUES)})"
            for row, name in entries
            if name not in ANSWER_VALUES
        ]
    return lists, problems


def _settings(read: ReadSheet | None) -> dict[str, str]:
    if read is None or not read[1]:
        return {}
    header, [(_, cells), *_] = read
    return {name: (cells[i] or "").strip() for i, name in enumerate(header) if i < len(cells)}


def _explained(error: ValidationError, survey: _Sheet, rows: list[int]) -> list[str]:
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


def _letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
