"""The pure rules: matching, address checks, signing, translation, digest windows, rendering."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from mgi_notifications.domain.addresses import email_problem, webhook_problem
from mgi_notifications.domain.assessments import AssessmentInfo
from mgi_notifications.domain.backoff import retry_delay
from mgi_notifications.domain.deliveries import digest_window
from mgi_notifications.domain.events import NotificationEvent, NotificationType
from mgi_notifications.domain.matching import Interest, covers, matching
from mgi_notifications.domain.rendering import render_mail
from mgi_notifications.domain.signing import canonical_body, signature, verify
from mgi_notifications.domain.translation import from_changed, from_publication, from_results
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    AssessmentChangedData,
    AssessmentStatus,
    JurisdictionData,
    Publication,
    PublicationData,
    ResultsUpdated,
    ResultsUpdatedData,
)

T0 = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)


def event(
    kind: str = "submission.accepted", jurisdiction: str = "IDN-JK", **data: object
) -> NotificationEvent:
    return NotificationEvent(
        event_id=str(uuid4()), event_type=NotificationType(kind), assessment_id="A1",
        jurisdiction=jurisdiction, jurisdiction_name="Jakarta", occurred_at=T0,
        data=data or {"submission_id": "s-1"},
    )  # fmt: skip


def test_a_country_covers_its_local_jurisdictions_only() -> None:
    assert covers("IDN", "IDN-JK") and covers("IDN", "IDN")
    assert not covers("IDN", "IDNX") and not covers("IDN-JK", "IDN")


def test_matching_needs_both_event_name_and_jurisdiction() -> None:
    interests = [
        Interest(subscription_id="a", jurisdictions=["IDN"], events=["submission.accepted"]),
        Interest(subscription_id="b", jurisdictions=["KEN"], events=["submission.accepted"]),
        Interest(subscription_id="c", jurisdictions=["IDN-JK"], events=["results.conflict"]),
    ]
    assert matching(interests, event()) == ["a"]
    assert matching(interests, event("results.conflict", indicators=["x"])) == ["c"]


@pytest.mark.parametrize("address", ["ops@example.org", "Ana.María@ejemplo.es"])
def test_valid_emails(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize("address", ["no-at-sign", "a@b", "a@@example.org", "a b@example.org"])
def test_invalid_emails(address: str) -> None:
    assert email_problem(address)


@pytest.mark.parametrize(
    "url",
    ["http://example.org/hook", "https://127.0.0.1/hook", "https://localhost/x",
     "https://10.1.2.3/x", "https://192.168.0.1/x", "https://169.254.169.254/latest",
     "https://[::1]/x", "https://[::ffff:127.0.0.1]/x", "https://0.0.0.0/x",
     "ftp://example.org/x", "https://user:pw@example.org/x", "https://app.localhost/x"],
)  # fmt: skip
def test_refused_webhooks(url: str) -> None:
    assert webhook_problem(url, allow_private=False)


def test_private_webhooks_when_allowed() -> None:
    assert webhook_problem("http://127.0.0.1:9000/hook", allow_private=True) is None
    assert webhook_problem("https://10.0.0.5/hook", allow_private=True) is None
    # Allowing private targets does not make plain http to the internet acceptable.
    assert webhook_problem("http://example.org/hook", allow_private=True)
    assert webhook_problem("https://example.org/hook", allow_private=False) is None


def test_signature_is_hmac_sha256_of_the_exact_body() -> None:
    body = canonical_body({"b": 1, "a": "é"})
    assert body == '{"a":"é","b":1}'.encode()
    header = signature("s3cret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("s3cret", body, header)
    assert not verify("other", body, header) and not verify("s3cret", body + b" ", header)


def test_digest_windows_are_fixed_by_occurred_at() -> None:
    window, due = digest_window(event(), 60)
    assert due - T0.timestamp() <= 60 and due > T0.timestamp()
    assert digest_window(event(), 60)[0] == window


def test_backoff_doubles_and_is_capped() -> None:
    assert [retry_delay(n, 5) for n in (1, 2, 3)] == [5, 10, 20]
    assert retry_delay(30, 5) == 900


def results(revision: int, conflicts: list[str], completed: bool = False) -> ResultsUpdated:
    data = ResultsUpdatedData(revision=revision, completeness=1.0 if completed else 0.5,
                              completed=completed, changed_indicators=[],
                              open_conflicts=conflicts)  # fmt: skip
    return ResultsUpdated(event_type="results.updated", assessment_id="A1", jurisdiction="IDN",
                          data=data)  # fmt: skip


def test_only_new_conflicts_and_one_completion_are_notified() -> None:
    info = AssessmentInfo(assessment_id="A1", jurisdiction="IDN", jurisdiction_name="Indonesia")
    first, info = from_results(results(1, ["r1"]), info)
    assert [(e.event_type, e.data["indicators"]) for e in first] == [("results.conflict", ["r1"])]
    same, info = from_results(results(2, ["r1"]), info)
    assert same == []
    more, info = from_results(results(3, ["r1", "r2"], completed=True), info)
    assert [e.event_type for e in more] == ["results.conflict", "assessment.completed"]
    assert more[0].data["indicators"] == ["r2"]
    replay, _ = from_results(results(3, ["r1", "r2"], completed=True), info)
    assert replay == []


def test_status_change_names_the_jurisdiction_and_publication_keeps_the_link() -> None:
    changed = AssessmentChanged(
        event_type="assessment.status_changed", assessment_id="A1", jurisdiction="IDN",
        data=AssessmentChangedData(
            status=AssessmentStatus.VALIDATED, previous_status=AssessmentStatus.CONSULTATION,
            scope="national", round=1, catalogue_version="v",
            jurisdiction=JurisdictionData(code="IDN", name="Indonesia"), languages=["en"],
            catalogue=CatalogueStructure.model_validate(
                {"version": "v", "scope": "national",
                 "domains": [{"domain": "d", "sub_areas": ["s"]}],
                 "indicators": [{"code": "i1", "domain": "d", "sub_area": "s"}]}),
        ),
    )  # fmt: skip
    [notification], info = from_changed(changed, AssessmentInfo(assessment_id="A1"))
    assert notification.jurisdiction_name == "Indonesia"
    assert notification.data == {"status": "validated", "previous_status": "consultation"}
    published = Publication(event_type="publication.succeeded", assessment_id="A1",
                            jurisdiction="IDN", data=PublicationData(
                                publication_id="p1", revision=4, target="http",
                                location="https://portal.example.org/p/A1"))  # fmt: skip
    [note], info = from_publication(published, info)
    assert note.portal_location == info.portal_location == "https://portal.example.org/p/A1"


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "was accepted"), ("fr", "a été acceptée"), ("es", "fue aceptado")],
)
def test_mail_in_the_subscription_language(language: str, words: str) -> None:
    mail = render_mail([event()], language, "sub-1")
    assert mail.subject.startswith("[MGI] Jakarta")
    assert words in mail.text and words in mail.html
    assert "A1" in mail.subject and "A1" in mail.text


def test_mail_html_escapes_what_other_systems_wrote() -> None:
    hostile = event("submission.rejected", submission_id=None, reason="<script>x</script>",
                    fields=[])  # fmt: skip
    mail = render_mail([hostile], "en", "sub-1")
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html
    assert "<script>" in mail.text  # plain text is not markup


def test_digest_mail_counts_and_lists_every_event() -> None:
    events = [event() for _ in range(3)] + [event("submission.rejected", reason="bad", fields=[])]
    events[-1] = events[-1].model_copy(update={"occurred_at": T0 + timedelta(seconds=5)})
    mail = render_mail(events, "en", "sub-1")
    assert "3 submission(s) accepted, 1 rejected" in mail.subject
    assert mail.text.count("- 2026-03-01") == 4


def test_jurisdiction_codes_as_intake_writes_them() -> None:
    from pydantic import ValidationError

    from mgi_notifications.entrypoints.schemas import SubscriptionCreate

    body = {"channel": "email", "address": "a@example.org", "events": ["submission.accepted"]}
    assert SubscriptionCreate.model_validate({**body, "jurisdictions": ["IDN", "IDN-JK"]})
    with pytest.raises(ValidationError):
        SubscriptionCreate.model_validate({**body, "jurisdictions": ["idn"]})
