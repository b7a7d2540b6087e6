"""What an XLSForm declares besides its questions: its languages (label columns) and which
choice lists hold the contract's answer values; and how a `type` cell reads."""

from mgi_cli.xlsform.form_sheet import Sheet
from mgi_cli.xlsform.vocabulary import ANSWER_VALUES, translated_column


def question_type(cell: str) -> tuple[str, str]:
    """`select_one answers` -> ("select one", "answers"); `begin_group` and `begin group`
    are the same type (both spellings occur in real forms)."""
    words = cell.split()
    if words and words[0].lower() in ("select_one", "select_multiple"):
        return words[0].lower().replace("_", " "), words[1] if len(words) > 1 else ""
    return " ".join(cell.lower().replace("_", " ").split()), ""


def form_languages(
    survey: Sheet, default_setting: str
) -> tuple[list[str], dict[str, str], list[str]]:
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


def answer_lists(choices: Sheet) -> tuple[set[str], list[str]]:
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
