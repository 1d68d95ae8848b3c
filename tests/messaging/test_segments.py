from village.messaging.segments import sms_segments


def test_gsm7_fits_160_then_splits_by_153():
    assert sms_segments("a" * 160).segments == 1
    assert sms_segments("a" * 161).segments == 2
    assert sms_segments("a" * 306).segments == 2
    assert sms_segments("a" * 307).segments == 3
    assert sms_segments("a" * 160).encoding == "GSM-7"


def test_extension_characters_count_twice():
    assert sms_segments("€" * 80).units == 160
    assert sms_segments("€" * 81).segments == 2


def test_ucs2_fits_70_then_splits_by_67():
    arabic = "م" * 70
    assert sms_segments(arabic).encoding == "UCS-2"
    assert sms_segments(arabic).segments == 1
    assert sms_segments("م" * 71).segments == 2
    assert sms_segments("م" * 135).segments == 3
    # One accented letter outside GSM-7 turns the whole text into UCS-2.
    assert sms_segments("a" * 69 + "ã").segments == 1
    assert sms_segments("a" * 70 + "ã").segments == 2


def test_emoji_takes_two_units():
    assert sms_segments("👋").units == 2
    assert sms_segments("").segments == 0
