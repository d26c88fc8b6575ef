"""Where a page sends a person next: links to many entities' pages (EntityUrls) are the
URLs reverse() makes, with one reverse() per page name rather than one per row; and a `next`
is followed only when it is a path on this site."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse

from galtea_admin.lists import navigation
from galtea_admin.lists.navigation import MAX_NEXT_LENGTH, EntityUrls, safe_next, safe_target

IDS = [
    "phoneConnection_0123abcd",
    "with space",
    "per%cent",
    "question?mark#hash",
    "colon:at@plus+semi;eq=amp&",
    "ünïcødé-ид",
    "quote'\"<tag>",
    "..",
]


@pytest.mark.parametrize("name", ["detail", "update", "delete"])
@pytest.mark.parametrize("entity_id", IDS)
def test_each_url_is_the_one_reverse_makes(name, entity_id):
    assert EntityUrls("phone_connections")(name, entity_id) == reverse(
        f"phone_connections:{name}", args=[entity_id]
    )


def test_one_reverse_per_page_name_however_many_rows():
    urls = EntityUrls("phone_connections")

    with mock.patch.object(navigation, "reverse", wraps=reverse) as reversing:
        for number in range(25):
            urls("detail", f"phoneConnection_{number}")
            urls("delete", f"phoneConnection_{number}")

    assert sorted(call.args[0] for call in reversing.call_args_list) == [
        "phone_connections:delete",
        "phone_connections:detail",
    ]


# --- next -------------------------------------------------------------------------------------

SAME_SITE = [
    "/phone-connections/",
    "/phone-connections/?name=line&sort=-phone&page=2",
    "/phone-connections/pc_1/?next=%2Fphone-connections%2F",
]
ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/phone-connections/",
    "/\\evil.example/",
    "\\\\evil.example",
    "http://testserver/phone-connections/",  # absolute, even to this host: only paths
    "javascript:alert(1)",
    "phone-connections/",
    " /phone-connections/",
    "/" + "a" * MAX_NEXT_LENGTH,
    "",
]


def get(next_url: str, host: str = "testserver"):
    return RequestFactory().get("/phone-connections/pc_1/", {"next": next_url}, HTTP_HOST=host)


@pytest.mark.parametrize("target", SAME_SITE)
def test_a_path_on_this_site_is_followed(target):
    assert safe_next(get(target)) == target
    assert safe_target(get(""), target) == target


@pytest.mark.parametrize("target", ELSEWHERE)
def test_anything_else_is_refused(target):
    assert safe_next(get(target)) is None
    assert safe_target(get(""), target) is None


def test_a_posted_next_comes_before_the_one_in_the_url():
    request = RequestFactory().post(
        "/phone-connections/pc_1/delete/?next=/from-the-url/", {"next": "/from-the-form/"}
    )

    assert safe_next(request) == "/from-the-form/"


def test_without_a_next_there_is_nowhere_to_go_back_to():
    assert safe_next(RequestFactory().get("/phone-connections/")) is None
