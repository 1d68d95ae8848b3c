"""The issue's bad input, each refused with a clear message and nothing changed."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.assessments.factories import Team, small_rubric
from village.assessments import services
from village.assessments.models import (
    Assessment,
    ConsensusRating,
    EvidenceFile,
    MemberRating,
    Rubric,
)
from village.orgs.models import AuditEvent

pytestmark = pytest.mark.django_db


def _rate(team, member_index=0, indicator_id=None, level=3, revision=0):
    member = team.members[member_index]
    return services.rating_save(
        member=member,
        indicator_id=team.indicators[0].pk if indicator_id is None else indicator_id,
        level=level,
        note="",
        revision=revision,
        by=member.person,
    )


def _unchanged(before: tuple) -> bool:
    return before == (
        MemberRating.objects.count(),
        ConsensusRating.objects.count(),
        EvidenceFile.objects.count(),
        AuditEvent.objects.count(),
    )


def _counts() -> tuple:
    return (
        MemberRating.objects.count(),
        ConsensusRating.objects.count(),
        EvidenceFile.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_rating_for_an_indicator_of_another_rubric_is_refused():
    team = Team()
    other = small_rubric(key="other")
    foreign = other.components.first().indicators.first()
    before = _counts()
    for indicator_id in (foreign.pk, 0, "abc", None, 10**12):
        with pytest.raises(ValidationError, match="not part of this assessment's rubric"):
            services.rating_save(
                member=team.members[0],
                indicator_id=indicator_id if indicator_id is not None else "",
                level=2,
                note="",
                revision=0,
                by=team.people[0],
            )
    assert _unchanged(before)


@pytest.mark.parametrize("level", [0, 5, -1, "3.5", "", None, "x", 10**20])
def test_a_level_out_of_range_is_refused(level):
    team = Team()
    before = _counts()
    with pytest.raises(ValidationError, match="from 1 to 4"):
        _rate(team, level=level)
    assert _unchanged(before)


def test_handing_in_with_indicators_unrated_is_refused_in_the_readers_language():
    team = Team()
    _rate(team)
    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.member_ratings_submit(member=team.members[0], by=team.people[0])
    assert "3" in error.value.messages[0] and "4" in error.value.messages[0]
    assert error.value.messages[0] != ("Rate every indicator first: 3 of 4 are not rated yet."), (
        "the message should be translated"
    )
    team.members[0].refresh_from_db()
    assert team.members[0].submitted_at is None


def test_submitting_the_assessment_without_every_consensus_is_refused():
    team = Team()
    services.consensus_save(
        assessment=team.assessment,
        indicator_id=team.indicators[0].pk,
        level=2,
        evidence="",
        links=[],
        files=[],
        by=team.facilitator,
    )
    with pytest.raises(ValidationError, match="3 of 4 indicators have no consensus"):
        services.assessment_submit(assessment=team.assessment, by=team.facilitator)
    assert Assessment.objects.get(pk=team.assessment.pk).status == Assessment.Status.RATING


def test_an_edit_after_submission_is_refused():
    team = Team()
    team.rate_all(0, 2, hand_in=False)
    team.submit()
    before = _counts()
    rating = MemberRating.objects.filter(member=team.members[0]).first()
    with pytest.raises(ValidationError, match="submitted"):
        _rate(team, level=4, revision=rating.revision)
    with pytest.raises(ValidationError, match="submitted"):
        services.consensus_save(
            assessment=team.assessment,
            indicator_id=team.indicators[0].pk,
            level=1,
            evidence="",
            links=[],
            files=[],
            by=team.facilitator,
        )
    with pytest.raises(ValidationError, match="submitted"):
        services.member_add(
            assessment=team.assessment, person=team.facilitator, by=team.facilitator
        )
    assert _unchanged(before)
    rating.refresh_from_db()
    assert rating.level == 2


def test_a_member_rating_twice_at_once_from_two_tabs():
    team = Team()
    # Both tabs open the empty form (revision 0); the first save wins.
    first = _rate(team, level=2, revision=0)
    before = _counts()
    with pytest.raises(ValidationError, match="another tab"):
        _rate(team, level=4, revision=0)
    assert _unchanged(before)
    # Tab one saves again with the revision it was given; tab two's older form is refused.
    second = _rate(team, level=3, revision=first.revision)
    with pytest.raises(ValidationError, match="another tab"):
        _rate(team, level=1, revision=first.revision)
    second.refresh_from_db()
    assert second.level == 3 and second.revision == 2
    assert MemberRating.objects.filter(member=team.members[0]).count() == 1


def test_a_rubric_edit_while_assessments_use_the_version_makes_a_new_version():
    team = Team()
    data = services.rubric_as_data(team.rubric)
    data["components"][0]["indicators"][0]["text"]["en"] = "Changed"
    new = services.rubric_replace(rubric=team.rubric, data=data, by=None)
    assert new.pk != team.rubric.pk and new.version == 2
    assert team.indicators[0].text["en"] == "Indicator 1.1"
    team.indicators[0].refresh_from_db()
    assert team.indicators[0].text["en"] == "Indicator 1.1"
    assert Rubric.objects.filter(key=team.rubric.key).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.pdf", b"MZ\x90\x00 this is a Windows program", "not what its name says"),
        ("photo.png", b"%PDF-1.7 a pdf pretending", "not what its name says"),
        ("notes.txt", b"\x00\x01\x02binary", "not what its name says"),
        ("evil.exe", b"MZ\x90\x00", "only PDF"),
        ("empty.pdf", b"", "not what its name says"),
    ],
)
def test_an_upload_that_is_not_what_its_name_says_is_refused(name, content, message):
    team = Team()
    before = _counts()
    with pytest.raises(ValidationError, match=message):
        services.consensus_save(
            assessment=team.assessment,
            indicator_id=team.indicators[0].pk,
            level=3,
            evidence="Meeting notes",
            links=[],
            files=[SimpleUploadedFile(name, content)],
            by=team.facilitator,
        )
    assert _unchanged(before)


def test_an_upload_over_ten_megabytes_is_refused():
    team = Team()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024))
    before = _counts()
    with pytest.raises(ValidationError, match="10 MB"):
        services.consensus_save(
            assessment=team.assessment,
            indicator_id=team.indicators[0].pk,
            level=3,
            evidence="",
            links=[],
            files=[big],
            by=team.facilitator,
        )
    assert _unchanged(before)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "not a url", "ftp://example.org/x"])
def test_a_link_that_is_not_a_web_address_is_refused(link):
    team = Team()
    before = _counts()
    with pytest.raises(ValidationError, match="web address"):
        services.consensus_save(
            assessment=team.assessment,
            indicator_id=team.indicators[0].pk,
            level=3,
            evidence="",
            links=[link],
            files=[],
            by=team.facilitator,
        )
    assert _unchanged(before)


def test_someone_else_cannot_rate_for_a_member_or_record_consensus():
    team = Team()
    before = _counts()
    with pytest.raises(ValidationError):
        services.rating_save(
            member=team.members[0],
            indicator_id=team.indicators[0].pk,
            level=2,
            note="",
            revision=0,
            by=team.people[1],
        )
    with pytest.raises(ValidationError):
        services.consensus_save(
            assessment=team.assessment,
            indicator_id=team.indicators[0].pk,
            level=2,
            evidence="",
            links=[],
            files=[],
            by=team.people[0],
        )
    assert _unchanged(before)


def test_reopening_needs_a_reason():
    team = Team()
    team.submit()
    with pytest.raises(ValidationError, match="Say why"):
        services.assessment_reopen(assessment=team.assessment, reason="   ", by=team.facilitator)
    assert Assessment.objects.get(pk=team.assessment.pk).is_submitted
