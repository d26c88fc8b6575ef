"""Roles: Viewer reads, Editor also creates and edits, Manager also deletes, a superuser does
everything. Pages refuse what a role may not do with 403, for GET and POST alike, and do not
show buttons for it.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client

from galtea_admin.audit.models import ChangeRecord
from tests.pages import (
    ACTIVITY_URL,
    CREATE_URL,
    LIST_URL,
    FormPage,
    Page,
    delete_url,
    detail_url,
    edit_url,
    fetch,
    find_by_name,
    unique_name,
    writes,
)

pytestmark = pytest.mark.django_db

ROLES = ("viewer", "editor", "manager", "superuser", "no_role")
ALLOWED = {
    "list": {"viewer", "editor", "manager", "superuser"},
    "detail": {"viewer", "editor", "manager", "superuser"},
    "check_number": {"viewer", "editor", "manager", "superuser"},
    "activity": {"viewer", "editor", "manager", "superuser"},
    "create_get": {"editor", "manager", "superuser"},
    "create_post": {"editor", "manager", "superuser"},
    "edit_get": {"editor", "manager", "superuser"},
    "edit_post": {"editor", "manager", "superuser"},
    "delete_get": {"manager", "superuser"},
    "delete_post": {"manager", "superuser"},
}
WRITES = {"create_post", "edit_post", "delete_post"}


@pytest.fixture
def people(operator, editor, manager, django_user_model) -> dict:
    return {
        "viewer": operator,
        "editor": editor,
        "manager": manager,
        "superuser": django_user_model.objects.create_superuser("root", "root@example.com", "x"),
        "no_role": django_user_model.objects.create_user("nobody", password="x"),
    }


@pytest.fixture
def forms_for(api, people):
    """Valid form data for `row`, as a person allowed to edit would get it."""
    helper = Client()
    helper.force_login(people["superuser"])

    def edit_data(connection_id: str, **changes) -> dict:
        page = FormPage(helper.get(edit_url(connection_id)))
        assert page.status == 200
        return page.submission_data(**changes)

    return edit_data


def create_data(product_id: str) -> dict:
    return {
        "submission": uuid.uuid4().hex,
        "product": product_id,
        "name": unique_name("Role test line"),
        "phone_number": "+34 912 345 678",
        "voice": "",
        "language_code": "",
        "agent_speaks_first": "false",
    }


def attempt(client, action: str, row: dict, forms_for):
    """Do `action` on `row` (or create one) the way the page's form would."""
    if action == "list":
        return client.get(LIST_URL)
    if action == "detail":
        return client.get(detail_url(row["id"]))
    if action == "check_number":
        return client.get("/phone-connections/check-number/", {"number": "+34912345678"})
    if action == "activity":
        return client.get(ACTIVITY_URL)
    if action == "create_get":
        return client.get(CREATE_URL)
    if action == "create_post":
        return client.post(CREATE_URL, create_data(row["productId"]))
    if action == "edit_get":
        return client.get(edit_url(row["id"]))
    if action == "edit_post":
        return client.post(edit_url(row["id"]), forms_for(row["id"], voice="jack"))
    if action == "delete_get":
        return client.get(delete_url(row["id"]))
    if action == "delete_post":
        return client.post(delete_url(row["id"]))
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_each_action(client, api, people, row, forms_for, role, action):
    client.force_login(people[role])
    api.clear_request_log()

    response = attempt(client, action, row, forms_for)

    if role in ALLOWED[action]:
        expected = 302 if action in WRITES else 200
        assert response.status_code == expected, (role, action, response.status_code)
        if action in WRITES:
            assert ChangeRecord.objects.count() == 1
    else:
        assert response.status_code == 403, (role, action, response.status_code)
        assert Page(response).h1 == "You are not allowed to do that"
        assert writes(api) == []
        assert ChangeRecord.objects.count() == 0
        now = fetch(api, row["id"])
        assert now is not None
        assert now["voice"] == "theo"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST_URL),
        ("get", CREATE_URL),
        ("post", CREATE_URL),
        ("get", ACTIVITY_URL),
        ("get", "/phone-connections/check-number/?number=%2B34912345678"),
    ],
)
def test_people_not_signed_in_are_sent_to_sign_in(client, api, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert writes(api) == []


@pytest.mark.parametrize("page", ["edit", "delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_not_signed_in_cannot_change_a_connection(client, api, row, page, method):
    url = edit_url(row["id"]) if page == "edit" else delete_url(row["id"])

    response = getattr(client, method)(url, {})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert fetch(api, row["id"]) is not None
    assert writes(api) == []


def test_a_viewer_cannot_create_by_sending_the_form_of_someone_else(client, api, people, row):
    """Posting a valid form straight to the URL is refused, not just the button hidden."""
    client.force_login(people["viewer"])
    data = create_data(row["productId"])

    response = client.post(CREATE_URL + "?" + urlencode({"next": LIST_URL}), data)

    assert response.status_code == 403
    assert find_by_name(api, data["name"]) == []


# --- Buttons ---------------------------------------------------------------------------------

BUTTONS = {
    "viewer": {"add": False, "edit": False, "delete": False},
    "editor": {"add": True, "edit": True, "delete": False},
    "manager": {"add": True, "edit": True, "delete": True},
    "superuser": {"add": True, "edit": True, "delete": True},
}


@pytest.mark.parametrize("role", list(BUTTONS))
def test_the_list_shows_only_the_buttons_the_role_may_use(client, api, people, row, role):
    client.force_login(people[role])
    here = LIST_URL + "?" + urlencode({"name": row["name"]})

    page = Page(client.get(here))

    assert page.status == 200
    shown = BUTTONS[role]
    assert bool(page.links("Add phone connection")) is shown["add"]
    table = page.doc.one("table", class_="data-table")
    headers = [th.text for th in table.find("thead").find_all("th")]
    assert ("Actions" in headers) is (shown["edit"] or shown["delete"])
    assert bool(table.find("a", aria_label=f"Edit {row['name']}")) is shown["edit"]
    assert bool(table.find("a", aria_label=f"Delete {row['name']}")) is shown["delete"]
    if shown["add"]:
        assert page.link("Add phone connection") == CREATE_URL + "?" + urlencode({"next": here})
    if shown["delete"]:
        link = table.one("a", aria_label=f"Delete {row['name']}").attrs["href"]
        assert link == delete_url(row["id"]) + "?" + urlencode({"next": here})


@pytest.mark.parametrize("role", list(BUTTONS))
def test_the_detail_shows_only_the_buttons_the_role_may_use(client, api, people, row, role):
    client.force_login(people[role])

    page = Page(client.get(detail_url(row["id"])))

    assert page.status == 200
    header = page.doc.one("div", class_="page-header")
    buttons = [a.text for a in header.find_all("a")]
    assert ("Edit" in buttons) is BUTTONS[role]["edit"]
    assert ("Delete" in buttons) is BUTTONS[role]["delete"]


@pytest.mark.parametrize("role", list(BUTTONS))
def test_everyone_with_a_role_sees_the_activity_link(client, api, people, role):
    client.force_login(people[role])

    page = Page(client.get(LIST_URL))

    nav = page.doc.one("nav", class_="mainnav")
    assert [a.text for a in nav.find_all("a")][:5] == [
        "Phone connections",
        "WebRTC connections",
        "Versions",
        "Sessions",
        "Activity",
    ]


def test_the_edit_form_of_an_editor_offers_no_delete(client, api, people, row):
    client.force_login(people["editor"])

    page = FormPage(client.get(edit_url(row["id"])))

    assert "Delete" not in page.main_text.split()
    assert page.links("Delete") == []


def test_a_role_taken_away_applies_at_once(client, api, people, row):
    from django.contrib.auth.models import Group

    manager = people["manager"]
    client.force_login(manager)
    assert client.get(delete_url(row["id"])).status_code == 200

    manager.groups.remove(Group.objects.get(name="Manager"))
    manager.groups.add(Group.objects.get(name="Viewer"))

    assert client.get(delete_url(row["id"])).status_code == 403
    assert client.post(delete_url(row["id"])).status_code == 403
    assert fetch(api, row["id"]) is not None
