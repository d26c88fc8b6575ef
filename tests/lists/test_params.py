"""Query strings of list links (query_string): every other parameter and value kept, in
their order, some set to one value or left out, with the same encoding as
QueryDict.urlencode(); the same links Django's `{% querystring %}` makes."""

from __future__ import annotations

import html

import pytest
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory

from galtea_admin.lists.params import query_string

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

    assert query_string(params) == f"?{params.urlencode()}"


@pytest.mark.parametrize("query", QUERIES)
def test_changes_match_editing_a_copy(query):
    params = QueryDict(query)
    edited = params.copy()
    edited.pop("page", None)
    edited["sort"] = "name"

    assert query_string(params, changes={"sort": "name"}, remove=["page"]) == (
        f"?{edited.urlencode()}"
    )


def test_every_other_parameter_and_value_is_kept_in_its_order():
    params = QueryDict("product=p1&name=a+b&product=p2&page=2&ids=x%0Ay")

    assert query_string(params, changes={"page": 3}) == (
        "?product=p1&product=p2&name=a+b&page=3&ids=x%0Ay"
    )


def test_a_changed_key_keeps_its_place_and_a_new_one_goes_last():
    params = QueryDict("sort=name&q=x&page=2")

    assert query_string(params, changes={"sort": "-name", "per_page": "50"}) == (
        "?sort=-name&q=x&page=2&per_page=50"
    )


def test_a_change_sets_one_value_in_place_of_several():
    params = QueryDict("product=p1&product=p2&name=a")

    assert query_string(params, changes={"product": "p3"}) == "?product=p3&name=a"


def test_removed_keys_go_with_all_their_values():
    params = QueryDict("product=p1&product=p2&name=a&page=2")

    assert query_string(params, remove=["product", "page"]) == "?name=a"


def test_removing_a_key_that_is_not_there_changes_nothing():
    assert query_string(QueryDict("name=a"), remove=["page", "sort"]) == "?name=a"


def test_values_are_turned_into_text():
    assert query_string(QueryDict(""), changes={"page": 4, "per_page": 50}) == (
        "?page=4&per_page=50"
    )


def test_nothing_left_is_a_link_to_the_list_without_parameters():
    assert query_string(QueryDict("page=2"), remove=["page"]) == "?"
    assert query_string(QueryDict("")) == "?"


def test_the_parameters_given_are_not_changed():
    params = QueryDict("sort=name&page=2")

    query_string(params, changes={"sort": "-name"}, remove=["page"])

    assert params.urlencode() == "sort=name&page=2"


# --- The same links as Django's {% querystring %} ---------------------------------------------

TAG_QUERIES = ["", "page=3", "product=p1&product=p2&name=a+b&page=2&sort=-phone", "q=%2B1+415&x=&"]
TAG_CHANGES = [
    ({"page": 4}, (), "page=4"),
    ({}, ("page",), "page=None"),
    ({"per_page": 50}, ("page",), "per_page=50 page=None"),
    ({"sort": "name"}, (), "sort='name'"),
]


@pytest.mark.parametrize(("changes", "remove", "tag_arguments"), TAG_CHANGES)
@pytest.mark.parametrize("query", TAG_QUERIES)
def test_same_links_as_djangos_querystring(query, changes, remove, tag_arguments):
    request = RequestFactory().get(f"/phone-connections/?{query}")
    drawn = Template(f"{{% querystring {tag_arguments} %}}").render(RequestContext(request))
    django = html.unescape(drawn)  # a template escapes the & between parameters

    ours = query_string(request.GET, changes=changes, remove=remove)

    # Where Django gives "" (nothing before, nothing after), "?" is the same link.
    assert ours == (django or "?")
