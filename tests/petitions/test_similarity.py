"""Similar petition contents: keys that find candidates, and the score that keeps them (no database)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from danvan.core.text import fold
from danvan.petitions.similarity import BANDS, THRESHOLD, match_text, score, signature

BENCH = Path(__file__).resolve().parents[2] / "bench"

ORIGINAL = (
    "Kính gửi: Chủ tịch UBND xã Tân Hiệp. Tôi tên là Nguyễn Văn Hùng, sinh năm 1965, trú tại thôn Đông, xã "
    "Tân Hiệp, huyện Phú Lộc. Gia đình tôi đang sử dụng thửa đất số 125, tờ bản đồ số 7, diện tích 320 m2, "
    "đã được cấp giấy chứng nhận quyền sử dụng đất năm 2004. Ngày 12/3/2023, hộ ông Trần Văn Long ở liền kề "
    "đã tự ý xây tường rào lấn sang đất nhà tôi khoảng 15 m2. Tôi đã nhiều lần gặp ông Long để thỏa thuận "
    "nhưng không có kết quả. Đề nghị UBND xã Tân Hiệp tổ chức đo đạc lại ranh giới thửa đất và buộc ông "
    "Trần Văn Long trả lại phần đất đã lấn chiếm. Tôi xin chân thành cảm ơn."
)
PARAPHRASE = (
    "Tôi là Nguyễn Văn Hùng, năm sinh 1965, thường trú tại thôn Đông, xã Tân Hiệp, huyện Phú Lộc. Tôi xin "
    "trình bày sự việc như sau: hộ gia đình tôi sử dụng thửa đất số 125, tờ bản đồ số 07 với diện tích 320 "
    "m2, được cấp giấy chứng nhận quyền sử dụng đất từ năm 2004. Vào ngày 12 tháng 3 năm 2023, gia đình ông "
    "Trần Văn Long là hộ liền kề đã tự ý xây dựng tường rào lấn chiếm khoảng 15 m2 đất của nhà tôi. Tôi đã "
    "nhiều lần trao đổi với ông Long để thương lượng nhưng không được chấp nhận. Kính đề nghị cơ quan có "
    "thẩm quyền xem xét, đo đạc lại ranh giới thửa đất và buộc ông Trần Văn Long trả lại phần đất đã lấn "
    "chiếm."
)
REORDERED = (
    "Tôi tên là Nguyễn Văn Hùng, trú tại thôn Đông, xã Tân Hiệp, huyện Phú Lộc, sinh năm 1965. Kính gửi: "
    "Chủ tịch UBND xã Tân Hiệp. Ngày 12/3/2023, hộ ông Trần Văn Long ở liền kề đã tự ý xây tường rào lấn "
    "sang đất nhà tôi khoảng 15 m2. Gia đình tôi đang sử dụng thửa đất số 125, tờ bản đồ số 7, diện tích "
    "320 m2, năm 2004 đã được cấp giấy chứng nhận quyền sử dụng đất. Buộc ông Trần Văn Long trả lại phần "
    "đất đã lấn chiếm và tổ chức đo đạc lại ranh giới thửa đất, đề nghị UBND xã Tân Hiệp. Tôi đã nhiều lần "
    "gặp ông Long để thỏa thuận nhưng không có kết quả. Tôi xin chân thành cảm ơn."
)
# Same topic, same place and the same wording (a neighbour's copy), other people, plot, dates and areas.
NEIGHBOURS_COPY = (
    "Kính gửi: Chủ tịch UBND xã Tân Hiệp. Tôi tên là Lê Thị Mai, sinh năm 1972, trú tại thôn Đông, xã Tân "
    "Hiệp, huyện Phú Lộc. Gia đình tôi đang sử dụng thửa đất số 88, tờ bản đồ số 12, diện tích 540 m2, đã "
    "được cấp giấy chứng nhận quyền sử dụng đất năm 2010. Ngày 5/9/2024, hộ bà Phạm Thị Hoa ở liền kề đã đổ "
    "đất, trồng cây lấn sang đất nhà tôi khoảng 30 m2. Sự việc đã được tổ hòa giải thôn hòa giải nhưng "
    "không thành. Đề nghị UBND xã Tân Hiệp tổ chức đo đạc lại ranh giới thửa đất và buộc bà Phạm Thị Hoa "
    "trả lại phần đất đã lấn chiếm. Tôi xin chân thành cảm ơn."
)
SAME_TOPIC = (
    "Tôi là Đỗ Minh Tuấn, trú tại xóm 3, xã Tân Hiệp, huyện Phú Lộc. Năm 2019 gia đình tôi nhận chuyển "
    "nhượng thửa đất số 402 của ông Bùi Văn Sáu. Từ tháng 6/2022, hộ ông Hồ Văn Tư làm chuồng trại lấn sang "
    "đất của gia đình tôi, làm thay đổi ranh giới thửa đất. Gia đình tôi đã làm đơn gửi UBND xã nhưng đến "
    "nay chưa được giải quyết dứt điểm. Kính đề nghị cơ quan có thẩm quyền xác minh, giải quyết tranh chấp "
    "để bảo vệ quyền lợi hợp pháp của gia đình tôi."
)
# signature(ORIGINAL), computed once: the keys are stored, so they must never change by accident.
ORIGINAL_KEYS = [
    -3631071202584423965,
    8775922904439917635,
    -1271651381364817654,
    -3766299904646288462,
    -2230709597883496165,
    -9089095400348683748,
    -668780464694476852,
    -8130651311573395895,
    4623384538422571458,
    -1251454766726743844,
    -392878082593778764,
    -6224122163335925240,
    885284373995383239,
    2450963648115568688,
    7433649946363163856,
    1715280889305686899,
    -6219677264346589995,
    6353457508212587651,
    6250247956791779300,
    -3007733426283792444,
    2355342028827712762,
    -8481581009217191919,
    -1012926789095062889,
    7333653173464196817,
    -8736202625023276995,
    -7717691133285663308,
    6190212825584138884,
    1717498581438268060,
    -1426501322881384987,
    5830477239085957275,
    -6919956723974211408,
    4632901836740244945,
]


def without_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def with_typos(text: str) -> str:
    for right, wrong in (("chứng nhận", "chúng nhận"), ("tường rào", "tườn rào"), ("ranh giới", "rang giới")):
        assert right in text
        text = text.replace(right, wrong, 1)
    return text


def test_match_text_folds_case_diacritics_punctuation_and_numbers():
    assert match_text("ĐỀ NGHỊ  UBND xã Tân-Hiệp:\n số tiền 250.000.000 đồng, ngày 05/03/2024!") == (
        "de nghi ubnd xa tan hiep so tien 250000000 dong ngay 5 3 2024"
    )
    assert match_text(ORIGINAL) == match_text(match_text(ORIGINAL)) == match_text(fold(ORIGINAL))
    assert match_text("") == match_text(None) == ""


def test_identical_texts_score_one():
    assert score(ORIGINAL, ORIGINAL) == 1.0


def test_diacritics_and_case_do_not_matter():
    plain = without_diacritics(ORIGINAL).upper()
    assert plain.isascii()
    assert score(ORIGINAL, plain) == 1.0
    assert signature(plain) == signature(ORIGINAL)


def test_the_stored_folded_or_matched_form_scores_like_the_raw_text():
    assert score(PARAPHRASE, ORIGINAL) == score(match_text(PARAPHRASE), fold(ORIGINAL))
    assert score(PARAPHRASE, ORIGINAL) == score(ORIGINAL, PARAPHRASE)


@pytest.mark.parametrize(
    "duplicate",
    [REORDERED, with_typos(ORIGINAL), PARAPHRASE, without_diacritics(with_typos(PARAPHRASE)).lower()],
    ids=["reordered", "typos", "paraphrase", "paraphrase-typos-no-diacritics"],
)
def test_duplicates_score_above_the_threshold_and_share_keys(duplicate):
    assert score(ORIGINAL, duplicate) >= THRESHOLD
    assert set(signature(ORIGINAL)) & set(signature(duplicate))


@pytest.mark.parametrize("other", [NEIGHBOURS_COPY, SAME_TOPIC], ids=["neighbours-copy", "same-topic"])
def test_different_petitions_on_the_same_topic_score_below_the_threshold(other):
    assert score(ORIGINAL, other) < THRESHOLD


def test_signature_is_a_list_of_distinct_signed_64_bit_keys():
    keys = signature(ORIGINAL)
    assert len(keys) == BANDS <= 32
    assert len(set(keys)) == len(keys)
    assert all(isinstance(k, int) and -(2**63) <= k < 2**63 for k in keys)


def test_short_or_empty_texts_have_no_keys():
    assert signature("") == signature(None) == []
    assert signature("Đề nghị xem xét giải quyết.") == []
    assert score("", ORIGINAL) == score(ORIGINAL, None) == 0.0


def test_signature_is_fixed():
    assert signature(ORIGINAL) == ORIGINAL_KEYS


def test_signature_is_the_same_in_other_processes():
    code = "import sys; from danvan.petitions.similarity import signature; print(signature(sys.stdin.read()))"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code], input=ORIGINAL, capture_output=True, text=True, env=env, check=True
        )
        assert run.stdout.strip() == str(signature(ORIGINAL))


@pytest.fixture(scope="module")
def corpus():
    sys.path.insert(0, str(BENCH))
    try:
        import petition_corpus
    finally:
        sys.path.remove(str(BENCH))
    return petition_corpus


def test_corpus_is_deterministic(corpus):
    assert corpus.make_contents(5, seed=1) == corpus.make_contents(5, seed=1)
    assert corpus.make_contents(5, seed=1) != corpus.make_contents(5, seed=2)
    originals, queries = corpus.labelled_pairs(30, seed=3)
    assert originals == corpus.make_contents(30, seed=3)
    assert len(queries) == 30
    assert {label is None for _text, label in queries} == {True, False}


def test_labelled_corpus_recall_and_precision(corpus):
    """The intake check on a small labelled set: keys → candidates ranked by shared keys → score."""
    originals, queries = corpus.labelled_pairs(300, seed=5)
    index: dict[int, list[int]] = defaultdict(list)
    for i, text in enumerate(originals):
        for key in signature(text):
            index[key].append(i)
    stored = [match_text(text) for text in originals]
    true = false = 0
    for text, label in queries:
        shared = Counter(i for key in signature(text) for i in index.get(key, ()))
        found = [i for i, _n in shared.most_common(50) if score(text, stored[i]) >= THRESHOLD]
        true += label in found
        false += len(found) - (label in found)
    positives = sum(1 for _text, label in queries if label is not None)
    assert true / positives >= 0.95
    assert true / (true + false) >= 0.9
