"""Petitions with similar content: a few integer keys per text to find candidates, a score to keep them.

At intake the clerk sees earlier petitions with similar content in the same scope, whatever the
diacritics, case, word order, wording and typing slips. Comparing a new petition with every earlier
one does not scale to a million petitions, so the work is split in two:

1. `signature(text)` gives `BANDS` (32) signed 64-bit keys, stored one per row beside the petition
   (`ContentKey`). Petitions sharing a key with the new text are its candidates; the more keys they
   share, the more alike they are, so candidates are ranked by the number of keys shared.
2. `score(a, b)` (0..1) compares the new text with the best few dozen candidates; those at or above
   `THRESHOLD` are shown.

Both work on `match_text`: `danvan.core.text.fold` (NFC, no diacritics, đ → d, case folded),
punctuation dropped, thousands separators dropped ("250.000.000" is one number) and leading zeros
dropped ("05/03/2024" is "5 3 2024", like "5/3/2024" and "ngày 5 tháng 3 năm 2024"). Vietnamese
writes one syllable per word, so single words say little ("dat", "nha", "xa" are in most petitions)
while pairs of adjacent words ("thua dat", "lan chiem", "nam 2019") carry the content. Pairs are made
after dropping `STOP_WORDS`: function words ("cua", "da", "duoc", "toi", …) and the formulas every
petition has ("kính gửi", "tôi xin trình bày sự việc", "đề nghị xem xét giải quyết", "cảm ơn"), so a
paraphrase that adds or removes them keeps its pairs, and unrelated petitions do not share them.

Keys: MinHash of the set of word pairs with banding, in its bottom-k form. For each of `BANDS` seeded
hash functions (one SHAKE-128 digest per pair gives all of them), the `ROWS` pairs with the smallest
hashes form a band, and the band's key is a hash of them and of the band's number. Two texts share a
band when the `ROWS` smallest pairs of their union are in both, with probability close to J^ROWS for
a Jaccard similarity J of their pair sets. With ROWS = 4 and 32 bands, a near-duplicate shares at
least one key with probability 0.87 at J = 0.5 and 0.99 at J = 0.6, a petition on the same topic
(J ≈ 0.2) with probability 0.05 and an unrelated one (J ≤ 0.05) almost never. ROWS = 5 would read
about four times fewer candidates but miss paraphrases near J = 0.5 twice as often. Bottom-k needs
one hash function per band instead of `ROWS`, which keeps a signature under a millisecond.

Score: the mean of two similarities, multiplied by a factor for the facts.
- Word pairs: the mean of their Jaccard similarity and containment (the latter forgives a passage
  present on one side only). Pairs survive reordered sentences and clauses; a typo breaks two.
- Words: rapidfuzz's `token_sort_ratio`, the edit distance between the sorted words: blind to any
  word order, and forgiving typos letter by letter.
- Facts: petitions worded alike that quote other dates, plot numbers, amounts or years of birth are
  different cases (neighbours copy each other's petitions), so the score is multiplied by 0.5 to 1
  as the sets of numbers overlap less to more (smoothed: two texts without numbers agree).
On the generated labelled set (bench/duplicates_bench.py) any threshold from about 0.58 to 0.74
keeps recall ≥ 0.99 and precision ≥ 0.98; `THRESHOLD` sits low in that range, leaving room for
paraphrases freer than the generated ones.

Keys are stored: changing `match_text`, `STOP_WORDS`, `BANDS`, `ROWS` or the hashing changes every
key, and the `ContentKey` rows must then be computed again.
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from danvan.core.text import fold

BANDS = 32  # keys per text, one per hash function
ROWS = 4  # word pairs per band: higher reads fewer candidates and misses more paraphrases
MIN_WORDS = 5  # fewer words (out of STOP_WORDS) make no keys: such a text would match too much
THRESHOLD = 0.62

# Folded Vietnamese function words, frequent in any text and carrying no subject, and the formulas of
# petitions ("kính gửi", "tôi xin trình bày sự việc cụ thể", "đề nghị xem xét giải quyết", "xin cam đoan
# đúng sự thật", "trân trọng cảm ơn"), which a paraphrase adds or drops and every petition shares.
_STOP_TEXT = """
a ai ay ba bi bo cac cai can chi cho chu chung co con cu cung da dang de den deu di do duoc gi hay
hoac hon khi khong kia la lai len luc ma moi mot nay nao neu nen nhieu nhu nhung noi o ong phai qua
ra rang rat roi sau se so tai thi tren trong tu toi van vao ve vi voi va cua kinh gui xin trinh bay
su viec the nghi xem xet giai quyet cam doan that on tran
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# A thousands separator: "250.000.000" is one number, "1,5" and "05.03.2024" are several. The separator
# comes first in the pattern because scanning for it is fast.
_THOUSANDS = re.compile(r"[.,](?<=\d.)(?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+")
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum() or chr(c) == "_"})
_LEADING_ZEROS = re.compile(r"0(?<!\w0)0*(?=\d)")
_SEEDED = hashlib.shake_128(b"danvan-petition-lsh:")
_HASH_ROW = struct.Struct(f"<{BANDS}Q")
_BAND = struct.Struct(f"<{ROWS + 1}Q")
_KEY = struct.Struct("<q")


def match_text(text: str | None) -> str:
    """The form both functions compare: folded, words separated by one space, numbers normalised."""
    if not text:
        return ""
    folded = text.lower() if text.isascii() else fold(text)  # stored folded text needs no second fold
    if "." in folded or "," in folded:
        folded = _THOUSANDS.sub("", folded)
    if folded.isascii():  # the usual case, and five times faster than the regular expression
        words = " ".join(folded.translate(_ASCII_SEPARATORS).split())
    else:
        words = " ".join(_WORD.findall(folded))
    return _LEADING_ZEROS.sub("", words) if "0" in words else words


class _Profile(NamedTuple):
    text: str  # match_text
    pairs: frozenset[str]  # adjacent content words
    numbers: frozenset[str]
    words: int  # content words


@lru_cache(maxsize=256)  # a new text is scored against dozens of candidates in a row
def _profile(text: str) -> _Profile:
    matched = match_text(text)
    words = matched.split()
    content = [w for w in words if w not in STOP_WORDS]
    pairs = frozenset(f"{a} {b}" for a, b in zip(content, content[1:], strict=False))
    numbers = frozenset(filter(str.isdigit, words))
    return _Profile(matched, pairs, numbers, len(content))


def _hashes(pair: str) -> tuple[int, ...]:
    """BANDS seeded 64-bit hashes of a word pair, from one extendable-output digest."""
    hasher = _SEEDED.copy()
    hasher.update(pair.encode())
    return _HASH_ROW.unpack(hasher.digest(_HASH_ROW.size))


def signature(text: str | None) -> list[int]:
    """The LSH keys of `text` (signed 64-bit, BANDS of them); [] when too short to compare."""
    profile = _profile(text or "")
    if profile.words < MIN_WORDS:
        return []
    columns = zip(*map(_hashes, profile.pairs), strict=True)
    keys = []
    for band, column in enumerate(columns):
        smallest = sorted(column)[:ROWS]
        digest = hashlib.blake2b(_BAND.pack(band, *smallest, *[0] * (ROWS - len(smallest))), digest_size=8)
        keys.append(_KEY.unpack(digest.digest())[0])
    return keys


def _pair_similarity(a: _Profile, b: _Profile) -> float:
    if not a.pairs or not b.pairs:
        return 0.0
    shared = len(a.pairs & b.pairs)
    jaccard = shared / len(a.pairs | b.pairs)
    containment = shared / min(len(a.pairs), len(b.pairs))
    return (jaccard + containment) / 2


def _facts_factor(a: _Profile, b: _Profile) -> float:
    """From 1 when both quote the same numbers (or none) down towards 0.5 when they share none.

    The overlap is smoothed (+1 above and below the line): one unmatched number among many costs
    little, while a text quoting several numbers against one quoting none costs a lot.
    """
    shared = len(a.numbers & b.numbers)
    overlap = (shared + 1) / (len(a.numbers) + len(b.numbers) - shared + 1)
    return 0.5 + 0.5 * overlap


def score(a: str | None, b: str | None) -> float:
    """How alike two petition contents are, 0..1 (raw, folded or match_text forms alike)."""
    pa, pb = _profile(a or ""), _profile(b or "")
    if not pa.text or not pb.text:
        return 0.0
    if pa.text == pb.text:
        return 1.0
    words = fuzz.token_sort_ratio(pa.text, pb.text) / 100
    return (_pair_similarity(pa, pb) + words) / 2 * _facts_factor(pa, pb)
