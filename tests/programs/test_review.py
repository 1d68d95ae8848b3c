"""Review: assignment (by hand, spread evenly), own district and conflicts, scores in range,
aggregates in the database, decisions and the message that tells the applicant."""

import pytest
from django.core.exceptions import ValidationError

from tests.programs.helpers import score_all, submitted
from village.messaging.models import Delivery
from village.programs import selectors, services
from village.programs.models import Application, Assignment, Score
from village.programs.notices import decision_content

pytestmark = pytest.mark.django_db


def test_nobody_reviews_their_own_district(world):
    application = submitted(world)
    with pytest.raises(ValidationError, match="works in this application's district"):
        services.assignment_create(
            application=application, reviewer=world.north_reviewer, by=world.manager
        )
    assert not Assignment.objects.exists()


def test_spread_evenly_skips_own_district_and_balances_load(world):
    north = submitted(world)
    south = submitted(world, organisation=world.south)
    made = services.assignments_spread(program=world.program, by=world.manager)
    assert made == 4
    north_reviewers = set(north.assignments.values_list("reviewer_id", flat=True))
    assert world.north_reviewer.pk not in north_reviewers
    loads = sorted(Assignment.objects.values_list("reviewer_id", flat=True))
    assert max(loads.count(r) for r in set(loads)) <= 2
    assert south.assignments.count() == 2
    # Spreading again changes nothing.
    assert services.assignments_spread(program=world.program, by=world.manager) == 0


def test_a_declared_conflict_takes_the_reviewer_off(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    score_all(assignment, world.reviewer, [3, 5, 4])
    services.conflict_declare(
        assignment=assignment, by=world.reviewer, reason="My sister works there"
    )
    assignment.refresh_from_db()
    assert assignment.conflict and assignment.total is None and not Score.objects.exists()
    assert selectors.assignments_for_reviewer(person=world.reviewer) == []
    with pytest.raises(ValidationError, match="declared a conflict"):
        services.assignment_create(
            application=application, reviewer=world.reviewer, by=world.manager
        )


def test_score_out_of_range_saves_nothing(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    criteria = list(world.program.criteria.all())
    with pytest.raises(ValidationError) as raised:
        services.scores_save(
            assignment=assignment,
            by=world.reviewer,
            scores={criteria[0].pk: (3, ""), criteria[1].pk: (11, ""), criteria[2].pk: (-1, "")},
        )
    text = " ".join(raised.value.messages)
    assert "“Plan” takes 0 to 10 points; 11 is out of range." in text
    assert "-1 is out of range" in text
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.total is None


def test_a_withdrawn_application_cannot_be_reviewed(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    services.application_withdraw(application=application, by=world.north_staff)
    assignment = Assignment.objects.get(pk=assignment.pk)
    with pytest.raises(ValidationError, match="withdrawn: it can no longer be reviewed"):
        score_all(assignment, world.reviewer, [3, 5, 4])
    assert not Score.objects.exists()


def test_aggregates_in_the_database_with_an_outlier(world):
    application = submitted(world)
    for reviewer in (world.reviewer, world.reviewer_two):
        services.assignment_create(application=application, reviewer=reviewer, by=world.manager)
    # The same reviewer twice is one assignment.
    services.assignment_create(
        application=application, reviewer=world.reviewer_two, by=world.manager
    )
    a, b = application.assignments.order_by("pk")
    score_all(a, world.reviewer, [5, 10, 5])  # 20
    score_all(b, world.reviewer_two, [1, 2, 1])  # 4
    row = selectors.applications_for_manager(program=world.program).get(pk=application.pk)
    assert row.reviews_done == 2 and row.reviews_assigned == 2
    assert row.mean == pytest.approx(12.0)
    assert row.spread == pytest.approx(8.0)  # population standard deviation of 20 and 4
    rows = list(selectors.application_assignments(application=application))
    assert [r.deviation for r in rows] == [pytest.approx(16.0), pytest.approx(16.0)]
    assert all(r.outlier for r in rows)  # 16 > a quarter of 20 points


def test_decision_before_all_reviews_needs_a_reason(world):
    application = submitted(world)
    with pytest.raises(ValidationError) as raised:
        services.application_decide(application=application, by=world.manager, decision="accept")
    assert raised.value.code == "reviews_incomplete"
    assert "Only 0 of 2 reviews are in" in raised.value.messages[0]
    application.refresh_from_db()
    assert application.decision == ""
    assert not Delivery.objects.filter(source="programs.decision").exists()
    services.application_decide(
        application=application, by=world.manager, decision="accept", reason="Strong plan, urgent"
    )
    application.refresh_from_db()
    assert application.decision == "accept" and application.decision_reason == "Strong plan, urgent"


def test_decision_is_sent_once_in_the_applicant_language(world):
    application = submitted(world)
    for reviewer, points in ((world.reviewer, [4, 8, 4]), (world.reviewer_two, [5, 9, 5])):
        assignment = services.assignment_create(
            application=application, reviewer=reviewer, by=world.manager
        )
        score_all(assignment, reviewer, points)
    services.application_decide(application=application, by=world.manager, decision="accept")
    delivery = Delivery.objects.get(source="programs.decision")
    assert delivery.language == "es" and delivery.person_id == world.north_staff.pk
    content = decision_content(delivery)
    assert "Instituto Familiar" in content.subject
    assert "North District" in content.body
    # Deciding again is a new round: a new notice; the older one is withdrawn when rendered.
    application.refresh_from_db()
    services.application_decide(application=application, by=world.manager, decision="waitlist")
    assert Delivery.objects.filter(source="programs.decision").count() == 2
    assert decision_content(delivery) is None


def test_a_withdrawn_application_cannot_be_decided(world):
    application = submitted(world)
    services.application_withdraw(application=application, by=world.north_staff)
    application = Application.objects.get(pk=application.pk)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.application_decide(
            application=application, by=world.manager, decision="accept", reason="x"
        )


def test_scores_saved_through_the_reviewer_selector_complete_the_review(world):
    application = submitted(world, organisation=world.south)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    loaded = selectors.assignment_get_for_reviewer(
        person=world.reviewer, assignment_id=assignment.pk
    )
    score_all(loaded, world.reviewer, [4, 9, 5])
    assignment.refresh_from_db()
    assert assignment.total == 18 and assignment.completed_at is not None
