"""Random and hostile query strings on the list and the activity page, as a Viewer.

Whatever follows the `?` (huge values, any Unicode, control characters, repeated keys and
`key[]` arrays, negative and enormous numbers, dates that are not dates, broken
percent-escapes), each page answers with a page of the admin: the list or the activity with
its messages, or a redirect to a cleaner URL of the same page. Never a server error, and
never a query the API refuses (the admin checks what it sends).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given

from galtea_admin.audit.models import Action, ChangeRecord
from tests.hostile.strategies import FUZZ_SETTINGS, query_strings
from tests.pages import ACTIVITY_URL, LIST_URL, Page

pytestmark = pytest.mark.django_db

LIST_KEYS = [
    "q",
    "product",
    "name",
    "names",
    "phone",
    "phones",
    "ids",
    "created_from",
    "created_to",
    "sort",
    "page",
    "per_page",
    "next",
]
ACTIVITY_KEYS = [
    "user",
    "action",
    "created_from",
    "created_to",
    "connection",
    "sort",
    "page",
    "per_page",
]
# Django's own 400 page (e.g. more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters).
BAD_REQUEST_TITLE = "That request could not be understood"


def assert_a_page_of_the_admin(client, path: str, query: str) -> Page:
    """`path?query` answers with the page (200), the page with its messages (400) or a
    redirect to the same page with a cleaner query, which answers the same way."""
    response = client.get(path, QUERY_STRING=query)
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        assert (location.scheme, location.netloc, location.path) == ("", "", path)
        response = client.get(path, QUERY_STRING=location.query)
        assert response.status_code != 302, "one redirect makes the URL clean"
    page = Page(response)
    assert page.status in (200, 400), f"{page.status} for ?{query!r}"
    assert response["Content-Type"].startswith("text/html")
    assert page.doc.one("a", class_="brand").text == "Galtea Admin"
    problem = page.doc.find("section", class_="problem")
    if problem is not None:
        assert page.h1 == BAD_REQUEST_TITLE, f"{page.h1!r} for ?{query!r}"
    elif page.status == 400:
        assert page.alerts, f"a 400 says what is wrong (?{query!r})"
    return page


@pytest.fixture
def changes(operator, editor):
    """A few change records, so that the activity page has rows to sort and page through."""
    for number in range(30):
        ChangeRecord.objects.create(
            user=editor if number % 2 else operator,
            username=editor.username if number % 2 else operator.username,
            action=[Action.CREATE, Action.UPDATE, Action.DELETE][number % 3],
            object_type="phone_connections",
            object_id=f"phoneConnection_{number}",
            product_id="product_1",
            product_name="Acme",
            object_label=f"Line {number}",
            changes={"name": [f"Old {number}", f"Line {number}"]},
        )


@FUZZ_SETTINGS
@given(query=query_strings(LIST_KEYS))
def test_the_list_answers_any_query_with_a_page(signed_in, query):
    page = assert_a_page_of_the_admin(signed_in, LIST_URL, query)
    assert page.h1 == BAD_REQUEST_TITLE or page.h1 == "Phone connections"


@FUZZ_SETTINGS
@given(query=query_strings(ACTIVITY_KEYS))
def test_the_activity_answers_any_query_with_a_page(signed_in, changes, query):
    page = assert_a_page_of_the_admin(signed_in, ACTIVITY_URL, query)
    assert page.h1 == BAD_REQUEST_TITLE or page.h1 == "Activity"
