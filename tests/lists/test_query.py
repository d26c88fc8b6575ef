"""Query strings of list links: the same encoding as QueryDict.urlencode(), with parameters
left out, replaced or added, in their order."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from galtea_admin.lists.query import encode_query

QUERIES = [
    "",
    "a=1&b=2&a=3",
    "name=caf%C3%A9+bar&q=%2B1+415&k=a%26b%3Dc",
    "product=p1&product=p2&sort=-phone&page=3",
    "empty=&spaces=+",
]


@pytest.mark.parametrize("query", QUERIES)
def test_unchanged_parameters_encode_as_querydict_does(query):
    params = QueryDict(query)

    assert encode_query(params) == params.urlencode()


@pytest.mark.parametrize("query", QUERIES)
def test_changes_match_editing_a_copy(query):
    params = QueryDict(query)
    edited = params.copy()
    edited.pop("page", None)
    edited["sort"] = "name"

    assert encode_query(params, drop=["page"], replace={"sort": "name"}) == edited.urlencode()


def test_a_replaced_key_keeps_its_place_and_a_new_one_goes_last():
    params = QueryDict("sort=name&q=x&page=2")

    assert encode_query(params, replace={"sort": "-name", "per_page": "50"}) == (
        "sort=-name&q=x&page=2&per_page=50"
    )


def test_single_values_can_be_left_out():
    params = QueryDict("product=p1&product=p2&name=a")

    kept = encode_query(params, keep=lambda key, value: (key, value) != ("product", "p1"))

    assert kept == "product=p2&name=a"


def test_nothing_left_is_empty():
    assert encode_query(QueryDict("page=2"), drop=["page"]) == ""
