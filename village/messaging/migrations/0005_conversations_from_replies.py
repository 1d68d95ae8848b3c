"""Group the replies kept before conversations existed into conversations (one per message and
guardian), so earlier replies can be read and answered like new ones."""

from django.db import migrations


def forwards(apps, schema_editor):
    Reply = apps.get_model("messaging", "Reply")
    Conversation = apps.get_model("messaging", "Conversation")
    Guardian = apps.get_model("families", "Guardian")
    replies = (Reply.objects.filter(message__isnull=False, guardian_id__isnull=False,
                                    conversation__isnull=True)
               .select_related("delivery").order_by("received_at", "id"))
    for reply in replies.iterator(chunk_size=2000):
        conversation = Conversation.objects.filter(
            message_id=reply.message_id, guardian_id=reply.guardian_id).first()
        if conversation is None:
            guardian = Guardian.objects.filter(pk=reply.guardian_id).first()
            context = reply.delivery.context if reply.delivery else {}
            conversation = Conversation.objects.create(
                message_id=reply.message_id, guardian_id=reply.guardian_id,
                household_id=reply.delivery.household_id if reply.delivery else None,
                guardian_name=context.get("guardian_name", ""),
                language=guardian.written_language if guardian else "en",
                created_at=reply.received_at, last_activity_at=reply.received_at)
        conversation.last_activity_at = reply.received_at
        conversation.last_excerpt = reply.body[:200]
        if not reply.keyword:
            conversation.awaiting_answer = True
            conversation.unread += 1
        conversation.save()
        Reply.objects.filter(pk=reply.pk).update(conversation=conversation)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0004_conversations"),
        ("families", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
