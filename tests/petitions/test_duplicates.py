"""The duplicate check: earlier petitions of the same person (by ID number, or by name and address,
through keyed digests, so a sealed denouncer is matched too) and with similar content; linking a new
petition to an earlier one; petitions and cases counted apart."""

from __future__ import annotations

import pytest

from danvan.core.errors import DomainError
from danvan.petitions import identity, selectors, services
from danvan.petitions.models import Kind, Petition
from danvan.units.models import Role

LAND = (
    "Gia đình tôi bị thu hồi 500 mét vuông đất nông nghiệp tại cánh đồng thôn Đông để làm khu công nghiệp, "
    "nhưng mức bồi thường chỉ bằng một nửa giá thị trường và chưa được bố trí đất tái định cư."
)
# The same complaint typed without diacritics.
LAND_PLAIN = (
    "Gia dinh toi bi thu hoi 500 met vuong dat nong nghiep tai canh dong thon Dong de lam khu cong nghiep, "
    "nhung muc boi thuong chi bang mot nua gia thi truong va chua duoc bo tri dat tai dinh cu."
)
# The same complaint, its two clauses in the other order.
LAND_REORDERED = (
    "Mức bồi thường chỉ bằng một nửa giá thị trường và chưa được bố trí đất tái định cư, trong khi "
    "gia đình tôi bị thu hồi 500 mét vuông đất nông nghiệp tại cánh đồng thôn Đông để làm khu công nghiệp."
)
# The same complaint with typing mistakes.
LAND_TYPO = (
    "Gia đình tôi bị thu hồi 500 mét vuông đất nông nghiệp tại cánh đồng thôn Đông để làm khu công nghiêp, "
    "nhưng mức bồi thường chỉ bằng một nửa giá thi trường và chưa được bố trí đất tái đinh cư."
)
# Another matter on the same topic (land), not a duplicate.
LAND_OTHER = (
    "Đề nghị Ủy ban nhân dân xã cấp giấy chứng nhận quyền sử dụng đất ở cho thửa đất số 112 tờ bản đồ số 7 "
    "mà gia đình tôi đã nộp hồ sơ từ năm 2023 nhưng đến nay vẫn chưa được giải quyết."
)
AN = services.PersonInput(name="Nguyễn Văn An", id_number="037090001234", address="Thôn Đông, xã Khánh Thiện")
HOA = services.PersonInput(name="Lê Thị Hoa", id_number="037191007777", address="Thôn Bắc, xã Khánh Thiện")


def ident(person: services.PersonInput, **overrides) -> identity.Identity:
    values = {"name": person.name, "id_number": person.id_number, "address": person.address}
    values.update(overrides)
    return identity.Identity(**values)


def candidates(user, *, people=(), content="") -> dict[int, list[str]]:
    return {
        c.petition.pk: c.reasons
        for c in selectors.duplicate_candidates_for(user, people=list(people), content=content)
    }


def test_the_same_id_number_finds_the_earlier_petition(office, make_petition):
    earlier = make_petition(petitioners=[AN])
    make_petition(petitioners=[HOA], content=LAND_OTHER)
    found = candidates(office.handler, people=[identity.Identity(name="Khác Tên", id_number="037090001234")])
    assert found == {earlier.pk: ["same_id"]}


def test_a_sealed_denouncer_is_matched_through_the_digest(office, make_petition):
    earlier = make_petition(kind=Kind.DENUNCIATION, field="land", petitioners=[AN])
    row = earlier.petitioners.get()
    assert (row.name, row.id_number, row.address) == ("", "", "")
    # The head of the unit is entitled to the identity: the match is shown to them.
    found = candidates(office.leader, people=[ident(AN)])
    assert set(found[earlier.pk]) == {"same_id", "same_name_address"}
    [candidate] = selectors.duplicate_candidates_for(office.leader, people=[ident(AN)], content="")
    assert candidate.petition.petitioners.get().name == ""  # found, and still sealed
    # Anyone else would learn who the denouncer is from "same ID number": no identity match for them.
    for user in (office.clerk, office.handler, office.supervisor):
        assert candidates(user, people=[ident(AN)]) == {}


def test_name_and_address_match_across_case_diacritics_and_spacing(office, make_petition):
    earlier = make_petition(petitioners=[services.PersonInput(name=AN.name, address=AN.address)])
    person = identity.Identity(name="NGUYEN  van an", address="thon dong,  XA KHANH THIEN")
    assert candidates(office.handler, people=[person]) == {earlier.pk: ["same_name_address"]}
    # Same name elsewhere is another person.
    elsewhere = identity.Identity(name="Nguyễn Văn An", address="Thôn Tây, xã Khánh Thiện")
    assert candidates(office.handler, people=[elsewhere]) == {}


@pytest.mark.parametrize(
    "content", [LAND, LAND_PLAIN, LAND_REORDERED, LAND_TYPO], ids=["same", "plain", "reordered", "typo"]
)
def test_similar_content_is_found(office, make_petition, content):
    earlier = make_petition(content=LAND, petitioners=[AN])
    make_petition(content=LAND_OTHER, petitioners=[HOA])
    found = candidates(office.handler, content=content)
    assert found == {earlier.pk: ["similar_content"]}
    [candidate] = selectors.duplicate_candidates_for(office.handler, people=[], content=content)
    assert candidate.score is not None and candidate.score > 0


def test_another_matter_on_the_same_topic_is_not_a_candidate(office, make_petition):
    make_petition(content=LAND, petitioners=[AN])
    assert candidates(office.handler, content=LAND_OTHER) == {}


def test_both_person_and_content_rank_first(office, make_petition):
    by_content = make_petition(content=LAND, petitioners=[HOA])
    by_both = make_petition(content=LAND, petitioners=[AN])
    by_person = make_petition(content=LAND_OTHER, petitioners=[AN])
    found = selectors.duplicate_candidates_for(office.handler, people=[ident(AN)], content=LAND_TYPO)
    assert [c.petition.pk for c in found][0] == by_both.pk
    assert {c.petition.pk for c in found} == {by_content.pk, by_both.pk, by_person.pk}


def test_petitions_out_of_scope_are_never_candidates(office, make_petition, make_user):
    foreign_clerk = make_user(Role.CLERK, office.foreign_agency)
    make_petition(actor=foreign_clerk, unit=office.foreign_agency, content=LAND, petitioners=[AN])
    assert candidates(office.handler, people=[ident(AN)], content=LAND) == {}
    mine = make_petition(content=LAND, petitioners=[AN])
    assert list(candidates(office.handler, people=[ident(AN)], content=LAND)) == [mine.pk]


def test_nothing_to_match_finds_nothing(office, make_petition):
    make_petition()
    assert selectors.duplicate_candidates_for(office.handler, people=[identity.Identity()], content="") == []


# ---- linking at intake -----------------------------------------------------------------------


def _part(link: str, earlier: Petition | None = None, kind: str = Kind.COMPLAINT) -> list[services.PartInput]:
    return [
        services.PartInput(
            kind=kind,
            field="land",
            content=LAND_TYPO,
            link=link,
            link_petition_id=earlier.pk if earlier else None,
        )
    ]


def test_linking_a_duplicate(office, make_petition):
    earlier = make_petition(content=LAND)
    duplicate = make_petition(parts=_part("duplicate", earlier))
    assert (duplicate.duplicate_of, duplicate.case_id, duplicate.is_repeat) == (
        earlier,
        earlier.case_id,
        True,
    )
    same_case = make_petition(parts=_part("case", earlier))
    assert (same_case.duplicate_of, same_case.case_id, same_case.is_repeat) == (None, earlier.case_id, True)
    new = make_petition(parts=_part("new"))
    assert (new.duplicate_of, new.is_repeat) == (None, False)
    assert new.case_id not in (earlier.case_id,)
    assert (earlier.duplicate_of, earlier.is_repeat) == (None, False)


def test_linking_to_a_petition_out_of_scope_is_refused(office, make_petition, make_user):
    foreign_clerk = make_user(Role.CLERK, office.foreign_agency)
    foreign = make_petition(actor=foreign_clerk, unit=office.foreign_agency)
    before = Petition.objects.count()
    with pytest.raises(DomainError) as caught:
        make_petition(parts=_part("duplicate", foreign))
    assert caught.value.code == "petition_not_found"
    assert list(caught.value.fields) == ["parts.0.link"]
    assert Petition.objects.count() == before


def test_case_counts_count_petitions_and_cases_apart(office, make_petition):
    earlier = make_petition(content=LAND)
    make_petition(parts=_part("duplicate", earlier))
    make_petition(parts=_part("case", earlier))
    make_petition(content=LAND_OTHER)
    counts = selectors.case_counts(Petition.objects.all())
    assert counts == {"petitions": 4, "cases": 2}
    assert selectors.case_counts(Petition.objects.filter(is_repeat=False)) == {"petitions": 2, "cases": 2}
