"""Names shared by export and import: answer values, column headers, language labels."""

import re

# The contract's five answer values, in the order a focal point reads them.
ANSWER_VALUES = ("yes", "partial", "no", "not_applicable", "unknown")
ANSWER_LIST = "mgi_answer"
ACTOR_LIST = "mgi_actors"
ACTOR_FIELD = "actor_id"
LANGUAGE_FIELD = "language"
EVIDENCE_SUFFIX = "_evidence"

# Columns pyxform ignores and our import reads (documented in the README): they carry what an
# XLSForm has no place for, so an exported form loads back as the same catalogue.
DOMAIN_COLUMN = "mgi_domain"
SUB_AREA_COLUMN = "mgi_sub_area"
CATALOGUE_VERSION_SETTING = "mgi_catalogue_version"
SCOPE_SETTING = "mgi_scope"
ILLUSTRATIVE_SETTING = "mgi_illustrative"

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic",
                  "pt": "Portuguese", "ru": "Russian", "id": "Indonesian"}  # fmt: skip
# ODK's convention for a translated column: `label::English (en)`; the code in brackets is
# what Kobo and Enketo use to pick the language.
_TRANSLATED = re.compile(r"^(?P<kind>label|hint)::\s*(?P<name>.*?)\s*(?:\((?P<code>[^()]+)\))?\s*$")

ANSWER_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí"},
    "partial": {"en": "Partly", "fr": "En partie", "es": "En parte"},
    "no": {"en": "No", "fr": "Non", "es": "No"},
    "not_applicable": {"en": "Not applicable", "fr": "Sans objet", "es": "No aplica"},
    "unknown": {"en": "Unknown", "fr": "Inconnu", "es": "Desconocido"},
}
UI_TEXTS = {
    "actor": {"en": "Which ministry or agency is answering?",
              "fr": "Quel ministère ou organisme répond ?",
              "es": "¿Qué ministerio u organismo responde?"},
    "evidence": {"en": "Evidence (law, programme, document) for {code}",
                 "fr": "Justificatif (loi, programme, document) pour {code}",
                 "es": "Evidencia (ley, programa, documento) para {code}"},
}  # fmt: skip


def language_name(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


def label_header(code: str) -> str:
    return f"label::{language_name(code)}"


def in_language(texts: dict[str, str], code: str) -> str:
    """A fixed UI text in `code`, English where we have no translation."""
    return texts.get(code, texts["en"])


def translated_column(header: str) -> tuple[str, str] | None:
    """`label::French (fr)` -> ("label", "fr"); `label::French` -> ("label", "fr") for a known
    name; None for any other column, or a translation whose language cannot be told."""
    match = _TRANSLATED.match(header.strip())
    if match is None:
        return None
    code = match.group("code")
    if code is None:
        by_name = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
        code = by_name.get(match.group("name").lower())
    return (match.group("kind"), code.strip()) if code else None
