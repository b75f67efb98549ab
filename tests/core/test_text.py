import unicodedata

import pytest

from danvan.core.text import filter_folded, fold, normalize, search_terms
from danvan.units.models import Unit


def test_normalize_composes_nfd_input_and_folds_spaces():
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Văn A ")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert normalize(nfd) == "Nguyễn Văn A"
    assert unicodedata.is_normalized("NFC", normalize(nfd))


@pytest.mark.parametrize(
    "typed", ["Nguyễn Văn A", unicodedata.normalize("NFD", "Nguyễn Văn A"), "NGUYỄN VĂN A", "nguyen van a"]
)
def test_fold_ignores_case_diacritics_and_form(typed):
    assert fold(typed) == "nguyen van a"


def test_fold_maps_d_with_stroke():
    assert fold("Đinh Đức Đạt") == "dinh duc dat"


def test_search_terms_split_words():
    assert search_terms("  Yên  KHÁNH ") == ["yen", "khanh"]


def test_folded_search_finds_names_on_this_database(tree):
    found = filter_folded(Unit.objects.all(), "name_folded", "khanh thien")
    assert set(found.values_list("pk", flat=True)) == {tree.c1.pk, tree.n.pk}
    nfd_query = unicodedata.normalize("NFD", "KHÁNH thiện")
    assert set(filter_folded(Unit.objects.all(), "name_folded", nfd_query)) == set(found)
    assert not filter_folded(Unit.objects.all(), "name_folded", "khanh zzz").exists()
