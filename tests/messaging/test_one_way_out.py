"""One way out: nothing but messaging's channels sends, and other apps use only messaging's
public service; the outbox's enqueue refuses what it cannot send and never doubles a notice."""

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.orgs.factories import PersonFactory, SchoolFactory
from village.messaging.models import Delivery
from village.messaging.selectors import Recipient
from village.messaging.services import delivery_enqueue

PACKAGE = Path(__file__).resolve().parents[2] / "village"
CHANNELS = PACKAGE / "messaging" / "channels"
# Messaging's insides: no other app imports them.
PRIVATE = {"outbox", "channels", "rates", "segments"}
SENDING_NAMES = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def test_only_messagings_channels_open_smtp_or_call_djangos_mail_api():
    offenders = []
    for path, tree in _sources():
        if path.is_relative_to(CHANNELS) or path.match("village/settings/*"):
            continue
        for module, name in _imports(tree):
            if module in ("smtplib", "django.core.mail") or module.startswith("django.core.mail."):
                offenders.append(f"{path.relative_to(PACKAGE)}: imports {module}")
            elif module.startswith("django.core") and name in SENDING_NAMES:
                offenders.append(f"{path.relative_to(PACKAGE)}: imports {name}")
        for node in ast.walk(tree):
            # Django's PasswordResetForm.send_mail is overridden (to queue in the outbox).
            overridden = path.name == "forms.py" and getattr(node, "attr", "") == "send_mail"
            sends = isinstance(node, ast.Attribute) and node.attr in {"send_mail", "sendmail"}
            if sends and not overridden:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
    assert offenders == []


def test_no_other_app_imports_messagings_insides():
    offenders = []
    for path, tree in _sources():
        if path.is_relative_to(PACKAGE / "messaging"):
            continue
        for module, name in _imports(tree):
            parts = module.split(".")
            if parts[:2] == ["village", "messaging"] and (
                (len(parts) > 2 and parts[2] in PRIVATE) or name in PRIVATE
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}: {module} {name or ''}")
    assert offenders == []


def test_messaging_does_not_import_the_apps_that_plug_into_it():
    offenders = []
    for path, tree in _sources():
        if not path.is_relative_to(PACKAGE / "messaging"):
            continue
        for module, _name in _imports(tree):
            if module.startswith(("village.events", "village.groups", "village.programs")):
                offenders.append(f"{path.relative_to(PACKAGE)}: {module}")
    assert offenders == []


@pytest.fixture
def school(db):
    return SchoolFactory()


def staff_recipient(person, **changes):
    values = {
        "kind": "person",
        "id": person.pk,
        "household_id": None,
        "channel": "email",
        "address": person.email,
        "language": "es",
        "name": person.full_name,
    }
    values.update(changes)
    return Recipient(**values)


def test_enqueue_twice_makes_one_delivery_and_sends_once(
    school, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    texts = {"subject": {"es": "Hola", "en": "Hello"}, "body": {"es": "Cuerpo", "en": "Body"}}
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery_enqueue(
            source="tests.notice",
            key="1",
            recipient=staff_recipient(person),
            organisation=school,
            **texts,
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = delivery_enqueue(
            source="tests.notice",
            key="1",
            recipient=staff_recipient(person),
            organisation=school,
            subject="Other",
            body="Other",
        )
    assert again.pk == first.pk
    assert Delivery.objects.filter(source="tests.notice").count() == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [([person.email], "Hola", "Cuerpo")]
    assert Delivery.objects.get(pk=first.pk).status == "sent"


@pytest.mark.parametrize(
    ("changes", "texts", "message"),
    [
        ({"kind": "wizard"}, {"body": "Hi"}, "Unknown kind of recipient"),
        ({"channel": "pigeon"}, {"body": "Hi"}, "Unknown channel"),
        ({"address": ""}, {"body": "Hi"}, "no usable address"),
        ({"language": ""}, {"body": "Hi"}, "which language"),
        ({"language": "so"}, {"body": {"en": "Hi", "es": "Hola"}}, "no fallback"),
        ({"kind": "contact"}, {"body": "Hi"}, "without an id"),  # a contact has no record
        ({"id": None}, {"body": "Hi"}, "without an id"),  # a staff person has one
    ],
)
def test_enqueue_refuses_what_it_cannot_send_and_queues_nothing(school, changes, texts, message):
    person = PersonFactory()
    with pytest.raises(ValidationError, match=message):
        delivery_enqueue(
            source="tests.notice",
            key="x",
            recipient=staff_recipient(person, **changes),
            organisation=school,
            **texts,
        )
    assert not Delivery.objects.exists()


def test_a_missing_language_goes_out_in_the_fallback_the_sender_chose(school):
    person = PersonFactory()
    row = delivery_enqueue(
        source="tests.notice",
        key="y",
        recipient=staff_recipient(person, language="so"),
        organisation=school,
        body={"en": "Hi", "es": "Hola"},
        fallback_language="en",
    )
    assert row.body == "Hi"


def test_a_contact_given_in_a_form_is_sent_to_once(school, django_capture_on_commit_callbacks):
    contact = Recipient(
        kind="contact", id=None, household_id=None, channel="email",
        address="new.family@example.org", language="es", name="Amina",
    )  # fmt: skip
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            delivery_enqueue(
                source="tests.notice", key="welcome-1", recipient=contact, organisation=school,
                subject={"es": "Bienvenida"}, body={"es": "Hola"},
            )  # fmt: skip
    assert [(m.to, m.subject) for m in mail.outbox] == [(["new.family@example.org"], "Bienvenida")]
