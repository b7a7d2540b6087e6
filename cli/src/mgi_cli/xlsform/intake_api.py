"""What an export reads from intake: the catalogue version and the assessment's actor map."""

from typing import Any

import httpx

from mgi_cli.xlsform.form_rows import Actor
from mgi_shared.catalogue.model import Catalogue


class IntakeError(RuntimeError):
    pass


def read_form_inputs(
    intake_url: str, key: str, version: str, assessment_id: str
) -> tuple[Catalogue, list[Actor]]:
    """The catalogue (any version intake knows, not only the built-in ones) and the actors of
    an assessment bound to it."""
    with httpx.Client(
        base_url=intake_url.rstrip("/"), headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as http:
        assessment = _get(http, f"/v1/assessments/{assessment_id}")
        if assessment["catalogue_version"] != version:
            raise IntakeError(f"assessment {assessment_id} is bound to catalogue "
                              f"{assessment['catalogue_version']}, not {version}")  # fmt: skip
        catalogue = Catalogue.model_validate(_get(http, f"/v1/catalogues/{version}"))
        actors = [
            Actor(a["actor_id"], a["name"], frozenset(a["indicators"]))
            for a in _get(http, f"/v1/assessments/{assessment_id}/actors")
        ]
    return catalogue, actors


def _get(http: httpx.Client, path: str) -> Any:
    try:
        answer = http.get(path)
    except httpx.HTTPError as error:
        raise IntakeError(f"cannot reach intake at {http.base_url}: {error}") from error
    if answer.status_code != 200:
        raise IntakeError(f"GET {path} -> {answer.status_code}: {answer.text[:300]}")
    return answer.json()
