"""One assessment's questionnaire as XLSForm rows (pure: no files, no HTTP).

The form's names are the names Kobo puts in its REST payloads, and intake maps those back:
a group per domain named by the domain id, a question per indicator named by its code, its
evidence as `<code>_evidence`, and `actor_id`. Each actor sees only the indicators the actor
map gives it (`relevant`), so what it can submit is exactly what intake will accept from it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from mgi_cli.xlsform.vocabulary import (
    ACTOR_FIELD,
    ACTOR_LIST,
    ANSWER_LABELS,
    ANSWER_LIST,
    ANSWER_VALUES,
    CATALOGUE_VERSION_SETTING,
    DOMAIN_COLUMN,
    EVIDENCE_SUFFIX,
    ILLUSTRATIVE_SETTING,
    LANGUAGE_FIELD,
    SCOPE_SETTING,
    SUB_AREA_COLUMN,
    UI_TEXTS,
    in_language,
    label_header,
    language_name,
)
from mgi_shared.catalogue.model import Catalogue, Domain, Indicator

Row = dict[str, str]
Sheets = dict[str, list[Row]]


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    indicators: frozenset[str]


class ExportError(ValueError):
    pass


def form_sheets(
    catalogue: Catalogue, actors: list[Actor], assessment_id: str, language: str
) -> Sheets:
    """survey, choices and settings rows; `language` is the form's default language."""
    if language not in catalogue.languages:
        raise ExportError(f"catalogue {catalogue.version} has no language '{language}' "
                          f"(it has {', '.join(catalogue.languages)})")  # fmt: skip
    if not actors:
        raise ExportError(f"assessment {assessment_id} has no actors: map them first")
    languages = [language, *(code for code in catalogue.languages if code != language)]
    return {
        "survey": _survey(catalogue, actors, languages),
        "choices": _choices(actors, languages),
        "settings": [_settings(catalogue, assessment_id, language)],
    }


def _survey(catalogue: Catalogue, actors: list[Actor], languages: list[str]) -> list[Row]:
    actor_labels = {code: in_language(UI_TEXTS["actor"], code) for code in languages}
    rows = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        # The language the form was exported in: intake records it on the submission.
        {"type": "calculate", "name": LANGUAGE_FIELD, "calculation": f"'{languages[0]}'"},
        {
            "type": f"select_one {ACTOR_LIST}",
            "name": ACTOR_FIELD,
            "required": "yes",
            **_labels(actor_labels, languages),
        },
    ]
    for domain in catalogue.domains:
        indicators = [i for i in catalogue.indicators if i.domain == domain.domain]
        rows += _domain_rows(domain, indicators, actors, languages)
    return rows


def _domain_rows(
    domain: Domain, indicators: list[Indicator], actors: list[Actor], languages: list[str]
) -> list[Row]:
    """The domain's group with the indicators some actor answers; none when nobody does."""
    askers = {i.code: _askers(i.code, actors) for i in indicators}
    asked = [i for i in indicators if askers[i.code]]
    if not asked:
        return []
    everyone_asked = sorted({actor for i in asked for actor in askers[i.code]})
    rows = [{"type": "begin_group", "name": domain.domain, "relevant": _one_of(everyone_asked),
             **_labels(domain.name, languages, domain.domain)}]  # fmt: skip
    for indicator in asked:
        _check_name(indicator.code)
        relevant = _one_of(askers[indicator.code])
        rows.append({"type": f"select_one {ANSWER_LIST}", "name": indicator.code,
                     "required": "yes", "relevant": relevant,
                     DOMAIN_COLUMN: indicator.domain, SUB_AREA_COLUMN: indicator.sub_area,
                     **_labels(indicator.text, languages, indicator.code)})  # fmt: skip
        evidence = {
            code: in_language(UI_TEXTS["evidence"], code).format(code=indicator.code)
            for code in languages
        }
        rows.append({"type": "text", "name": indicator.code + EVIDENCE_SUFFIX,
                     "relevant": relevant, "appearance": "multiline",
                     **_labels(evidence, languages)})  # fmt: skip
    rows.append({"type": "end_group", "name": domain.domain})
    return rows


def _choices(actors: list[Actor], languages: list[str]) -> list[Row]:
    rows = [
        {"list_name": ANSWER_LIST, "name": value, **_labels(ANSWER_LABELS[value], languages)}
        for value in ANSWER_VALUES
    ]
    for actor in sorted(actors, key=lambda a: a.actor_id):
        # Ministry names are proper names: the same in every language of the form.
        names = {code: actor.name for code in languages}
        rows.append({"list_name": ACTOR_LIST, "name": actor.actor_id, **_labels(names, languages)})
    return rows


def _settings(catalogue: Catalogue, assessment_id: str, language: str) -> Row:
    return {
        "form_title": f"MGI {assessment_id} ({catalogue.version})",
        "form_id": _form_id(assessment_id),
        "default_language": language_name(language),
        CATALOGUE_VERSION_SETTING: catalogue.version,
        SCOPE_SETTING: catalogue.scope.value,
        ILLUSTRATIVE_SETTING: "yes" if catalogue.illustrative else "no",
    }


def _askers(code: str, actors: list[Actor]) -> list[str]:
    return [actor.actor_id for actor in actors if code in actor.indicators]


def _one_of(actor_ids: Iterable[str]) -> str:
    # XPath string literals cannot escape quotes; actor ids never hold one (intake's ID pattern).
    return " or ".join(f"${{{ACTOR_FIELD}}} = '{actor_id}'" for actor_id in actor_ids)


def _labels(texts: dict[str, str], languages: list[str], fallback: str = "") -> Row:
    """A label column per language; a missing translation falls back to the default
    language's text, so no language shows an empty question."""
    default = texts.get(languages[0]) or next(iter(texts.values()), fallback)
    return {label_header(code): texts.get(code) or default for code in languages}


def _form_id(assessment_id: str) -> str:
    # form_id must be an XML name: assessment ids may hold ':' (not allowed in an instance name).
    return "mgi_" + "".join(c if c.isalnum() or c in "-_." else "_" for c in assessment_id)


def _check_name(code: str) -> None:
    # An XML element name must not start with a digit, '-' or '.'; catalogue codes may.
    if not (code[0].isalpha() or code[0] == "_"):
        raise ExportError(f"indicator code '{code}' cannot name a form question "
                          "(it must start with a letter)")  # fmt: skip
