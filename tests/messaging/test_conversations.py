"""Conversations: replies grouped per guardian, staff answers through the outbox, refusals,
machine translation, the conversations list; access and audit."""

import email
import email.policy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.messaging.fake_libretranslate import PHRASES, FakeLibreTranslate
from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import SchoolFactory, person_with_role
from village.messaging import conversations, inbound, outbox, services
from village.messaging.channels.twilio import twilio_signature
from village.messaging.models import Conversation, Delivery, Message, QuietHours
from village.messaging.tokens import delivery_token
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db

NUMBER = "+16175550123"


@pytest.fixture
def libretranslate(settings, monkeypatch):
    monkeypatch.setitem(
        PHRASES, ("es", "en"), {"¿A qué hora es la reunión?": "What time is the meeting?"}
    )
    monkeypatch.setitem(
        PHRASES, ("en", "es"), {"At six in the library.": "A las seis en la biblioteca."}
    )
    with FakeLibreTranslate() as server:
        settings.LIBRETRANSLATE_URL = server.url
        settings.LIBRETRANSLATE_API_KEY = server.api_key
        yield server


def _text_in(client, gateway, body, number=NUMBER):
    """An inbound text, posted to the webhook with Twilio's signature, as the gateway posts it."""
    params = gateway.inbound_params(from_number=number, to_number="+16175550100", body=body)
    path = reverse("messaging:twilio_inbound")
    signature = twilio_signature(gateway.auth_token, "http://testserver" + path, params)
    response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    return response


def _sent_message(school, liaison, *, channels, subject="", body="Parent meeting on Monday."):
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject=subject,
        body=body,
        source_language="en",
        audience=school_audience(school),
        channels=channels,
    )
    services.message_version_set(
        message=message,
        language="es",
        subject=subject and "Reunión",
        body="Reunión de padres el lunes.",
        by=liaison,
    )
    services.message_send(message=message, by=liaison)
    outbox.deliveries_work()
    return message


def _answer(client, conversation, body, **fields):
    return client.post(
        reverse("messaging:conversation", args=[conversation.pk]),
        {"body": body, "language": "en", "action": "send", **fields},
    )


def test_sms_reply_is_answered_from_the_thread_with_exactly_one_text(
    client, school, liaison, sms_settings, gateway
):
    guardian = family_at(
        school, language="es", email=False, mobile=NUMBER, given_name="Ana", family_name="Diaz"
    )
    family_at(school, email=False, mobile="+16175550199")  # someone else, never answered
    message = _sent_message(school, liaison, channels=["sms"])
    assert len(gateway.messages) == 2

    _text_in(client, gateway, "¿A qué hora es la reunión?")
    conversation = Conversation.objects.get()
    assert (conversation.message, conversation.guardian_id) == (message, guardian.pk)
    assert conversation.awaiting_answer and conversation.unread == 1

    client.force_login(liaison)
    page = client.get(reverse("messaging:detail", args=[message.pk])).content.decode()
    assert "Ana Diaz" in page and "¿A qué hora es la reunión?" in page
    assert "Reunión de padres el lunes." in page  # the version the guardian got
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "¿A qué hora es la reunión?" in page and NUMBER in page
    assert "Machine translation" not in page and 'value="translate"' not in page  # no provider
    assert AuditEvent.objects.filter(
        verb="view", object_type="messaging.conversation", object_id=str(conversation.pk)
    ).exists()
    conversation.refresh_from_db()
    assert conversation.unread == 0

    response = _answer(client, conversation, "At six in the library.")
    assert response.status_code == 302
    answer = Message.objects.get(conversation=conversation)
    assert (
        answer.deliveries.get().priority
        < Delivery.objects.get(message=message, guardian_id=guardian.pk).priority
    )
    outbox.deliveries_work()
    assert len(gateway.messages) == 3
    sent = gateway.messages[-1]
    assert sent["To"] == NUMBER
    assert sent["Body"] == "Lincoln Elementary: At six in the library."
    assert answer.deliveries.get().status == "sent"
    conversation.refresh_from_db()
    assert not conversation.awaiting_answer
    assert AuditEvent.objects.filter(verb="send", object_id=str(answer.pk)).exists()

    # The guardian's next text stays in the same conversation, not in the answer's.
    _text_in(client, gateway, "Gracias")
    assert Conversation.objects.count() == 1
    assert list(conversation.replies.values_list("body", flat=True)) == [
        "¿A qué hora es la reunión?",
        "Gracias",
    ]
    assert conversation.replies.last().message == message
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert page.index("¿A qué hora") < page.index("At six in the library.") < page.index("Gracias")
    # Answers are read in their conversation, not listed as messages.
    assert "At six in the library." not in client.get(reverse("messaging:list")).content.decode()
    assert client.get(reverse("messaging:detail", args=[answer.pk])).url == reverse(
        "messaging:conversation", args=[conversation.pk]
    )


def test_a_double_click_sends_one_answer(client, school, liaison, sms_settings, gateway):
    family_at(school, language="es", email=False, mobile=NUMBER)
    _sent_message(school, liaison, channels=["sms"])
    _text_in(client, gateway, "¿A qué hora es la reunión?")
    conversation = Conversation.objects.get()
    client.force_login(liaison)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    submission = page.split('name="submission" value="')[1].split('"')[0]
    for _ in range(2):
        assert _answer(client, conversation, "At six.", submission=submission).status_code == 302
    assert Message.objects.filter(conversation=conversation).count() == 1
    outbox.deliveries_work()
    assert [m["Body"] for m in gateway.messages].count("Lincoln Elementary: At six.") == 1
    # A new form is a new answer.
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert submission not in page


def test_email_reply_is_answered_over_real_smtp_with_the_threads_reply_address(
    client, school, liaison, smtp_settings
):
    guardian = family_at(school)
    address = guardian.contact_points.get().value
    message = _sent_message(school, liaison, channels=["email"], subject="Meeting")
    [first] = smtp_settings.sink.wait_for(1)
    original = email.message_from_bytes(first.data, policy=email.policy.default)
    thread_address = original["Reply-To"]
    token = delivery_token(Delivery.objects.get(message=message).pk)
    assert thread_address == f"reply+{token}@reply.village.example.org"

    raw = (
        f"From: Parent <{address}>\r\nTo: {thread_address}\r\nSubject: Re: Meeting\r\n"
        "Message-ID: <q1@example.org>\r\n\r\nCan I bring my sister?\r\n"
    ).encode()
    inbound.email_inbound_receive(raw=raw)
    conversation = Conversation.objects.get()

    client.force_login(liaison)
    assert _answer(client, conversation, "Yes, of course.").status_code == 302
    outbox.deliveries_work()
    mails = smtp_settings.sink.wait_for(2)
    assert len(mails) == 2
    assert mails[1].rcpt_tos == [address]
    parsed = email.message_from_bytes(mails[1].data, policy=email.policy.default)
    assert parsed["Subject"] == "Re: Meeting"
    assert parsed["Reply-To"] == thread_address
    assert "Yes, of course." in parsed.get_body().get_content()

    # Answering the answer lands in the same conversation.
    raw = (
        f"From: {address}\r\nTo: {parsed['Reply-To']}\r\nSubject: Re: Re: Meeting\r\n"
        "Message-ID: <q2@example.org>\r\n\r\nThank you!\r\n"
    ).encode()
    inbound.email_inbound_receive(raw=raw)
    assert conversation.replies.count() == 2 and Conversation.objects.count() == 1


def test_answering_after_stop_is_refused_and_nothing_is_sent(
    client, school, liaison, sms_settings, gateway
):
    family_at(school, email=False, mobile=NUMBER)
    _sent_message(school, liaison, channels=["sms"])
    _text_in(client, gateway, "When is the meeting?")
    _text_in(client, gateway, "STOP")
    conversation = Conversation.objects.get()
    assert conversation.replies.count() == 2
    deliveries = Delivery.objects.count()

    client.force_login(liaison)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "replied STOP" in page and 'value="send"' not in page
    response = _answer(client, conversation, "It is at six.")
    assert response.status_code == 200 and "replied STOP" in response.content.decode()
    outbox.deliveries_work()
    assert Delivery.objects.count() == deliveries
    assert not Message.objects.filter(conversation=conversation).exists()
    assert len(gateway.messages) == 1

    # After START the guardian can be answered again.
    _text_in(client, gateway, "START")
    assert _answer(client, conversation, "It is at six.").status_code == 302
    outbox.deliveries_work()
    assert len(gateway.messages) == 2


def test_a_court_restriction_refuses_the_answer(client, school, liaison, sms_settings, gateway):
    guardian = family_at(school, email=False, mobile=NUMBER)
    _sent_message(school, liaison, channels=["sms"])
    _text_in(client, gateway, "Can I pick up my son?")
    guardian.no_contact = True
    guardian.save()
    conversation = Conversation.objects.get()
    with pytest.raises(ValidationError, match="court order"):
        conversations.answer_send(conversation=conversation, by=liaison, body="Yes", language="en")
    client.force_login(liaison)
    response = _answer(client, conversation, "Yes")
    assert "court order" in response.content.decode()
    assert not Message.objects.filter(conversation=conversation).exists()


def test_machine_translation_of_replies_and_of_a_reviewed_answer(
    client, school, liaison, sms_settings, gateway, libretranslate
):
    family_at(school, language="es", email=False, mobile=NUMBER)
    _sent_message(school, liaison, channels=["sms"])
    _text_in(client, gateway, "¿A qué hora es la reunión?")
    conversation = Conversation.objects.get()
    client.force_login(liaison)
    url = reverse("messaging:conversation", args=[conversation.pk])
    page = client.get(url).content.decode()
    assert "¿A qué hora es la reunión?" in page  # as received
    assert "Machine translation" in page and "What time is the meeting?" in page
    client.get(url)
    assert len([r for r in libretranslate.requests if r.get("target") == "en"]) == 1  # kept

    page = client.post(
        url, {"body": "At six in the library.", "language": "en", "action": "translate"}
    ).content.decode()
    assert (
        "A las seis en la biblioteca." in page
        and not Message.objects.filter(conversation=conversation).exists()
    )
    # The sender reviews (here: corrects) the translation, then sends.
    _answer(
        client, conversation, "At six in the library.", translation="A las seis, en la biblioteca."
    )
    outbox.deliveries_work()
    assert gateway.messages[-1]["Body"] == "Lincoln Elementary: A las seis, en la biblioteca."
    answer = Message.objects.get(conversation=conversation)
    assert answer.version_origins == {"en": "human", "es": "machine"}
    page = client.get(url).content.decode()
    assert "At six in the library." in page and "A las seis, en la biblioteca." in page


def test_conversation_list_newest_first_unread_and_unanswered_in_constant_queries(
    client, school, liaison, sms_settings, gateway, django_assert_max_num_queries
):
    numbers = [f"+161755502{i:02d}" for i in range(8)]
    for number in numbers:
        family_at(school, email=False, mobile=number)
    _sent_message(school, liaison, channels=["sms"])
    client.force_login(liaison)
    url = reverse("messaging:conversations")

    _text_in(client, gateway, "First question", number=numbers[0])
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    few = len(one.captured_queries)  # read now: the next request resets the query log
    for number in numbers[1:]:
        _text_in(client, gateway, f"Question from {number}", number=number)
    _text_in(client, gateway, "Another one", number=numbers[0])
    assert few > 3
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert page.index("Another one") < page.index(f"Question from {numbers[-1]}")
    assert "<strong>2</strong>" in page  # two unread from the first guardian

    first = Conversation.objects.get(
        guardian_id=Delivery.objects.get(address=numbers[0]).guardian_id
    )
    _answer(client, first, "Thanks, answered.")
    page = client.get(url + "?unanswered=1").content.decode()
    assert "Another one" not in page and "Thanks, answered." not in page
    assert f"Question from {numbers[-1]}" in page
    assert AuditEvent.objects.filter(verb="view", object_type="conversations list").count() >= 3


def test_another_schools_liaison_and_families_reach_no_conversation(
    client, school, liaison, sms_settings, gateway
):
    family_at(school, email=False, mobile=NUMBER, given_name="Ana", family_name="Diaz")
    _sent_message(school, liaison, channels=["sms"])
    _text_in(client, gateway, "Private question about my son")
    conversation = Conversation.objects.get()
    template = services.template_save(
        organisation=school,
        name="Welcome",
        language="en",
        subject="Hi",
        body="Welcome {guardian_name}",
        by=liaison,
    )
    pages = [
        ("get", reverse("messaging:conversation", args=[conversation.pk]), {}),
        (
            "post",
            reverse("messaging:conversation", args=[conversation.pk]),
            {"body": "x", "language": "en", "action": "send"},
        ),
        ("get", reverse("messaging:template", args=[template.pk]), {}),
        (
            "post",
            reverse("messaging:template", args=[template.pk]),
            {"name": "x", "language": "en", "body": "x"},
        ),
        (
            "post",
            reverse("messaging:template_version_remove", args=[template.pk]),
            {"language": "en"},
        ),
        ("get", reverse("messaging:quiet_hours_edit", args=[school.pk]), {}),
        (
            "post",
            reverse("messaging:quiet_hours_edit", args=[school.pk]),
            {"starts": "21:00", "ends": "07:00"},
        ),
    ]
    sibling = SchoolFactory(name="Sibling school", parent=school.parent)
    for other in (
        person_with_role(Role.SCHOOL_LIAISON, sibling),
        person_with_role(Role.SCHOOL_LIAISON, SchoolFactory(name="Far school")),
    ):
        client.force_login(other)
        for method, url, data in pages:
            response = getattr(client, method)(url, data)
            assert response.status_code in (403, 404), url
            assert (
                b"Ana Diaz" not in response.content and b"Private question" not in response.content
            )
        listing = client.get(reverse("messaging:conversations")).content.decode()
        assert "Ana Diaz" not in listing and "Private question" not in listing
        assert "Welcome" not in client.get(reverse("messaging:templates")).content.decode()

    family = person_with_role(Role.FAMILY, school)
    client.force_login(family)
    for url in (
        reverse("messaging:conversations"),
        reverse("messaging:templates"),
        reverse("messaging:quiet_hours"),
    ):
        assert client.get(url).status_code == 403
    for method, url, data in pages:
        assert getattr(client, method)(url, data).status_code == 403, url

    assert not Message.objects.filter(conversation=conversation).exists()
    template.refresh_from_db()
    assert template.name == "Welcome" and "en" in template.body
    assert not QuietHours.objects.exists()


def test_replies_kept_before_conversations_existed_are_grouped_by_the_migration(school, liaison):
    import importlib

    from django.apps import apps

    from village.messaging.models import Reply

    family_at(school, email=False, mobile=NUMBER, given_name="Ana", family_name="Diaz")
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["sms"],
    )
    services.message_send(message=message, by=liaison)
    delivery = Delivery.objects.get()
    for body, keyword in (("Hello!", ""), ("STOP", "stop"), ("Sorry, wrong word", "")):
        Reply.objects.create(
            message=message,
            delivery=delivery,
            guardian_id=delivery.guardian_id,
            channel="sms",
            from_address=NUMBER,
            body=body,
            keyword=keyword,
        )
    migration = importlib.import_module(
        "village.messaging.migrations.0005_conversations_from_replies"
    )
    migration.forwards(apps, None)
    conversation = Conversation.objects.get()
    assert conversation.guardian_name == "Ana Diaz"
    assert conversation.unread == 2 and conversation.awaiting_answer
    assert conversation.replies.count() == 3
