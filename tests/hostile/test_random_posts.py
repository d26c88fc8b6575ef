"""Random and hostile form posts at create and edit, as an Editor, on an emulator of the
test's own.

Each field may be missing, sent once or sent several times, and holds anything from a valid
value to markup, control characters, huge text or a number that is not one; the hidden
fields (`submission`, `original`, `next`) are tampered with too. Whatever arrives, the admin
answers with the form and its messages, or with a redirect to a page of its own (never to
another site) once Galtea saved a valid connection. Never a server error.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.strategies import FUZZ_SETTINGS, PHONE_LIKE, hostile_text
from tests.pages import CREATE_URL, LIST_URL, FormPage, create_row, edit_url

pytestmark = pytest.mark.django_db

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
# What a person picks or types; anything else is a tampered value.
VOICES = ("", "sarah", "theo", "megan", "jack")
LANGUAGES = ("", "en-US", "EN-us", "fr", "zh-Hant-TW", "es-419")
NUMBERS = ("+14155552671", "+1 (415) 555-2671", "0044 20 7946 0958", "+34 912 345 678")
ODD_VALUES = (*PHONE_LIKE, "SARAH", "sarah ", "en_US", "e", "en-", "True", "1", "yes", "")
NEXT_URLS = (
    f"{LIST_URL}?sort=name&per_page=50",
    "/activity/",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "/" + "a" * 5000,
)


def names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.uuids().map(lambda u: f"Fuzzed line {u.hex[:12]}"),
        st.text(min_size=1, max_size=300),
    )


def tampered(valid: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """A field as a tampering client sends it: missing, hostile, or repeated."""
    odd = st.one_of(st.sampled_from(ODD_VALUES), hostile_text)
    return st.one_of(
        st.just([]),
        odd.map(lambda v: [v]),
        st.lists(st.one_of(valid, odd), min_size=2, max_size=3),
    )


@st.composite
def posts(draw, fields: dict[str, st.SearchStrategy[str]]) -> list[tuple[str, str]]:
    """A form post: most fields as a person fills them in, a few tampered with, and perhaps
    keys the form does not have."""
    broken = draw(st.sets(st.sampled_from(sorted(fields)), max_size=3))
    pairs = []
    for name, valid in fields.items():
        values = draw(tampered(valid)) if name in broken else [draw(valid)]
        pairs += [(name, value) for value in values]
    extra = draw(st.lists(st.tuples(st.text(max_size=10), hostile_text), max_size=2))
    return pairs + extra


def send(client, url: str, pairs: list[tuple[str, str]]):
    return client.post(url, urlencode(pairs), content_type=FORM_CONTENT_TYPE)


def assert_form_or_saved(client, response) -> None:
    """The form with its messages, or a redirect to a page of the admin that opens."""
    assert response.status_code < 500, response.content.decode()[:2000]
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        assert (location.scheme, location.netloc) == ("", ""), response["Location"]
        assert location.path.startswith("/") and not location.path.startswith("//")
        assert not location.path.startswith("/\\")
        assert client.get(response["Location"]).status_code < 500
        return
    page = FormPage(response)
    assert page.status in (400, 404, 409), page.status
    assert page.doc.one("a", class_="brand").text == "Galtea Admin"
    assert page.form is not None
    assert page.alerts or page.all_field_errors(), "the form says what is wrong"


@pytest.fixture
def own_api(settings, fresh_emulator):
    settings.GALTEA_API_URL = fresh_emulator.url
    settings.GALTEA_API_KEY = fresh_emulator.api_key
    return fresh_emulator


@pytest.fixture
def editor_client(client, editor, own_api):
    client.force_login(editor)
    return client


@pytest.fixture
def product_ids(own_api) -> list[str]:
    return [product["id"] for product in own_api.get("/products").json()]


@FUZZ_SETTINGS
@given(data=st.data())
def test_the_create_form_answers_any_post(editor_client, product_ids, data):
    fields = {
        "product": st.sampled_from(product_ids),
        "name": names(),
        "phone_number": st.sampled_from(NUMBERS),
        "voice": st.sampled_from(VOICES),
        "language_code": st.sampled_from(LANGUAGES),
        "agent_speaks_first": st.sampled_from(("true", "false")),
        "submission": st.uuids().map(lambda u: u.hex),
        "next": st.sampled_from(NEXT_URLS),
        "_addanother": st.just("1"),
    }
    pairs = data.draw(posts(fields))

    response = send(editor_client, CREATE_URL, pairs)

    assert_form_or_saved(editor_client, response)


@pytest.fixture
def target(own_api) -> dict:
    """The connection every example edits (renamed by the examples that save)."""
    return create_row(own_api, name="Fuzzed edit target", voice="theo", languageCode="en-GB")


@FUZZ_SETTINGS
@given(data=st.data())
def test_the_edit_form_answers_any_post(editor_client, target, data):
    url = edit_url(target["id"])
    opened = FormPage(editor_client.get(url))
    assert opened.status == 200
    fields = {
        "name": names(),
        "phone_number": st.sampled_from(NUMBERS),
        "voice": st.sampled_from(VOICES),
        "language_code": st.sampled_from(LANGUAGES),
        "agent_speaks_first": st.sampled_from(("true", "false")),
        # The signed values the form was opened with, or someone's forgery.
        "original": st.sampled_from((opened.value("original"), "e30:forged:signature")),
        "product": st.sampled_from((opened.value("product"), "product_other")),
        "next": st.sampled_from(NEXT_URLS),
    }
    pairs = data.draw(posts(fields))

    response = send(editor_client, url, pairs)

    assert_form_or_saved(editor_client, response)
