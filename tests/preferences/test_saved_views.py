"""Saved views: a name for the list as it is filtered, sorted and sized, kept private or
shared with the team, listed in the sidebar and opened again exactly as it was saved.

Saved views live in the admin's database; the list they open is read from the session
emulator.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from galtea_admin.preferences.models import SavedView
from galtea_admin.preferences.saved_views import UNDO_SECONDS
from tests.conftest import user_with_role
from tests.pages import SAVE_VIEW_URL, ListView, delete_view_url, list_url, open_list
from tests.phone_connections.pages import LIST_URL, list_calls, products

pytestmark = pytest.mark.django_db

LIST_NAME = "phone_connections"


def saved_view(**fields) -> SavedView:
    """A view of the phone-connection list, saved straight to the database."""
    return SavedView.objects.create(list_name=LIST_NAME, **fields)


def save_view(client, name: str, query: str, *, shared: bool = False, **kwargs):
    data = {"name": name, "query": query}
    if shared:
        data["shared"] = "on"
    return client.post(SAVE_VIEW_URL, data, **kwargs)


def pairs(url_or_query: str) -> list[tuple[str, str]]:
    query = urlsplit(url_or_query).query if "?" in url_or_query else url_or_query
    return parse_qsl(query, keep_blank_values=True)


@pytest.fixture
def two_products(api) -> list[str]:
    return [product["id"] for product in products(api)[:2]]


@pytest.fixture
def view_query(two_products) -> str:
    """A list as someone arranged it: filters, a sort, a page size, on page 2."""
    first, second = two_products
    return f"name=line&product={first}&product={second}&sort=-phone&per_page=50&page=2"


@pytest.fixture
def saved_query_pairs(two_products) -> list[tuple[str, str]]:
    """`view_query` as it is saved: everything but the page."""
    first, second = two_products
    return [
        ("name", "line"),
        ("product", first),
        ("product", second),
        ("sort", "-phone"),
        ("per_page", "50"),
    ]


class TestSaving:
    def test_a_private_view_keeps_filters_sort_and_page_size_but_not_the_page(
        self, manager_client, manager, view_query, saved_query_pairs
    ):
        response = save_view(manager_client, "EMEA lines", view_query)

        assert response.status_code == 302
        assert urlsplit(response.url).path == LIST_URL
        assert pairs(response.url) == saved_query_pairs
        view = SavedView.objects.get()
        assert (view.owner, view.name, view.shared, view.list_name) == (
            manager,
            "EMEA lines",
            False,
            LIST_NAME,
        )
        assert pairs(view.query) == saved_query_pairs
        page = open_list(manager_client, response.url)
        assert page.messages == ["Saved this view as “EMEA lines”."]

    def test_a_shared_view_says_it_is_shared(self, manager_client, view_query):
        response = save_view(manager_client, "Team lines", view_query, shared=True, follow=True)

        assert ListView(response).messages == [
            "Saved this view as “Team lines” and shared it with the team."
        ]
        assert SavedView.objects.get().shared is True

    def test_the_list_offers_to_save_what_it_shows(self, manager_client, view_query):
        page = open_list(manager_client, list_url(pairs(view_query)))

        form = page.doc.one("form", action=SAVE_VIEW_URL)
        assert form.attrs["method"] == "post"
        assert pairs(form.one("input", name="query").attrs["value"]) == pairs(view_query)
        assert form.one("label", for_="saved-view-name").text == "Name"
        assert form.one("input", name="shared").attrs["type"] == "checkbox"

    def test_every_role_may_save_views(self, viewer_client, operator, view_query):
        response = save_view(viewer_client, "Mine", view_query)

        assert response.status_code == 302
        assert SavedView.objects.get().owner == operator

    def test_a_duplicate_name_is_explained_and_nothing_is_saved(
        self, manager_client, view_query, saved_query_pairs
    ):
        save_view(manager_client, "EMEA lines", "sort=name", follow=True)

        response = save_view(manager_client, "  EMEA lines ", view_query, follow=True)

        assert pairs(response.redirect_chain[-1][0]) == saved_query_pairs
        assert ListView(response).messages == [
            "The view “EMEA lines” was not saved: You already have a saved view with this name."
        ]
        assert [(v.name, v.query) for v in SavedView.objects.all()] == [("EMEA lines", "sort=name")]

    def test_someone_else_may_use_the_same_name(self, client, manager, editor, api):
        saved_view(owner=manager, name="Support", query="name=support", shared=True)
        client.force_login(editor)

        response = save_view(client, "Support", "name=support&sort=name")

        assert response.status_code == 302
        assert SavedView.objects.filter(name="Support").count() == 2

    def test_a_view_needs_a_name(self, manager_client, view_query):
        response = save_view(manager_client, "   ", view_query, follow=True)

        messages = ListView(response).messages
        assert len(messages) == 1
        assert messages[0].startswith("The view “” was not saved:")
        assert "required" in messages[0]
        assert not SavedView.objects.exists()

    def test_only_by_post(self, manager_client, api):
        response = manager_client.get(SAVE_VIEW_URL + "?name=x&query=sort%3Dname")

        assert response.status_code == 405
        assert not SavedView.objects.exists()

    def test_signed_out_people_cannot_save(self, client, api):
        response = save_view(client, "Sneaky", "sort=name")

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert not SavedView.objects.exists()


class TestWhoSeesWhat:
    @pytest.fixture
    def views(self, manager, editor):
        """The Manager's private and shared views and the Editor's private one."""
        return {
            "private": saved_view(owner=manager, name="Mona private", query="sort=name"),
            "shared": saved_view(
                owner=manager, name="Mona shared", query="name=support", shared=True
            ),
            "other": saved_view(owner=editor, name="Eddie private", query="sort=-name"),
        }

    def test_the_owner_sees_their_views_with_a_way_to_remove_them(self, manager_client, views):
        page = open_list(manager_client, LIST_URL)

        assert [(v.name, v.note, v.removable) for v in page.saved_views] == [
            ("Mona private", "", True),
            ("Mona shared", "shared", True),
        ]

    def test_others_see_shared_views_by_their_owner_but_not_private_ones(
        self, editor_client, views
    ):
        page = open_list(editor_client, LIST_URL)

        assert [(v.name, v.note, v.removable) for v in page.saved_views] == [
            ("Eddie private", "", True),
            ("Mona shared", "by mona", False),
        ]
        assert "Mona private" not in page.html

    def test_a_viewer_sees_only_the_shared_views(self, viewer_client, views):
        page = open_list(viewer_client, LIST_URL)

        assert [v.name for v in page.saved_views] == ["Mona shared"]

    def test_names_holding_html_are_shown_as_text(self, viewer_client, manager):
        name = "<script>alert(1)</script><b>bold</b>"
        saved_view(owner=manager, name=name, query="sort=name", shared=True)

        page = open_list(viewer_client, LIST_URL)

        box = page.doc.one("section", aria_labelledby="saved-views-title")
        assert [v.name for v in page.saved_views] == [name]
        assert box.find_all("script") == []
        assert box.find_all("b") == []

    def test_views_shared_by_many_people_take_no_more_queries(
        self, viewer_client, manager, django_user_model
    ):
        open_list(viewer_client, LIST_URL)  # products and voices cached
        saved_view(owner=manager, name="First", query="sort=name", shared=True)
        with CaptureQueriesContext(connection) as one_owner:
            open_list(viewer_client, LIST_URL)
        for number in range(3):
            owner = user_with_role(django_user_model, f"owner{number}", "Editor")
            saved_view(owner=owner, name=f"View {number}", query="", shared=True)

        with CaptureQueriesContext(connection) as four_owners:
            page = open_list(viewer_client, LIST_URL)

        assert [v.note for v in page.saved_views] == [
            "by mona",
            "by owner0",
            "by owner1",
            "by owner2",
        ]
        assert len(four_owners) == len(one_owner)


class TestOpening:
    def test_restores_the_exact_filters_sort_and_page_size_on_page_one(
        self, manager_client, api, view_query, saved_query_pairs, two_products
    ):
        save_view(manager_client, "EMEA lines", view_query)
        elsewhere = open_list(manager_client, LIST_URL + "?sort=created&page=3")
        link = elsewhere.saved_view("EMEA lines").href
        assert link.startswith("?")
        api.clear_request_log()

        page = open_list(manager_client, LIST_URL + link)

        assert pairs(link) == saved_query_pairs
        assert page.value("name") == "line"
        assert sorted(page.value("product")) == sorted(two_products)
        assert page.page_sizes["50"] is None, "50 rows per page is the current size"
        call = list_calls(api)[-1]["query"]
        assert "sort[]=phoneNumber&sort[]=desc&sort[]=createdAt&sort[]=desc" in call
        assert "name=line" in call
        for product_id in two_products:
            assert f"productIds[]={product_id}" in call
        assert "offset=0&limit=51" in call

    def test_shows_the_same_rows_as_the_list_it_was_saved_from(
        self, manager_client, api, view_query
    ):
        original = list_url([p for p in pairs(view_query) if p[0] != "page"])
        before = open_list(manager_client, original)
        save_view(manager_client, "EMEA lines", view_query)

        link = open_list(manager_client, LIST_URL).saved_view("EMEA lines").href
        after = open_list(manager_client, LIST_URL + link)

        assert after.row_ids == before.row_ids
        assert after.column("Phone number") == before.column("Phone number")

    def test_the_open_view_is_marked_as_current(self, manager_client, view_query):
        save_view(manager_client, "EMEA lines", view_query)
        save_view(manager_client, "By name", "sort=name")
        link = open_list(manager_client, LIST_URL).saved_view("EMEA lines").href

        page = open_list(manager_client, LIST_URL + link + "&page=2")

        assert [(v.name, v.current) for v in page.saved_views] == [
            ("By name", False),
            ("EMEA lines", True),
        ]

    def test_another_person_opens_a_shared_view_the_same_way(
        self, client, manager, operator, api, saved_query_pairs, view_query
    ):
        client.force_login(manager)
        save_view(client, "Team lines", view_query, shared=True)
        client.force_login(operator)

        link = open_list(client, LIST_URL).saved_view("Team lines").href
        page = open_list(client, LIST_URL + link)

        assert pairs(link) == saved_query_pairs
        assert page.page_sizes["50"] is None


class TestRemoving:
    def test_the_owner_removes_a_view(self, manager_client, manager, api):
        view = saved_view(owner=manager, name="Old", query="sort=name", shared=True)

        response = manager_client.post(
            delete_view_url(view.id), {"query": "sort=phone&page=2"}, follow=True
        )

        assert pairs(response.redirect_chain[-1][0]) == [("sort", "phone"), ("page", "2")]
        assert ListView(response).messages == ["Removed the saved view “Old”. Undo"]
        assert not SavedView.objects.exists()

    @pytest.mark.parametrize("client_fixture", ["viewer_client", "editor_client"])
    def test_nobody_else_may_remove_it_even_when_shared(self, request, manager, client_fixture):
        view = saved_view(owner=manager, name="Team", query="sort=name", shared=True)
        client = request.getfixturevalue(client_fixture)

        response = client.post(delete_view_url(view.id))

        assert response.status_code == 403
        assert SavedView.objects.filter(id=view.id).exists()

    def test_another_managers_private_view_cannot_be_removed(
        self, client, manager, django_user_model, api
    ):
        view = saved_view(owner=manager, name="Mine", query="sort=name")
        other_manager = user_with_role(django_user_model, "max", "Manager")
        client.force_login(other_manager)

        response = client.post(delete_view_url(view.id))

        assert response.status_code == 403
        assert SavedView.objects.filter(id=view.id).exists()

    def test_only_by_post(self, manager_client, manager):
        view = saved_view(owner=manager, name="Old", query="sort=name")

        response = manager_client.get(delete_view_url(view.id))

        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert ListView(response).h1 == "This address is not a page to open"
        assert SavedView.objects.filter(id=view.id).exists()

    def test_a_view_that_does_not_exist_is_not_found(self, manager_client, api):
        response = manager_client.post(delete_view_url(999_999))

        assert response.status_code == 404


UNDO_URL = "/preferences/saved-views/undo/"


def remove(client, view: SavedView, query: str = "sort=phone&page=2"):
    """Remove `view` through its ×; the list page it lands on, with the message."""
    return ListView(client.post(delete_view_url(view.id), {"query": query}, follow=True))


def undo_form(page: ListView) -> dict[str, str]:
    """The fields of the message's "Undo" form."""
    form = page.doc.one("li", class_="message").one("form")
    assert form.attrs["action"] == UNDO_URL and form.attrs["method"] == "post"
    assert form.one("button").text == "Undo"
    return {box.attrs["name"]: box.attrs["value"] for box in form.find_all("input")}


class TestUndoingARemoval:
    def test_one_more_click_brings_it_back_with_its_name_query_and_sharing(
        self, manager_client, manager, api
    ):
        view = saved_view(owner=manager, name="EMEA", query="name=line&sort=-phone", shared=True)
        page = remove(manager_client, view)
        assert not SavedView.objects.exists()

        response = manager_client.post(UNDO_URL, undo_form(page), follow=True)

        assert pairs(response.redirect_chain[-1][0]) == [("sort", "phone"), ("page", "2")]
        assert ListView(response).messages == ["Restored the saved view “EMEA”."]
        restored = SavedView.objects.get()
        assert (restored.owner, restored.list_name, restored.name, restored.query) == (
            manager,
            LIST_NAME,
            "EMEA",
            "name=line&sort=-phone",
        )
        assert restored.shared is True
        assert ListView(response).saved_view("EMEA").note == "shared"

    def test_a_private_view_comes_back_private(self, manager_client, manager, api):
        page = remove(manager_client, saved_view(owner=manager, name="Mine", query="sort=name"))

        manager_client.post(UNDO_URL, undo_form(page))

        assert SavedView.objects.get().shared is False

    @pytest.mark.parametrize("client_fixture", ["viewer_client", "editor_client"])
    def test_undo_is_refused_to_everyone_else(
        self, request, manager_client, manager, client_fixture
    ):
        page = remove(manager_client, saved_view(owner=manager, name="Team", shared=True))
        client = request.getfixturevalue(client_fixture)

        response = client.post(UNDO_URL, undo_form(page))

        assert response.status_code == 403
        assert not SavedView.objects.exists()

    def test_a_forged_or_damaged_note_is_refused(self, manager_client, manager, api):
        page = remove(manager_client, saved_view(owner=manager, name="Old"))
        form = undo_form(page)
        forged = signing.dumps({"by": manager.pk, "owner": manager.pk, "list": LIST_NAME})

        for note in (form["note"][:-3] + "abc", forged, ""):
            assert manager_client.post(UNDO_URL, {**form, "note": note}).status_code == 403
        assert not SavedView.objects.exists()

    def test_too_late_or_twice_is_explained_and_makes_nothing(
        self, manager_client, manager, api, monkeypatch
    ):
        page = remove(manager_client, saved_view(owner=manager, name="Old", query="sort=name"))
        form = undo_form(page)
        manager_client.post(UNDO_URL, form, follow=True)

        again = ListView(manager_client.post(UNDO_URL, form, follow=True))

        assert again.messages == ["There is a saved view named “Old” already."]
        assert SavedView.objects.count() == 1
        SavedView.objects.all().delete()
        an_hour_later = time.time() + UNDO_SECONDS + 1
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: an_hour_later))
        late = ListView(manager_client.post(UNDO_URL, form, follow=True))
        assert late.messages == ["It is too late to undo that removal: save the view again."]
        assert not SavedView.objects.exists()

    def test_a_name_holding_html_stays_text_in_the_message(self, manager_client, manager, api):
        page = remove(manager_client, saved_view(owner=manager, name="<b>x</b>", query="sort=name"))

        assert page.doc.find("b") is None
        assert page.messages == ["Removed the saved view “<b>x</b>”. Undo"]

    def test_only_by_post(self, manager_client, manager):
        assert manager_client.get(UNDO_URL).status_code == 405
