from tests.programs.factories import complete_answers, pdf
from village.programs import services
from village.programs.models import Application


def submitted(world, *, organisation=None, by=None) -> Application:
    """A complete application, submitted."""
    organisation = organisation or world.north
    by = by or (world.north_staff if organisation == world.north else world.south_staff)
    application = services.application_start(
        program=world.program,
        organisation=organisation,
        by=by,
        language=by.preferred_language or "en",
    )
    application = services.application_save(
        application=application,
        by=by,
        version=application.version,
        answers=complete_answers(world.program),
    )
    services.team_member_add(application=application, by=by, full_name="Ana Silva", role="Lead")
    services.application_file_add(
        application=application,
        question=world.program.questions.get(kind="file"),
        by=by,
        upload=pdf(),
    )
    return services.application_submit(application=application, by=by, version=application.version)


def score_all(assignment, by, points: list[int]) -> None:
    criteria = list(assignment.application.program.criteria.all())
    services.scores_save(
        assignment=assignment,
        by=by,
        scores={c.pk: (p, "fine") for c, p in zip(criteria, points, strict=True)},
    )
