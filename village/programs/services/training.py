"""Training completion: a participant of the training's event completes when the event's own
completion rule is met (attendance) and a trainer marked every module complete. Completing
gives a certification; the participant chooses whether they appear on the public list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.events.models import Registration
from village.events.selectors import registration_completed
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record
from village.programs.access import may_manage
from village.programs.models import Certification, ModuleCompletion, Program


def _participant_check(program: Program, registration: Registration) -> None:
    if program.training_event_id is None or registration.event_id != program.training_event_id:
        raise ValidationError(_("This person is not in this training."), code="participant")


def participant_completed(*, program: Program, registration: Registration) -> bool:
    modules = set(
        ModuleCompletion.objects.filter(program=program, registration=registration).values_list(
            "module", flat=True
        )
    )
    return all(m in modules for m in range(1, program.modules + 1)) and registration_completed(
        registration=registration, sessions=list(registration.event.sessions.all())
    )


@transaction.atomic
def certification_update(*, program: Program, registration: Registration) -> Certification | None:
    """Certify the participant once they complete (never twice)."""
    existing = Certification.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if not participant_completed(program=program, registration=registration):
        return None
    return Certification.objects.create(
        program=program,
        registration=registration,
        full_name=registration.full_name,
        district=registration.district,
    )


@transaction.atomic
def module_mark(
    *, program: Program, registration: Registration, module: int, by: Person, done: bool = True
) -> Certification | None:
    if not may_manage(by, program):
        raise PermissionDenied
    _participant_check(program, registration)
    if not 1 <= module <= program.modules:
        raise ValidationError(
            _("This training has modules 1 to %(count)s.") % {"count": program.modules},
            code="module",
        )
    if done:
        ModuleCompletion.objects.get_or_create(
            program=program, registration=registration, module=module, defaults={"marked_by": by}
        )
    else:
        ModuleCompletion.objects.filter(
            program=program, registration=registration, module=module
        ).delete()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=registration,
        organisation=program.organisation,
        detail={"module": module, "done": done},
    )
    return certification_update(program=program, registration=registration)


@transaction.atomic
def certification_listing_set(*, certification: Certification, by: Person, listed: bool):
    """Only the trainer themselves (or the program's staff, on their word) list them."""
    if certification.registration.person_id != by.pk and not may_manage(by, certification.program):
        raise PermissionDenied
    certification.listed = listed
    certification.save(update_fields=["listed"])
    return certification


@transaction.atomic
def certifications_update(*, program: Program, by: Person) -> int:
    """Certify everyone who has completed since (attendance is recorded at the events' check-in
    desk, which does not know about programs). Returns how many were newly certified."""
    if not may_manage(by, program):
        raise PermissionDenied
    if program.training_event_id is None:
        return 0
    done = set(
        Certification.objects.filter(program=program).values_list("registration_id", flat=True)
    )
    made = 0
    for registration in program.training_event.registrations.filter(status="confirmed").exclude(
        pk__in=done
    ):
        made += certification_update(program=program, registration=registration) is not None
    return made
