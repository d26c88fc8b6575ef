"""The activity page: every change made through the admin, newest first, filterable, sortable,
paginated and shareable by its URL; and the same records read-only in /django-admin/.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.audit.conftest import BASE, record
from tests.audit.pages import ActivityPage
from tests.pages import ACTIVITY_URL, Page, detail_url

pytestmark = pytest.mark.django_db


def connection_names(page: ActivityPage) -> list[str]:
    """The "Name" column without the id shown beside a deleted one."""
    return [text.split(" phoneConnection_")[0] for text in page.column("Name")]


def activity(client, **params) -> ActivityPage:
    return ActivityPage(client.get(ACTIVITY_URL + (f"?{urlencode(params)}" if params else "")))


class TestActivityList:
    def test_asks_galtea_for_voices_only_to_show_a_voice_change(self, viewer_client, history, api):
        api.clear_request_log()

        assert activity(viewer_client, action="create").status == 200
        assert api.requests_received() == []

        page = activity(viewer_client)
        assert "Voice: Sarah (default) → Jack (en-US)" in " ".join(page.column("Changes"))
        assert [r["path"] for r in api.requests_received()] == ["/phoneConnections/voices"]

    def test_lists_every_change_newest_first(self, viewer_client, history):
        page = activity(viewer_client)

        assert page.status == 200
        assert page.column_names == [
            "When (UTC)",
            "Who",
            "Action",
            "Kind",
            "Name",
            "Product",
            "Changes",
        ]
        assert page.column("Name")[0] == "Front desk"
        assert set(page.column("Kind")) == {"Phone connection"}
        assert [(r["Who"], r["Action"]) for r in page.rows] == [
            ("eddie", "Edited"),
            ("mona", "Deleted"),
            ("eddie", "Created"),
            ("mona", "Edited"),
            ("mona", "Created"),
            ("eddie", "Edited"),
            ("eddie", "Created"),
        ]
        assert page.showing == "Showing 1–7 of 7"

    def test_an_edit_shows_its_fields_before_and_after(self, viewer_client, history):
        page = activity(viewer_client, action="update", connection="Support")

        (tr,) = page.table.find("tbody").find_all("tr")
        lines = [div.text for div in tr.find_all("td")[6].find_all("div")]
        assert lines == ["Name: Support → Support line", "Voice: Sarah (default) → Jack (en-US)"]

    def test_a_deleted_connection_is_named_not_linked(self, viewer_client, history):
        page = activity(viewer_client, action="delete")

        (tr,) = page.table.find("tbody").find_all("tr")
        cell = tr.find_all("td")[4]
        assert cell.find("a") is None
        assert cell.text == "Outage hotline phoneConnection_outage_hotline"

    def test_a_live_connection_links_to_its_page(self, viewer_client, history):
        page = activity(viewer_client, action="create", connection="Billing")

        (tr,) = page.table.find("tbody").find_all("tr")
        link = tr.find_all("td")[4].one("a")
        assert link.attrs["href"] == detail_url("phoneConnection_billing_line")

    def test_with_no_changes_yet(self, viewer_client):
        page = activity(viewer_client)

        assert page.status == 200
        assert page.table is None
        assert "No changes yet" in page.main_text


class TestActivityFilters:
    def test_by_user(self, viewer_client, history):
        page = activity(viewer_client, user="mona")

        assert page.status == 200
        assert set(page.column("Who")) == {"mona"}
        assert len(page.rows) == 3

    def test_offers_only_the_people_who_changed_something(
        self, viewer_client, history, django_user_model
    ):
        django_user_model.objects.create_user("quiet-admin", password="a-long-test-password")

        response = viewer_client.get(ACTIVITY_URL)

        form = ActivityPage(response).doc.one("form", id="filter-form")
        options = form.one("select", name="user").find_all("option")
        assert [(o.attrs["value"], o.text) for o in options] == [
            ("", "Anyone"),
            ("eddie", "eddie"),
            ("mona", "mona"),
        ]
        assert "quiet-admin" not in response.content.decode()

    def test_an_account_that_changed_nothing_cannot_be_told_from_no_account(
        self, viewer_client, history, django_user_model
    ):
        django_user_model.objects.create_user("quiet-admin", password="a-long-test-password")

        known = activity(viewer_client, user="quiet-admin")
        unknown = activity(viewer_client, user="nobody-at-all")

        assert known.status == unknown.status == 400
        assert known.alerts == [
            text.replace("nobody-at-all", "quiet-admin") for text in unknown.alerts
        ]

    def test_by_action(self, viewer_client, history):
        page = activity(viewer_client, action="create")

        assert page.column("Name") == ["Outage hotline", "Billing line", "Support line"]

    def test_by_date_range_inclusive(self, viewer_client, history):
        page = activity(
            viewer_client, created_from="2026-03-11T12:00", created_to="2026-03-13T12:00"
        )

        assert page.status == 200
        assert page.column("Name") == ["Billing line", "Billing line", "Support line"]

    def test_by_connection_id(self, viewer_client, history):
        page = activity(viewer_client, connection="phoneConnection_support_line")

        assert page.column("Name") == ["Support line", "Support line"]

    def test_by_part_of_the_connection_name_in_any_case(self, viewer_client, history):
        page = activity(viewer_client, connection="LiNE")

        assert connection_names(page) == [
            "Outage hotline",
            "Outage hotline",
            "Billing line",
            "Billing line",
            "Support line",
            "Support line",
        ]

    def test_combined(self, viewer_client, history):
        page = activity(viewer_client, user="eddie", action="update", connection="desk")

        assert page.column("Name") == ["Front desk"]

    def test_no_match_offers_to_clear_the_filters(self, viewer_client, history):
        page = activity(viewer_client, connection="nothing like this", sort="username")

        assert page.status == 200
        assert page.table is None
        assert "No changes match these filters" in page.main_text
        assert page.link("Clear filters") == "?sort=username"

    def test_empty_parameters_are_dropped_from_the_url(self, viewer_client, history):
        response = viewer_client.get(ACTIVITY_URL + "?user=&action=update&connection=")

        assert response.status_code == 302
        assert response.url == ACTIVITY_URL + "?action=update"

    def test_filter_form_shows_the_active_filters(self, viewer_client, history):
        page = activity(viewer_client, user="mona", action="delete", sort="-username")

        form = page.doc.one("form", id="filter-form")
        user = form.one("select", name="user")
        assert [o.attrs["value"] for o in user.find_all("option") if "selected" in o.attrs] == [
            "mona"
        ]
        kept = [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input", type="hidden")]
        assert ("sort", "-username") in kept


class TestActivitySortingAndPaging:
    @pytest.mark.parametrize(
        ("sort", "column", "expected"),
        [
            ("username", "Who", ["eddie"] * 4 + ["mona"] * 3),
            ("-username", "Who", ["mona"] * 3 + ["eddie"] * 4),
            (
                "object_label",
                "Name",
                ["Billing line"] * 2
                + ["Front desk"]
                + ["Outage hotline"] * 2
                + ["Support line"] * 2,
            ),
            (
                "created_at",
                "Name",
                [
                    "Support line",
                    "Support line",
                    "Billing line",
                    "Billing line",
                    "Outage hotline",
                    "Outage hotline",
                    "Front desk",
                ],
            ),
        ],
    )
    def test_sorts_by_a_column(self, viewer_client, history, sort, column, expected):
        page = activity(viewer_client, sort=sort)

        assert page.status == 200
        shown = connection_names(page) if column == "Name" else page.column(column)
        assert shown == expected

    def test_column_headers_link_to_their_sort_keeping_the_filters(self, viewer_client, history):
        page = activity(viewer_client, user="eddie")

        link = page.sort_link("Who")
        assert ("user", "eddie") in parse_qsl(urlsplit(link).query)
        assert ("sort", "username") in parse_qsl(urlsplit(link).query)

    def test_pages_of_25_with_a_shareable_next_link(self, viewer_client, editor):
        for number in range(30):
            record(editor, "update", f"Line {number:02}", when=BASE + timedelta(hours=number))

        first = activity(viewer_client, action="update")
        assert first.showing == "Showing 1–25 of 30"
        assert len(first.rows) == 25
        next_link = first.doc.one("a", rel="next").attrs["href"]
        assert dict(parse_qsl(urlsplit(next_link).query)) == {"action": "update", "page": "2"}

        second = ActivityPage(viewer_client.get(ACTIVITY_URL + next_link))
        assert second.showing == "Showing 26–30 of 30"
        assert second.column("Name") == [f"Line {n:02}" for n in range(4, -1, -1)]

        bigger = activity(viewer_client, action="update", per_page=50)
        assert len(bigger.rows) == 30

    def test_the_same_url_shows_a_colleague_the_same_rows(
        self, client, viewer_client, history, manager
    ):
        url = ACTIVITY_URL + "?" + urlencode({"user": "eddie", "sort": "object_label"})
        mine = ActivityPage(viewer_client.get(url)).rows

        client.force_login(manager)
        theirs = ActivityPage(client.get(url)).rows

        assert mine == theirs
        assert len(mine) == 4

    def test_a_page_past_the_end_says_so(self, viewer_client, history):
        page = activity(viewer_client, page=9)

        assert page.status == 200
        assert "There is no page 9" in page.main_text
        assert page.link("Go to page 1") == "?"


class TestActivityBadInput:
    @pytest.mark.parametrize(
        "query",
        [
            "user=nobody",
            "user=%00",
            "action=destroy",
            "action=create&action=delete",
            "created_from=yesterday",
            "created_from=2026-02-30T10:00",
            "created_from=0000-01-01",
            "created_to=99999-12-31T23:59",
            "created_from=2026-03-15&created_to=2026-03-10",
            "connection=" + "x" * 5000,
            "connection=%00",
            "connection=%25%27%22%3B--",
            "sort=changes",
            "sort=password",
            "sort=-",
            "page=0",
            "page=-1",
            "page=abc",
            "page=99999999999999999999",
            "per_page=1000",
            "per_page=ten",
            "user[]=eddie&action[]=update",
            "%FF=%FE",
        ],
    )
    def test_never_an_error_page(self, viewer_client, history, query):
        response = viewer_client.get(f"{ACTIVITY_URL}?{query}")

        assert response.status_code in (200, 400), response.status_code
        page = ActivityPage(response)
        assert page.h1 == "Activity"

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("action=destroy", "Action: Select a valid choice."),
            ("created_from=yesterday", "From: Enter a date and time"),
            ("created_from=2026-03-15&created_to=2026-03-10", "To: This is before “From”."),
            ("sort=changes", "The list cannot be sorted by “changes”."),
            ("per_page=1000", "Show 25, 50 or 100 rows per page, not 1000."),
            ("page=abc", "The page must be a whole number."),
        ],
    )
    def test_a_bad_value_is_explained(self, viewer_client, history, query, message):
        page = ActivityPage(viewer_client.get(f"{ACTIVITY_URL}?{query}"))

        assert page.status == 400
        assert any(error.startswith(message) for error in page.errors), page.errors

    def test_a_bad_filter_still_lists_what_the_valid_ones_allow(self, viewer_client, history):
        page = activity(viewer_client, action="destroy", user="mona")

        assert page.status == 400
        assert set(page.column("Who")) == {"mona"}


# --- /django-admin/ --------------------------------------------------------------------------

ADMIN_LIST = "/django-admin/audit/changerecord/"


@pytest.fixture
def superuser_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-unused")
    client.force_login(boss)
    return client


class TestDjangoAdmin:
    def test_lists_the_changes(self, superuser_client, history):
        page = Page(superuser_client.get(ADMIN_LIST))

        assert page.status == 200
        assert "Support line" in page.html
        assert "Outage hotline" in page.html
        assert page.links("Add change") == []

    def test_a_change_can_be_viewed_but_not_saved(self, superuser_client, history):
        pk = ChangeRecord.objects.get(action="delete").pk

        page = Page(superuser_client.get(f"{ADMIN_LIST}{pk}/change/"))

        assert page.status == 200
        assert "Outage hotline" in page.html
        assert not page.doc.find_all("input", type="submit")
        assert not page.doc.find_all("input", name="object_label")

    def test_refuses_to_add_change_or_delete(self, superuser_client, history):
        record_ = ChangeRecord.objects.get(action="delete")
        pk = record_.pk

        assert superuser_client.get(f"{ADMIN_LIST}add/").status_code == 403
        assert superuser_client.post(f"{ADMIN_LIST}add/", {"username": "x"}).status_code == 403
        changed = superuser_client.post(
            f"{ADMIN_LIST}{pk}/change/", {"object_label": "Rewritten", "username": "x"}
        )
        assert changed.status_code == 403
        assert (
            superuser_client.post(f"{ADMIN_LIST}{pk}/delete/", {"post": "yes"}).status_code == 403
        )
        deleted_in_bulk = superuser_client.post(
            ADMIN_LIST, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        )
        assert deleted_in_bulk.status_code in (200, 302, 403)
        record_.refresh_from_db()
        assert record_.object_label == "Outage hotline"
        assert ChangeRecord.objects.count() == 7

    def test_people_without_staff_access_are_sent_to_sign_in(self, client, editor, history):
        client.force_login(editor)

        response = client.get(ADMIN_LIST)

        assert response.status_code == 302
        assert response.url.startswith("/django-admin/login/")
