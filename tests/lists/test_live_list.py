"""A live list (htmx): a request aimed at the list's region gets that region and the parts
of the page that follow the URL, and the clean URL for the address bar."""

from __future__ import annotations

import pytest

from tests.html_tree import parse

pytestmark = pytest.mark.django_db

LIST_URL = "/phone-connections/"
LIVE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-region"}


def test_the_region_comes_alone_with_the_clean_url_to_show(viewer_client, api):
    response = viewer_client.get(LIST_URL, {"name": "Support", "names": "", "sort": ""}, **LIVE)

    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"{LIST_URL}?name=Support"
    html = response.content.decode()
    assert "<html" not in html
    doc = parse(html)
    region = doc.one("div", id="list-region")
    assert "Support" in region.one("li", class_="chip").text
    rows = region.one("tbody").find_all("tr")
    assert rows and all(
        "support" in row.find("td", class_="cell-name").text.lower() for row in rows
    )
    # What follows the URL outside the region comes along, to replace its old self.
    actions = doc.one("div", id="list-actions")
    assert actions.attrs["hx-swap-oob"] == "true"
    export = actions.find("a", download=True).attrs["href"]
    assert export.endswith("?name=Support")
    kept = doc.one("div", id="kept-controls")
    assert kept.attrs["hx-swap-oob"] == "true"
    assert doc.one("section", id="saved-views").attrs["hx-swap-oob"] == "true"
    assert doc.one("section", id="column-choices").attrs["hx-swap-oob"] == "true"


def test_refused_filters_come_back_as_a_region_with_their_message(viewer_client, api):
    response = viewer_client.get(LIST_URL, {"created_from": "not a date"}, **LIVE)

    assert response.status_code == 400
    region = parse(response.content.decode()).one("div", id="list-region")
    assert "Created from" in region.one("div", class_="alert-error").text


def test_the_same_url_without_htmx_is_the_whole_page_or_a_redirect(viewer_client, api):
    assert viewer_client.get(LIST_URL, {"name": "Support", "names": ""}).url == (
        f"{LIST_URL}?name=Support"
    )
    page = viewer_client.get(LIST_URL, {"name": "Support"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "HX-Push-Url" not in page
    doc = parse(html)
    assert "hx-swap-oob" not in doc.one("div", id="list-actions").attrs
    assert doc.one("form", id="filter-form").attrs["hx-target"] == "#list-region"
