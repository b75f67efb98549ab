"""Encryption at rest for protected personal data, and blind indexes to find it (ADR 0006).

The law keeps a denouncer's identity secret (Luật Tố cáo 2018, Art 9 and 47), so danvan stores
it sealed with keys that live in the environment, never in the database:

- `seal` / `unseal`: a JSON value to a Fernet token (text) and back, for text columns;
- `seal_bytes` / `unseal_bytes`: the same for file contents;
- `blind_index`: a keyed digest of a folded value, so a sealed value can be found by equality;
- `is_current`, `rotate`, `rotate_bytes`: re-encryption with the primary key, which
  `danvan rotate_field_keys` applies to every model that declares `SEALED_FIELDS` or
  `SEALED_FILE_FIELDS`.

`settings.DANVAN_FIELD_KEYS` lists the field keys: the first encrypts, all decrypt.
`settings.DANVAN_INDEX_KEY` keys the blind indexes. Both are read on first use and cached;
`reset_keys()` (called on `setting_changed`, so `override_settings` works) forgets them.
Nothing here logs, and no message carries the data it protects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext

from danvan.core.text import fold

KEY_SETTINGS = ("DANVAN_FIELD_KEYS", "DANVAN_INDEX_KEY")
_WHITE_SPACE = re.compile(r"\s+")


class SealError(Exception):
    """A token that no configured key decrypts: damaged, or sealed with a key since removed."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "The sealed data cannot be decrypted: it is damaged or was sealed with a key "
                "that is not in %(setting)s."
            )
            % {"setting": "DANVAN_FIELD_KEYS"}
        )


@dataclass(frozen=True)
class _Keys:
    fernet: MultiFernet  # encrypts with the primary key, decrypts with any
    primary: Fernet
    index: bytes


@cache
def _keys() -> _Keys:
    field_keys = list(getattr(settings, "DANVAN_FIELD_KEYS", []))
    index_key = getattr(settings, "DANVAN_INDEX_KEY", "")
    if not field_keys or not index_key:
        raise ImproperlyConfigured("DANVAN_FIELD_KEYS and DANVAN_INDEX_KEY must be set (docs/operations.md).")
    fernets = [Fernet(key) for key in field_keys]
    return _Keys(fernet=MultiFernet(fernets), primary=fernets[0], index=base64.urlsafe_b64decode(index_key))


def reset_keys() -> None:
    """Forget the cached keys; the next use reads the settings again."""
    _keys.cache_clear()


@receiver(setting_changed)
def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in KEY_SETTINGS:
        reset_keys()


def _token_bytes(token: str | bytes) -> bytes:
    if isinstance(token, bytes):
        return token
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        raise SealError() from None


def _decrypt(token: str | bytes) -> bytes:
    keys = _keys()
    try:
        return keys.fernet.decrypt(_token_bytes(token))
    except InvalidToken:
        raise SealError() from None


def seal(data: dict[str, Any] | list[Any] | str) -> str:
    """`data` as JSON, encrypted with the primary key: a Fernet token (ASCII text)."""
    plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _keys().fernet.encrypt(plaintext).decode("ascii")


def unseal(token: str) -> Any:
    """The value `seal` was given. Raises SealError if no key decrypts `token`."""
    return json.loads(_decrypt(token).decode("utf-8"))


def seal_bytes(data: bytes) -> bytes:
    """`data` (a file's contents) encrypted with the primary key."""
    return _keys().fernet.encrypt(data)


def unseal_bytes(token: bytes) -> bytes:
    """The bytes `seal_bytes` was given. Raises SealError if no key decrypts `token`."""
    return _decrypt(token)


FILE_PIECE = 1 << 20  # a large file is sealed a megabyte at a time, so memory stays bounded


def seal_file(source, target) -> None:
    """Copy the binary stream `source` to `target` encrypted, piece by piece: each piece a Fernet
    token preceded by its length (4 bytes, big-endian)."""
    fernet = _keys().fernet
    for piece in iter(lambda: source.read(FILE_PIECE), b""):
        token = fernet.encrypt(piece)
        target.write(len(token).to_bytes(4, "big"))
        target.write(token)


def unseal_file(source, target) -> None:
    """The inverse of `seal_file`. Raises SealError if a piece is cut short or no key decrypts it."""
    while header := source.read(4):
        size = int.from_bytes(header, "big")
        token = source.read(size)
        if len(header) < 4 or len(token) < size:
            raise SealError()
        target.write(_decrypt(token))


def blind_index(value: str) -> str:
    """HMAC-SHA256 (hex) of `value` folded and without white space; "" when nothing is left.

    Case, diacritics and spacing do not change it, so "NGUYỄN  VĂN A" finds "Nguyễn Văn A".
    """
    folded = _WHITE_SPACE.sub("", fold(value))
    if not folded:
        return ""
    return hmac.new(_keys().index, folded.encode("utf-8"), hashlib.sha256).hexdigest()


def is_current(token: str | bytes) -> bool:
    """Whether `token` was sealed with the primary key (False too if it is not a valid token)."""
    primary = _keys().primary
    try:
        primary.extract_timestamp(_token_bytes(token))  # checks the token's MAC, decrypts nothing
    except (InvalidToken, SealError):
        return False
    return True


def rotate(token: str) -> str:
    """`token` sealed again with the primary key. Raises SealError if no key decrypts it."""
    return rotate_bytes(_token_bytes(token)).decode("ascii")


def rotate_bytes(token: bytes) -> bytes:
    """`token` (from `seal_bytes`) sealed again with the primary key; raises SealError likewise."""
    keys = _keys()
    try:
        return keys.fernet.rotate(token)
    except InvalidToken:
        raise SealError() from None
