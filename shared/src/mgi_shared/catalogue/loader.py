"""Load and validate a catalogue file (YAML or JSON), with errors that name the line and field.

YAML is a superset of JSON, so one parser reads both. The file is parsed twice:
once into plain data for pydantic, once into YAML nodes that remember their
line, so a validation error at `indicators[3].code` can also say "line 57".
"""

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mgi_shared.catalogue.model import Catalogue

BUILTIN_PACKAGE = "mgi_shared.catalogue"
BUILTIN_FOLDER = "builtin"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; `problems` lists each one on its own."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


def load_catalogue(path: str | Path) -> Catalogue:
    path = Path(path)
    return parse_catalogue(path.read_text(encoding="utf-8"), str(path))


def parse_catalogue(text: str, source: str = "<catalogue>") -> Catalogue:
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        raise CatalogueError(source, [f"{where}: {error.problem}"]) from error
    if not isinstance(data, dict):
        raise CatalogueError(source, ["the file must hold one mapping (version, scope, ...)"])
    try:
        return Catalogue.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = [part for part in item["loc"] if part != "__root__"]
            line = _line_of(root, loc)
            where = f"line {line}, " if line else ""
            problems.append(f"{where}field {dotted(loc) or '(top level)'}: {item['msg']}")
        raise CatalogueError(source, problems) from error


def builtin_catalogues() -> list[Catalogue]:
    """The illustrative catalogues shipped inside the package (package data)."""
    folder = resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_FOLDER)
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    return [parse_catalogue(folder.joinpath(name).read_text("utf-8"), name) for name in names]


def dotted(loc: list[Any]) -> str:
    """('indicators', 3, 'code') -> 'indicators[3].code'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """The 1-based line of the deepest node along `loc` that exists in the file."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == str(part):
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
