"""The words families text back, per language, to start with: yes, no, "cancel my
registration" and "yes, register me". Staff add more (admin, or the reply words page); these
are data, not code. English "cancel", "stop" and the like are carriers' STOP words and are
acted on before any of these (so English cancels with "cancel registration")."""

from django.db import migrations

WORDS = {
    "en": {"yes": ["yes", "y", "yeah", "ok"], "no": ["no", "n"], "cancel": ["cancel registration", "cancel my registration"], "register": ["register", "register me", "yes register me"]},
    "es": {"yes": ["sí", "si", "claro"], "no": ["no"], "cancel": ["cancelar", "cancela", "anular"], "register": ["inscríbame", "inscribirme", "regístrame", "sí inscríbame", "si inscribame"]},
    "ht": {"yes": ["wi", "wè"], "no": ["non", "no"], "cancel": ["anile", "anule"], "register": ["enskri m", "enskri", "wi enskri m"]},
    "pt": {"yes": ["sim", "s"], "no": ["não", "nao"], "cancel": ["cancelar", "cancele"], "register": ["inscrever", "me inscreva", "sim me inscreva"]},
    "kea": {"yes": ["sin", "sim"], "no": ["nau", "não"], "cancel": ["kansela", "cancela"], "register": ["inskrebe-m", "inskrebe m", "inscreve"]},
    "vi": {"yes": ["có", "co", "vâng", "dạ"], "no": ["không", "khong"], "cancel": ["hủy", "huy", "hủy đăng ký"], "register": ["đăng ký", "dang ky", "có đăng ký"]},
    "ar": {"yes": ["نعم", "ايوه", "أجل"], "no": ["لا"], "cancel": ["إلغاء", "الغاء"], "register": ["سجلني", "نعم سجلني"]},
    "zh-hans": {"yes": ["是", "是的", "好", "对"], "no": ["不", "否", "不是"], "cancel": ["取消"], "register": ["报名", "帮我报名"]},
    "so": {"yes": ["haa", "haye"], "no": ["maya"], "cancel": ["jooji", "ka noqo"], "register": ["i diiwaangeli", "diiwaangeli"]},
    "am": {"yes": ["አዎ", "እሺ"], "no": ["አይ", "አይደለም"], "cancel": ["ሰርዝ"], "register": ["መዝግበኝ"]},
    "bn": {"yes": ["হ্যাঁ", "হা"], "no": ["না"], "cancel": ["বাতিল"], "register": ["নিবন্ধন করুন", "আমাকে নিবন্ধন করুন"]},
}


def seed(apps, schema_editor):
    import unicodedata

    ReplyWord = apps.get_model("surveys", "ReplyWord")
    for language, meanings in WORDS.items():
        for meaning, words in meanings.items():
            for word in words:
                # The same normal form as surveys.texting.normalise_reply (frozen here).
                kept = "".join(
                    ch if unicodedata.category(ch)[0] in "LMN" else " "
                    for ch in unicodedata.normalize("NFC", word.casefold())
                )
                ReplyWord.objects.get_or_create(
                    language=language, word=" ".join(kept.split()), defaults={"meaning": meaning}
                )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
