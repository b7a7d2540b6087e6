"""Fixtures shared by intake's unit and integration tests."""

from collections.abc import Callable
from typing import Any

import pytest

KoboPayload = Callable[..., dict[str, Any]]


@pytest.fixture
def kobo_payload() -> KoboPayload:
    """A KoboToolbox REST Service payload (JSON type) as Kobo documents and sends it."""
    return make_kobo_payload


def make_kobo_payload(
    uuid: str, actor_id: str = "idn-mofa", answers: dict[str, str] | None = None
) -> dict[str, Any]:
    answers = answers or {"rights/RGT-1.01": "yes", "rights/RGT-1.02": "partial"}
    return {
        "_id": 184467221,
        "formhub/uuid": "8c6f1f0e4b8a4f4cbd1f3f2f8e4d7a21",
        "start": "2023-05-10T11:02:13.123+07:00",
        "end": "2023-05-10T11:29:40.456+07:00",
        "today": "2023-05-10",
        "username": "idn_mofa_focal",
        "deviceid": "ee.kobotoolbox.org:Xy12AbCdEf34",
        "simserial": "simserial not found",
        "identification/actor_id": actor_id,
        "identification/respondent_role": "Director, Legal Affairs",
        **answers,
        "rights/RGT-1.01_evidence": "Law No. 18/2017 on the Protection of Migrant Workers",
        "rights/RGT-1.01_sources": "Law No. 18/2017\nGovernment Regulation 59/2021",
        "__version__": "vQ5xC2SgH7yqzV9dPxFmkG",
        "meta/instanceID": f"uuid:{uuid}",
        "_xform_id_string": "aK7nZz3bQ9wG2t8pR4mLfe",
        "_uuid": uuid,
        "_attachments": [
            {
                "mimetype": "application/pdf",
                "download_url": "https://kf.kobotoolbox.org/media/original?media_file=law.pdf",
                "filename": "idn_mofa_focal/attachments/law.pdf",
                "instance": 184467221,
                "xform": 1207734,
                "id": 30112233,
            }
        ],
        "_status": "submitted_via_web",
        "_geolocation": [None, None],
        "_submission_time": "2023-05-10T04:30:00",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": "idn_mofa_focal",
    }
