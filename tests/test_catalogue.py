"""The Vietnamese catalogue is complete: every string the code marks is translated, none fuzzy."""

import re
from pathlib import Path

import danvan

PO = Path(danvan.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        msgid_lines = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
        if not msgid_lines:
            continue
        text = "\n".join(lines)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M).group(1)
        if msgid.strip() == '""':
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text, re.M)
        # Vietnamese has one plural form, used for every count: it follows the plural msgid.
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', text, re.M)
        yield (plural.group(1) if plural else msgid), strings, "#, fuzzy" in text or ", fuzzy" in text


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 250
    untranslated = [m for m, strings, _f in entries if not strings or any(s.strip() == '""' for s in strings)]
    fuzzy = [m for m, _s, f in entries if f]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_placeholders_are_kept():
    for msgid, strings, _fuzzy in _entries():
        wanted = sorted(re.findall(r"%\(\w+\)s", msgid))
        for translated in strings:
            assert sorted(re.findall(r"%\(\w+\)s", translated)) == wanted, msgid
