"""How many SMS segments a text takes: GSM-7 (160 characters, 153 per part when split) when
every character is in the GSM 03.38 alphabet, else UCS-2 (70, 67 per part, counted in UTF-16
code units, so an emoji takes two)."""

import math
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Escaped characters: two septets each.
GSM7_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def sms_segments(text: str) -> SegmentCount:
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    if units == 0:
        return SegmentCount(encoding, 0, 0)
    segments = 1 if units <= single else math.ceil(units / part)
    return SegmentCount(encoding, units, segments)
