"""Vietnamese text: NFC on the way in, and a folded form for searching.

The folded form drops diacritics and case (and maps đ to d), so "nguyen van a" finds
"Nguyễn Văn A" whether the name was typed in NFC or NFD. It is computed in Python and stored
beside the text, so search gives the same results on SQLite and PostgreSQL and can use an index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def normalize(text: str | None) -> str:
    """NFC, trimmed, inner runs of white space folded to one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Lower case without diacritics: the key that search compares."""
    if not text:
        return ""
    if type(text) is str:
        # Short texts (names, places, listed values) repeat: imports fold them a million times.
        return _fold_text(text) if len(text) <= 120 else _fold(text)
    return _fold(str(text))  # a lazy translation: its text depends on the language, never cached


@lru_cache(maxsize=1 << 16)
def _fold_text(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", normalize(text).translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def search_terms(query: str | None) -> list[str]:
    """The folded words of a query; each must appear for a match."""
    return [word for word in fold(query).split(" ") if word]


def filter_folded(queryset, field: str, query: str | None):
    """Narrow `queryset` to rows whose folded `field` contains every word of `query`."""
    for word in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
