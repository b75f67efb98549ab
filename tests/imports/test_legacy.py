"""Legacy Vietnamese text: TCVN3 (ABC, .VnTime) and VNI code tables, conversion to Unicode NFC, and
telling the encodings apart in a sample of cells."""

from __future__ import annotations

import unicodedata

import pytest
from django.utils import translation

from danvan.core.errors import DomainError
from danvan.imports import legacy

# Hand-encoded from the published tables (not produced by the module under test).
NAMES = [
    # (Unicode, TCVN3, VNI)
    ("Nguyễn Văn Ánh", "NguyÔn V¨n ¸nh", "Nguyeãn Vaên Aùnh"),
    (
        "Ủy ban nhân dân xã Khánh Thiện",
        "ñy ban nh©n d©n x· Kh¸nh ThiÖn",
        "UÛy ban nhaân daân xaõ Khaùnh Thieän",
    ),
    ("Đường", "§\xadêng", "Ñöôøng"),
    ("Hòa Bình", "Hßa B×nh", "Hoøa Bình"),
    ("Trần Thị Hòa", "TrÇn ThÞ Hßa", "Traàn Thò Hoøa"),
    ("Họ và tên", "Hä vµ tªn", "Hoï vaø teân"),
    ("ngoặc kép ở giữa", "ngoÆc kÐp ë gi÷a", "ngoaëc keùp ôû giöõa"),
    ("Quỳnh Lưu, Nghệ An", "Quúnh L\xadu, NghÖ An", "Quyønh Löu, Ngheä An"),
]

# Every toned vowel of the alphabet, lower case, in the table order (none, grave, hook, tilde,
# acute, dot), with its TCVN3 code: a check of the data against the standard, row by row.
TCVN3_ROWS = {
    "aàảãáạ": "aµ¶·¸¹",
    "ăằẳẵắặ": "¨»¼½¾Æ",
    "âầẩẫấậ": "©ÇÈÉÊË",
    "eèẻẽéẹ": "eÌÎÏÐÑ",
    "êềểễếệ": "ªÒÓÔÕÖ",
    "iìỉĩíị": "i×ØÜÝÞ",
    "oòỏõóọ": "oßáâãä",
    "ôồổỗốộ": "«åæçèé",
    "ơờởỡớợ": "¬êëìíî",
    "uùủũúụ": "uïñòóô",
    "ưừửữứự": "\xadõö÷øù",
    "yỳỷỹýỵ": "yúûüýþ",
}


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), NAMES)
def test_known_names_convert_exactly(unicode, tcvn3, vni):
    assert legacy.to_unicode(tcvn3, "tcvn3") == unicode
    assert legacy.to_unicode(vni, "vni") == unicode
    assert unicodedata.is_normalized("NFC", legacy.to_unicode(vni, "vni"))


@pytest.mark.parametrize(("letters", "codes"), TCVN3_ROWS.items())
def test_tcvn3_table_matches_the_standard(letters, codes):
    assert legacy.to_unicode(codes, "tcvn3").lower() == letters
    assert legacy.to_unicode("¡¢£¤¥¦§®", "tcvn3") == "ĂÂÊÔƠƯĐđ"


def test_vni_covers_all_134_letters_in_both_cases():
    lower = "".join(TCVN3_ROWS) + "đ"
    letters = {ch for ch in lower if not ch.isascii()} | {ch.upper() for ch in lower if not ch.isascii()}
    assert len(letters) == 134
    # ì í Ì Í are their own VNI codes; every other letter is converted from something.
    converted = set(legacy._VNI_TO_UNICODE.values()) | set("ìíÌÍ")
    assert letters <= converted
    # Upper case marks ("AÙ") and a capital base with a small mark ("Aù") both give the capital.
    assert legacy.to_unicode("AÙNH SAÙNG", "vni") == "ÁNH SÁNG"
    assert legacy.to_unicode("Aùnh", "vni") == "Ánh"
    assert legacy.to_unicode("ÑÖÔØNG ÑÔØI", "vni") == "ĐƯỜNG ĐỜI"


def test_tcvn3_capitals_come_back_from_context():
    # Titles typed with .VnTimeH: the codes are the lower-case ones.
    assert legacy.to_unicode("Sæ THEO DâI §¥N TH¦", "tcvn3") == "SỔ THEO DÕI ĐƠN THƯ"
    assert legacy.to_unicode("UBND HUYÖN", "tcvn3") == "UBND HUYỆN"
    # Start of the text, and word starts in a name.
    assert legacy.to_unicode("¸nh s¸ng", "tcvn3") == "Ánh sáng"
    assert legacy.to_unicode("Lª ¸nh", "tcvn3") == "Lê Ánh"
    # Inside a sentence a word keeps lower case.
    assert legacy.to_unicode("Nhµ cã ¸nh s¸ng", "tcvn3") == "Nhà có ánh sáng"


def test_to_unicode_without_legacy_only_normalises():
    assert legacy.to_unicode("Nguye\u0302\u0303n", "") == "Nguyễn"
    with pytest.raises(ValueError):
        legacy.to_unicode("x", "viscii")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Nguyễn", True),
        ("nghiêng", True),
        ("khuya", True),
        ("Đường", True),
        ("giữa", True),
        ("nguyón", False),  # tone on the wrong vowel cluster
        ("vaờn", False),
        ("sociộtộ", False),
        ("aáá", False),
    ],
)
def test_syllable_shape(word, expected):
    assert legacy.is_syllable(word) is expected


def test_detect_tcvn3_and_vni():
    assert legacy.detect([t for _u, t, _v in NAMES]) == "tcvn3"
    assert legacy.detect([v for _u, _t, v in NAMES]) == "vni"


@pytest.mark.parametrize(
    "samples",
    [
        [u for u, _t, _v in NAMES],  # Unicode
        ["Hòa Bình", "Cà Mau", "Bà Rịa"],  # Unicode with Latin-1 letters only, but ị proves it
        ["Hòa Bình", "Cà Mau"],  # every reading makes sense: the text stays as it is
        ["Nguyen Van Anh", "Ha Noi"],  # plain ASCII
        ["José Müller", "Zürich"],  # foreign names: nothing looks legacy
        [],
    ],
)
def test_detect_leaves_unicode_alone(samples):
    assert legacy.detect(samples) == ""


def test_detect_refuses_a_mixed_sample():
    samples = [t for _u, t, _v in NAMES[:4]] + [v for _u, _t, v in NAMES[:4]]
    with translation.override("en"), pytest.raises(DomainError) as caught:
        legacy.detect(samples)
    assert caught.value.code == "import.encoding_unknown"
    assert "Unikey's converter" in caught.value.message
    assert "Unicode (UTF-8)" in caught.value.message


def test_detect_refuses_legacy_looking_garbage():
    with pytest.raises(DomainError) as caught:
        legacy.detect(["¸¸¸ ©©© ¨¨", "µµ ¶¶¶ ·"])
    assert caught.value.code == "import.encoding_unknown"


def test_detect_scores_the_unicode_reading_separately():
    # A Windows-1258 CSV: its Unicode reading (combining tones) is Vietnamese, the glyph reading is not.
    glyphs = ["NguyêÞn Vãn", "Hòa Bình"]
    cp1258 = ["Nguyê\u0303n Văn", "Hòa Bình"]
    assert legacy.detect(glyphs, unicode_samples=cp1258) == ""
    tcvn3 = [t for _u, t, _v in NAMES]
    assert legacy.detect(tcvn3, unicode_samples=["NguyÔn V\u0103n"]) == "tcvn3"
