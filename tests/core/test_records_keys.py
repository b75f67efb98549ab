"""`keys_found`: which natural keys exist, read by groups the unique index answers."""

from __future__ import annotations

from datetime import date

from danvan.core.records import keys_found
from danvan.units.models import Unit


def test_only_the_keys_that_exist_are_found_not_their_cross_product(tree):
    keys = {("14800", date(2000, 1, 1)), ("14801", date(2025, 7, 1))}
    # Each value exists on its own ("14800" from 2000, "14801" from 2025 and from 2000), so a filter
    # on each field's values would also return ("14801", 2000-01-01): a key nobody asked for.
    found = keys_found(Unit.objects.all(), ("code", "valid_from"), keys | {("nope", date(2000, 1, 1))})
    assert found == keys


def test_many_groups_go_in_several_queries(tree, django_assert_num_queries):
    keys = [(f"code-{n}", date(2000, 1, 1)) for n in range(450)] + [("37", date(2000, 1, 1))]
    with django_assert_num_queries(3):  # 451 groups, 200 a query
        found = keys_found(Unit.objects.all(), ("code", "valid_from"), keys)
    assert found == {("37", date(2000, 1, 1))}
