"""Filter chips read as the filter form does: a choice by its label, a person by name."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from galtea_admin.audit.filters import ChangeRecordFilter
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.lists.chips import filter_chips, url_without

pytestmark = pytest.mark.django_db


def chips_for(query: str):
    params = QueryDict(query)
    filterset = ChangeRecordFilter(params, queryset=ChangeRecord.objects.all())
    return [(chip.label, chip.value, chip.remove_url) for chip in filter_chips(filterset, params)]


def test_a_choice_shows_its_label(django_assert_num_queries):
    with django_assert_num_queries(0):
        chips = chips_for("action=delete&sort=-created_at&page=2")

    assert chips == [("Action", "Deleted", "?sort=-created_at")]


def test_a_person_shows_by_username_without_reading_every_user(
    django_assert_num_queries, django_user_model
):
    mona = django_user_model.objects.create(username="mona")
    ChangeRecord.objects.create(
        user=mona,
        username="mona",
        action="create",
        object_type="phone_connections",
        object_id="phoneConnection_1",
        product_id="product_1",
        product_name="Acme",
        object_label="Line 1",
        changes={},
    )
    params = QueryDict("user=mona")
    filterset = ChangeRecordFilter(params, queryset=ChangeRecord.objects.all())
    assert filterset.form.is_valid()  # the page checks its filters before drawing chips

    with django_assert_num_queries(0):
        chips = filter_chips(filterset, params)

    assert [(chip.label, chip.value, chip.remove_url) for chip in chips] == [("User", "mona", "?")]


def test_a_filter_the_list_could_not_apply_has_no_chip():
    assert chips_for("user=nobody-who-changed-anything") == []
    # Reversed dates: "To" is refused (before "From"), so only "From" applied.
    chips = chips_for("created_from=2026-03-01T10:00&created_to=2026-02-01T10:00")
    assert [label for label, _, _ in chips] == ["From"]


def test_removing_one_value_keeps_the_others_and_starts_again_from_the_first_page():
    params = QueryDict("product=p1&product=p2&name=a&page=3")

    assert url_without(params, "product", "p1") == "?product=p2&name=a"
    assert url_without(params, "name") == "?product=p1&product=p2"
    assert url_without(QueryDict("name=a&page=2"), "name") == "?"


def phone_chips(query: str) -> dict[str, str]:
    from galtea_admin.phone_connections.filters import PhoneConnectionFilter

    params = QueryDict(query)
    filterset = PhoneConnectionFilter(params, products=[])
    return {chip.label: chip.value for chip in filter_chips(filterset, params)}


def test_a_box_of_several_values_shows_them_separated_by_commas():
    query = urlencode(
        {
            "names": "Support line\r\n Sales  desk\r\n\r\n",
            "phones": "+14155552671\n+442079460958",
            "ids": "pc_1 pc_2,pc_3",
        }
    )

    chips = phone_chips(query)

    assert chips["Exact names"] == "Support line, Sales desk"
    assert chips["Exact phone numbers"] == "+14155552671, +442079460958"
    assert chips["Ids"] == "pc_1, pc_2, pc_3"


def test_a_long_list_of_values_is_cut_at_forty_characters():
    names = "\n".join(f"Line number {n}" for n in range(1, 6))

    value = phone_chips(urlencode({"names": names}))["Exact names"]

    assert value == "Line number 1, Line number 2, Line numb…"
    assert len(value) == 40
