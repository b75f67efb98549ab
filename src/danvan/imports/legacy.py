"""Vietnamese text typed with legacy fonts: TCVN3 (ABC, the .VnTime fonts) and VNI (the VNI-Times fonts).

Such text was stored as Windows-1252 characters and drawn with a font whose glyphs are Vietnamese
letters, so without that font "Nguyễn Văn Ánh" reads "NguyÔn V¨n ¸nh" (TCVN3) or "Nguyeãn Vaên Aùnh"
(VNI). This module recognises the two encodings in a sample of cells and converts text to Unicode NFC.

The code tables below are data taken from the published character sets (TCVN 5712:1993, VN3 part;
the VNI Windows font layout). Each row gives, for one base vowel, the code for the six tones in the
order: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

TCVN3 = "tcvn3"
VNI = "vni"

# Combining tone marks in the table order (none first).
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# Unicode base vowels (lower case), written decomposed so that NFC(base + tone) is the letter.
_BASES = {
    "a": "a",
    "ă": "a\u0306",
    "â": "a\u0302",
    "e": "e",
    "ê": "e\u0302",
    "i": "i",
    "o": "o",
    "ô": "o\u0302",
    "ơ": "o\u031b",
    "u": "u",
    "ư": "u\u031b",
    "y": "y",
}

# TCVN3 (VN3): one code per lower-case letter. The VN3 set has no upper-case toned vowels: those were
# drawn with the same codes in an all-capitals font (.VnTimeH), so case is restored from context.
_TCVN3_ROWS = {
    "a": ("a", "\xb5", "\xb6", "\xb7", "\xb8", "\xb9"),
    "ă": ("\xa8", "\xbb", "\xbc", "\xbd", "\xbe", "\xc6"),
    "â": ("\xa9", "\xc7", "\xc8", "\xc9", "\xca", "\xcb"),
    "e": ("e", "\xcc", "\xce", "\xcf", "\xd0", "\xd1"),
    "ê": ("\xaa", "\xd2", "\xd3", "\xd4", "\xd5", "\xd6"),
    "i": ("i", "\xd7", "\xd8", "\xdc", "\xdd", "\xde"),
    "o": ("o", "\xdf", "\xe1", "\xe2", "\xe3", "\xe4"),
    "ô": ("\xab", "\xe5", "\xe6", "\xe7", "\xe8", "\xe9"),
    "ơ": ("\xac", "\xea", "\xeb", "\xec", "\xed", "\xee"),
    "u": ("u", "\xef", "\xf1", "\xf2", "\xf3", "\xf4"),
    "ư": ("\xad", "\xf5", "\xf6", "\xf7", "\xf8", "\xf9"),
    "y": ("y", "\xfa", "\xfb", "\xfc", "\xfd", "\xfe"),
}
_TCVN3_OTHERS = {
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}

# VNI: a base letter followed by a mark character; i (all tones), ỵ, ơ, ư and đ have their own
# characters. Upper case is the upper case of every character ("AÙ" = "Á").
_VNI_ROWS = {
    "a": ("a", "aø", "aû", "aõ", "aù", "aï"),
    "ă": ("aê", "aè", "aú", "aü", "aé", "aë"),
    "â": ("aâ", "aà", "aå", "aã", "aá", "aä"),
    "e": ("e", "eø", "eû", "eõ", "eù", "eï"),
    "ê": ("eâ", "eà", "eå", "eã", "eá", "eä"),
    "i": ("i", "ì", "æ", "ó", "í", "ò"),
    "o": ("o", "oø", "oû", "oõ", "où", "oï"),
    "ô": ("oâ", "oà", "oå", "oã", "oá", "oä"),
    "ơ": ("ô", "ôø", "ôû", "ôõ", "ôù", "ôï"),
    "u": ("u", "uø", "uû", "uõ", "uù", "uï"),
    "ư": ("ö", "öø", "öû", "öõ", "öù", "öï"),
    "y": ("y", "yø", "yû", "yõ", "yù", "î"),
}
_VNI_OTHERS = {"đ": "ñ"}


def _letters() -> Iterable[tuple[str, str, int]]:
    """(base key, NFC lower-case letter, tone index) for the 12 vowels × 6 tones."""
    for key, decomposed in _BASES.items():
        for tone_index, tone in enumerate(_TONES):
            yield key, unicodedata.normalize("NFC", decomposed + tone), tone_index


def _tcvn3_decoding() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, letter, tone in _letters():
        code = _TCVN3_ROWS[key][tone]
        if code != letter:
            table[code] = letter
    for letter, code in _TCVN3_OTHERS.items():
        table[code] = letter
    return table


def _vni_decoding() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, letter, tone in _letters():
        code = _VNI_ROWS[key][tone]
        if code != letter:
            table[code] = letter
            table[code.upper()] = letter.upper()
            if len(code) == 2:
                # The base letter carries the case: "Aù" is also "Á" (title case typed with a lower mark).
                table[code[0].upper() + code[1]] = letter.upper()
    for letter, code in _VNI_OTHERS.items():
        table[code] = letter
        table[code.upper()] = letter.upper()
    return table


_TCVN3_TO_UNICODE = _tcvn3_decoding()
_VNI_TO_UNICODE = _vni_decoding()
# Longest match first, so "aø" wins over "a" and "ôø" over "ô".
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI_TO_UNICODE), key=len, reverse=True)))
# TCVN3 codes for toned vowels whose case the encoding cannot tell.
_TCVN3_CASELESS = frozenset(
    _TCVN3_ROWS[key][tone] for key, letter, tone in _letters() if tone and _TCVN3_ROWS[key][tone] != letter
)

# Letters only Unicode text has (outside Latin-1): ă đ ĩ ũ ơ ư and the Vietnamese block, or a
# decomposed tone mark. Their presence means the text is already Unicode.
_UNICODE_VIETNAMESE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]"
)
_WORD = re.compile(r"[^\s!-/:-@\[-`{-~]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_NUCLEI = (
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "[aăâeêioôơuưy]"
)
_SYLLABLE = re.compile(f"(?:{_INITIALS})?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?")
_SAMPLE_WORDS = 2000
# A candidate is taken when most words make sense under it and it beats every other reading clearly.
_ENOUGH = 0.75
_MARGIN = 0.2


def to_unicode(text: str, legacy: str) -> str:
    """`text` read as `legacy` ("tcvn3" or "vni"; "" leaves it as it is), converted to Unicode NFC."""
    if not text or not legacy:
        return unicodedata.normalize("NFC", text or "")
    if legacy == TCVN3:
        return unicodedata.normalize("NFC", _tcvn3(text))
    if legacy == VNI:
        return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI_TO_UNICODE[m.group()], text))
    raise ValueError(legacy)


def _tcvn3(text: str) -> str:
    out = "".join(_TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    if not any(ch in _TCVN3_CASELESS for ch in text):
        return out
    return _restore_case(text, out)


def _restore_case(text: str, converted: str) -> str:
    """Upper-case the toned vowels that were drawn in capitals: in a word whose other letters are
    capitals ("NGUYÔN" → "NGUYỄN"; a one-letter word like "Sæ" when the other words are capitals),
    at the start of the text, and at the start of each word when the other words are capitalised (a
    name: "NguyÔn V¨n ¸nh" → "Nguyễn Văn Ánh")."""
    spans = [m.span() for m in _WORD.finditer(converted)]

    def cased(start: int, end: int) -> list[str]:
        # The letters whose case the text does tell.
        return [
            converted[i]
            for i in range(start, end)
            if text[i] not in _TCVN3_CASELESS and converted[i].isalpha()
        ]

    letters = [cased(a, b) for a, b in spans]
    long_words = [w for w in letters if len(w) > 1]
    text_in_capitals = bool(long_words) and all(ch.isupper() for w in long_words for ch in w)
    capitalised = [converted[a].isupper() for a, _b in spans if text[a] not in _TCVN3_CASELESS]
    title_case = bool(capitalised) and all(capitalised)
    chars = list(converted)
    for number, (start, end) in enumerate(spans):
        word = letters[number]
        in_capitals = bool(word) and all(ch.isupper() for ch in word) and (len(word) > 1 or text_in_capitals)
        for i in range(start, end):
            if text[i] in _TCVN3_CASELESS and (in_capitals or (i == start and (number == 0 or title_case))):
                chars[i] = chars[i].upper()
    return "".join(chars)


def is_syllable(word: str) -> bool:
    """Whether `word` (any case, NFC or not) is shaped like one Vietnamese syllable: initial consonant,
    vowel nucleus, final consonant, at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


def _words(samples: Iterable[str]) -> list[str]:
    """The words of the samples that hold a character outside ASCII (the only ones that differ
    between the readings)."""
    words: list[str] = []
    for text in samples:
        if not isinstance(text, str):
            continue
        for word in _WORD.findall(text):
            if not word.isascii():
                words.append(word)
                if len(words) >= _SAMPLE_WORDS:
                    return words
    return words


def score(words: list[str], legacy: str) -> float:
    """Share of `words` that are Vietnamese syllables once read as `legacy`."""
    if not words:
        return 0.0
    return sum(1 for word in words if is_syllable(to_unicode(word, legacy))) / len(words)


def _looks_legacy(words: list[str]) -> bool:
    """Whether the words carry the marks of legacy text: symbols (¨ © ª « ¬ ¸ ¹ ...) inside words, or
    VNI tone characters right after a vowel."""
    odd = sum(1 for word in words if re.search(r"[\xa1-\xbf\xd7\xf7]|[aeiouyAEIOUY][\xc0-\xff]", word))
    return odd >= max(1, len(words) // 3)


def detect(samples: Iterable[str], *, unicode_samples: Iterable[str] | None = None) -> str:
    """ "" (Unicode or plain ASCII), "tcvn3" or "vni" for a sample of a file's text cells (the first
    ~200 cells with characters outside ASCII). `unicode_samples` is the same cells as the file reads
    without conversion when that reading differs (a CSV decoded as Windows-1258); by default the
    samples themselves.

    Raises DomainError("import.encoding_unknown") when the text looks legacy but no reading clearly
    makes sense of it (mixed encodings, or an encoding this module does not know)."""
    samples = list(samples)
    words = _words(samples)
    plain_words = words if unicode_samples is None else _words(unicode_samples)
    if not words:
        return ""
    # Letters outside Latin-1 prove Unicode text, unless the file was read as Windows-1258, where the
    # legacy codes themselves decode to such letters and only the scores can tell.
    if unicode_samples is None and any(_UNICODE_VIETNAMESE.search(word) for word in words):
        return ""
    as_is = score(plain_words, "")
    scores = {TCVN3: score(words, TCVN3), VNI: score(words, VNI)}
    best = max(scores, key=lambda name: scores[name])
    other = min(scores.values())
    if scores[best] >= _ENOUGH and scores[best] >= as_is + _MARGIN and scores[best] >= other + _MARGIN:
        return best
    if as_is >= _ENOUGH or not _looks_legacy(words):
        return ""
    raise DomainError(
        "import.encoding_unknown",
        _(
            "The text of this file looks like it was typed with an old Vietnamese font (TCVN3/ABC or "
            "VNI), but it cannot be told which one. Save the file as Unicode (UTF-8) or convert it "
            "with Unikey's converter, then upload it again."
        ),
        fields={"file": _("The Vietnamese text encoding of this file cannot be recognised.")},
    )
