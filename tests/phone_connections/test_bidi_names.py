"""Names holding bidirectional control characters (U+202E turns the text after it right to
left) are shown isolated, so that they cannot reorder the text around them: each is inside a
`<bdi>` or an element with `dir="auto"`."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.html_tree import Element, parse
from tests.pages import BULK_DELETE_URL, delete_url, detail_url, edit_url
from tests.phone_connections.pages import LIST_URL

pytestmark = pytest.mark.django_db

RIGHT_TO_LEFT_OVERRIDE = "\u202e"


def isolating(element: Element) -> bool:
    return element.tag == "bdi" or element.attrs.get("dir") == "auto"


def places_showing(response, text: str) -> list[Element]:
    """The elements of the page body whose own text holds `text`."""
    assert response.status_code == 200
    body = parse(response).one("body")
    return [
        element
        for element in [body, *body.find_all()]
        if any(isinstance(child, str) and text in child for child in element.children)
    ]


def assert_shown_isolated(response, text: str, *, at_least: int) -> None:
    places = places_showing(response, text)
    assert len(places) >= at_least, f"{text!r} is shown {len(places)} times"
    for element in places:
        assert isolating(element) or any(isolating(up) for up in element.ancestors()), (
            f"{text!r} in <{element.tag} {element.attrs}> is not isolated"
        )


@pytest.fixture
def hostile(make_row, marker) -> dict:
    return make_row(name=f"Invoice {RIGHT_TO_LEFT_OVERRIDE}fdp.exe {marker}")


def test_on_the_list_in_its_row_and_its_filter_chip(viewer_client, hostile):
    name = hostile["name"]

    response = viewer_client.get(f"{LIST_URL}?{urlencode({'name': name})}")

    assert_shown_isolated(response, name, at_least=2)  # the row's link and the chip
    (row_link,) = [a for a in parse(response).one("tbody").find_all("a") if a.text == name]
    assert any(up.tag == "bdi" for up in row_link.ancestors())


def test_on_the_detail_page_in_its_title_and_breadcrumbs(viewer_client, hostile):
    response = viewer_client.get(detail_url(hostile["id"]))

    assert_shown_isolated(response, hostile["name"], at_least=2)
    page = parse(response)
    assert page.one("h1").one("bdi").text == hostile["name"]
    assert page.one("nav", class_="breadcrumbs").one("span", dir="auto").text == hostile["name"]


def test_on_the_edit_form(editor_client, hostile):
    response = editor_client.get(edit_url(hostile["id"]))

    assert_shown_isolated(response, hostile["name"], at_least=2)


def test_on_the_delete_confirmation(manager_client, hostile):
    response = manager_client.get(delete_url(hostile["id"]))

    assert_shown_isolated(response, hostile["name"], at_least=2)


def test_on_the_bulk_delete_confirmation(manager_client, hostile):
    response = manager_client.post(BULK_DELETE_URL, {"ids": [hostile["id"]]})

    assert_shown_isolated(response, hostile["name"], at_least=1)
