"""Markup in what Galtea holds is shown as text on every page, and exported as plain values.

A connection is created directly through the API with a name holding markup; Galtea is then
made to answer (through the tests' proxy) with markup in that connection's language code and
in its product's name too, as an API that checks less than the emulator could. Every page
that shows them (list, filter chips, detail, edit form, delete confirmation, bulk delete,
the saved message, the activity page after an edit through the admin) shows the characters
as typed, and no tag of theirs comes alive; the CSV and JSON exports hold the exact values.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from urllib.parse import urlencode

import pytest

from tests.faults.proxy import FaultProxy, rewritten
from tests.pages import (
    ACTIVITY_URL,
    LIST_URL,
    DetailPage,
    Element,
    FormPage,
    Page,
    create_row,
    delete_row,
    delete_url,
    detail_url,
    edit_url,
    fetch,
    products,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = {"script": SCRIPT, "img-onerror": IMG}
STATIC = "/static/"


@pytest.fixture(scope="module")
def running_proxy(emulator):
    proxy = FaultProxy(emulator).start()
    yield proxy
    proxy.stop()


@pytest.fixture(params=PAYLOADS.values(), ids=PAYLOADS.keys())
def payload(request) -> str:
    return request.param


@pytest.fixture
def hostile(settings, running_proxy, emulator, payload):
    """A connection whose name, language and product name all hold `payload`."""
    tag = f"tag{uuid.uuid4().hex[:10]}"  # with letters: digits only would search numbers
    product = products(emulator)[0]
    row = create_row(
        emulator,
        name=f"Line {tag} {payload}",
        productId=product["id"],
        phoneNumber="+14155552671",
        voice="theo",
    )
    language = f"en-{payload}"
    product_name = f"Acme {payload}"

    def with_language(data):
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("id") == row["id"]:
                item["languageCode"] = language
        return data

    def with_product_name(data):
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("id") == product["id"]:
                item["name"] = product_name
        return data

    running_proxy.clear()
    running_proxy.inject(rewritten("language", with_language), "GET", r"/phoneConnections.*")
    running_proxy.inject(rewritten("product name", with_product_name), "GET", r"/products.*")
    settings.GALTEA_API_URL = running_proxy.url
    settings.GALTEA_API_KEY = emulator.api_key
    yield {**row, "language": language, "product_name": product_name, "tag": tag}
    running_proxy.clear()
    if fetch(emulator, row["id"]) is not None:
        delete_row(emulator, row["id"])


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# --- What "shown as text" means --------------------------------------------------------------


def assert_no_live_markup(page: Page, payload: str) -> None:
    """No tag or handler of the payload's is in the page: only the admin's own script and
    images, no event-handler attributes, and the raw payload nowhere in the source."""
    for element in page.doc.iter():
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, f"<{element.tag} {handlers}> in {page.response.request['PATH_INFO']}"
        if element.tag == "script":
            assert element.attrs.get("src", "").startswith(STATIC), element.attrs
            assert not element.raw_text().strip(), "no inline script"
        if element.tag == "svg":
            # The inline drawings are the admin's own: its mark and the theme buttons' icons.
            own = {"brand-mark": "brand", "theme-icon": "theme-choice"}
            assert element.attrs.get("class") in own, element.attrs
            place = own[element.attrs["class"]]
            assert any(a.has_class(place) for a in element.ancestors()), element.attrs
        if element.tag in ("img", "iframe", "object", "embed"):
            assert element.attrs.get("src", "").startswith(STATIC), element.attrs
    assert SCRIPT not in page.html
    assert "<img src=x" not in page.html
    assert page.html.count("<svg") == 4, "no drawing but the admin's own mark and icons"
    assert payload not in page.html, "the markup is escaped, not copied"


def texts(root: Element) -> list[str]:
    """Every text node and attribute value under `root`, as a browser reads them."""
    found = [child for el in root.iter() for child in el.children if isinstance(child, str)]
    return found + [value for el in root.iter() for value in el.attrs.values()]


def shows(root: Element, value: str) -> bool:
    return any(value in text for text in texts(root))


def cell(page: Page, column: str, row_text: str) -> Element:
    """The `column` cell of the table row whose text contains `row_text`."""
    table = page.doc.one("table", class_="data-table")
    names = [th.text.strip("▲▼↕ ") for th in table.find("thead").find_all("th")]
    for tr in table.find("tbody").find_all("tr"):
        if row_text in tr.text:
            return dict(zip(names, tr.find_all("td"), strict=True))[column]
    raise AssertionError(f"no row with {row_text!r}")


def details(page: Page) -> dict[str, Element]:
    """The page's details list: each term → its description."""
    box = page.doc.one("dl", class_="details")
    return dict(zip([dt.text for dt in box.find_all("dt")], box.find_all("dd"), strict=True))


def edit_through_the_admin(client, row: dict, new_name: str):
    """Rename the connection and fix its language, as a person does in the edit form."""
    form = FormPage(client.get(edit_url(row["id"])))
    data = form.submission_data(name=new_name, language_code="en-GB", voice="jack")
    return client.post(edit_url(row["id"]), data, follow=True)


# --- The pages -------------------------------------------------------------------------------


def test_the_list_and_its_filter_chips(manager_client, hostile, payload):
    url = f"{LIST_URL}?{urlencode({'name': hostile['name'], 'product': hostile['productId']})}"

    page = Page(manager_client.get(url))

    assert page.status == 200
    assert_no_live_markup(page, payload)
    assert cell(page, "Name", hostile["tag"]).text == hostile["name"]
    assert cell(page, "Language", hostile["tag"]).text == hostile["language"]
    assert cell(page, "Product", hostile["tag"]).text == hostile["product_name"]
    chips = page.doc.one("div", class_="chips")
    assert shows(chips, hostile["product_name"])
    assert shows(page.doc.one("form", id="filter-form"), hostile["name"])


def test_the_detail(manager_client, hostile, payload):
    page = DetailPage(manager_client.get(detail_url(hostile["id"])))

    assert page.status == 200
    assert_no_live_markup(page, payload)
    assert page.h1 == hostile["name"]
    assert hostile["name"] in page.doc.one("title").text
    terms = details(page)
    assert terms["Language"].text == hostile["language"]
    assert terms["Product"].text.startswith(hostile["product_name"])


def test_the_edit_form(manager_client, hostile, payload):
    page = FormPage(manager_client.get(edit_url(hostile["id"])))

    assert page.status == 200
    assert_no_live_markup(page, payload)
    assert page.value("name") == hostile["name"]
    assert page.value("language_code") == hostile["language"]
    assert (hostile["productId"], hostile["product_name"]) in page.options("product")


def test_the_delete_confirmation(manager_client, hostile, payload):
    page = Page(manager_client.get(delete_url(hostile["id"])))

    assert page.status == 200
    assert_no_live_markup(page, payload)
    terms = details(page)
    assert terms["Name"].text == hostile["name"]
    assert terms["Product"].text == hostile["product_name"]


def test_the_bulk_delete_confirmation(manager_client, hostile, payload):
    page = Page(manager_client.post("/phone-connections/bulk-delete/", {"ids": [hostile["id"]]}))

    assert page.status == 200
    assert_no_live_markup(page, payload)
    assert cell(page, "Name", hostile["tag"]).text == hostile["name"]
    assert cell(page, "Product", hostile["tag"]).text == hostile["product_name"]


def test_the_saved_message_the_history_and_the_activity(manager_client, hostile, payload):
    other = IMG if payload == SCRIPT else SCRIPT
    new_name = f"Renamed {hostile['tag']} {other}"

    saved = Page(edit_through_the_admin(manager_client, hostile, new_name))
    detail = DetailPage(manager_client.get(detail_url(hostile["id"])))
    activity = Page(manager_client.get(ACTIVITY_URL))

    assert saved.status == 200
    assert saved.messages == [f"Saved “{new_name}”."]
    for page in (saved, detail, activity):
        assert_no_live_markup(page, payload)
        assert_no_live_markup(page, other)
    (change,) = detail.history_changes
    assert f"Name: {hostile['name']} → {new_name}" in change
    assert f"Language: {hostile['language']} → en-GB" in change
    changes = cell(activity, "Changes", hostile["tag"])
    assert cell(activity, "Name", hostile["tag"]).text == new_name
    assert f"Name: {hostile['name']} → {new_name}" in changes.text
    assert f"Language: {hostile['language']} → en-GB" in changes.text
    assert cell(activity, "Product", hostile["tag"]).text == hostile["product_name"]


# --- The exports -----------------------------------------------------------------------------


def exported(client, extension: str, row: dict):
    response = client.get(f"/phone-connections/export.{extension}?{urlencode({'q': row['tag']})}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert re.fullmatch(r'attachment; filename="[\w.\-]+"', response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    return response, b"".join(response.streaming_content).decode()


def test_the_csv_export_holds_the_exact_values(manager_client, hostile):
    response, text = exported(manager_client, "csv", hostile)

    assert response["Content-Type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["name"] == hostile["name"]
    assert row["language_code"] == hostile["language"]
    assert row["product_name"] == hostile["product_name"]


def test_the_json_export_holds_the_exact_values(manager_client, hostile):
    response, text = exported(manager_client, "json", hostile)

    assert response["Content-Type"].startswith("application/json")
    (row,) = json.loads(text)["phoneConnections"]
    assert row["name"] == hostile["name"]
    assert row["language_code"] == hostile["language"]
    assert row["product_name"] == hostile["product_name"]
