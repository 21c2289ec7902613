"""Is a CP949 reading Korean text or mojibake?

Bytes of another encoding that happen to be valid CP949 (GB2312 Chinese, a UTF-8 line, stray binary) decode to
CJK ideographs and to the 8,822 Hangul syllables outside KS X 1001's 2,350 common ones (CP949's extension
area: 걟, 뚯, 쑴). Korean prose is almost all common syllables (7 uncommon ones in 145,000 syllables of the
bundled corpus) with few or no ideographs, so a reading where uncommon syllables and ideographs make up more
than a tenth of the letters is refused.
"""

from __future__ import annotations

import re

#: Share of uncommon syllables plus CJK ideographs among letters above which a CP949 reading is mojibake;
#: one such character is always forgiven (a hanja name in a short file).
MAX_SUSPICIOUS_SHARE = 0.1


def _uncommon_syllables() -> str:
    """A regex class body of the Hangul syllables outside KS X 1001 (those whose CP949 code is not in the
    B0A1-C8FE block that holds the 2,350 common ones), as ranges. The block is decoded once (one call, instead of
    encoding each of the 11,172 syllables)."""
    block = bytes(byte for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF) for byte in (lead, trail))
    common = {ord(syllable) for syllable in block.decode("cp949")}
    ranges: list[tuple[int, int]] = []
    for code in range(0xAC00, 0xD7A4):
        if code in common:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"{chr(lo)}-{chr(hi)}" if hi > lo else chr(lo) for lo, hi in ranges)


_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SUSPICIOUS = re.compile(f"[{_uncommon_syllables()}{_IDEOGRAPHS}]")
_LETTERS = re.compile(f"[\uac00-\ud7a3{_IDEOGRAPHS}]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def clean_korean(text: str) -> bool:
    """Whether *text* holds no uncommon syllable, ideograph or private-use character at all."""
    return _SUSPICIOUS.search(text) is None and _PRIVATE_USE.search(text) is None


def plausible_korean(text: str) -> bool:
    """Whether *text*, read as CP949, looks like Korean rather than mojibake: no private-use characters,
    and uncommon syllables plus ideographs at most one plus a tenth of its letters."""
    if _PRIVATE_USE.search(text):
        return False
    suspicious = sum(1 for _ in _SUSPICIOUS.finditer(text))
    if suspicious <= 1:
        return True
    letters = sum(1 for _ in _LETTERS.finditer(text))
    return suspicious <= 1 + MAX_SUSPICIOUS_SHARE * letters
