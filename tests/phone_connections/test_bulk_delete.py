"""Deleting several phone connections at once: tick rows, confirm on one page that lists every
one of them, and read one result that names each failure.

A Manager deletes rows of the test's own on the session emulator; `gateway` makes chosen
DELETEs fail while the others go through. The admin deletes in batches
(`DELETE /phoneConnections/batch`); where an API has no such route it deletes one by one.
"""

from __future__ import annotations

import pytest
from django.test import Client

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea import contract
from tests.faults.proxy import Fault
from tests.galtea.fake_upstream import HANG, error_reply, html_reply
from tests.pages import (
    BULK_DELETE_URL,
    BulkDeletePage,
    ListView,
    Page,
    fetch,
    list_url,
    open_list,
    writes,
)
from tests.phone_connections.pages import LIST_URL, delete_row, list_calls, products

pytestmark = pytest.mark.django_db

CAME_FROM = f"{LIST_URL}?name=line&product=prod_x&sort=phone&per_page=50&page=2"


def ask(client, ids, next_url: str | None = CAME_FROM) -> BulkDeletePage:
    """Press "Delete selected…" with these rows ticked: the confirmation page."""
    data = {"ids": list(ids), **({"next": next_url} if next_url else {})}
    return BulkDeletePage(client.post(BULK_DELETE_URL, data))


def confirm(client, page: BulkDeletePage, **kwargs):
    """Press the confirmation page's "Yes, delete N" button."""
    return client.post(BULK_DELETE_URL, page.form_data(), **kwargs)


def deleted_ids() -> list[str]:
    return sorted(ChangeRecord.objects.filter(action="delete").values_list("object_id", flat=True))


def product_name(api, product_id: str) -> str:
    return {product["id"]: product["name"] for product in products(api)}[product_id]


@pytest.fixture
def three_rows(make_row, marker) -> list[dict]:
    """Three connections of the test's own, created in this order (the API lists the newest
    first, so the admin deletes them in the reverse order)."""
    return [
        make_row(name=f"{marker} reception", phoneNumber="+14155552671"),
        make_row(name=f"{marker} billing", phoneNumber="+442079460958"),
        make_row(name=f"{marker} support", phoneNumber="+34912345678"),
    ]


def ids_of(rows) -> list[str]:
    return [row["id"] for row in rows]


BATCH_PATH = "/phoneConnections/batch"
EXPRESS_404 = "<!DOCTYPE html><html><body><pre>Cannot DELETE /phoneConnections/batch</pre>"


def without_batch_route(gateway) -> None:
    """The API answers the batch route as Express does a route it does not have."""
    gateway.fail("DELETE", BATCH_PATH, html_reply(EXPRESS_404, 404))


def single_deletes(gateway) -> list[str]:
    return [path for path in gateway.paths("DELETE") if path != BATCH_PATH]


def first_call_answers(reply) -> Fault:
    """A fault whose first matching request gets `reply`; later ones reach the API."""
    calls = []

    def answer(request, forward):
        calls.append(request)
        return reply if len(calls) == 1 else forward(request)

    return Fault("first call", answer)


class TestBatches:
    def test_a_strict_404_names_the_gone_and_the_rest_are_sent_again(
        self, manager_client, gateway, three_rows
    ):
        gone = three_rows[0]
        message = f"PhoneConnections not found: {gone['id']}"
        gateway.inject(first_call_answers(error_reply(404, message)), "DELETE", BATCH_PATH)
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        messages = Page(response).messages
        assert messages[0] == "Deleted 2 phone connections."
        assert messages[1] == (
            f"Could not delete “{gone['name']}” (+14155552671): someone deleted it meanwhile."
        )
        first, second = gateway.bodies("DELETE")
        assert sorted(first["ids"]) == sorted(ids_of(three_rows))
        assert sorted(second["ids"]) == sorted(ids_of(three_rows[1:]))
        assert deleted_ids() == sorted(ids_of(three_rows[1:]))

    def test_a_404_that_names_no_id_falls_back_to_one_by_one(
        self, manager_client, gateway, three_rows
    ):
        """An API without the route may read `batch` as an id: "not found: batch"."""
        gateway.fail("DELETE", BATCH_PATH, error_reply(404, "PhoneConnection not found: batch"))
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == ["Deleted 3 phone connections."]
        assert sorted(single_deletes(gateway)) == sorted(
            f"/phoneConnections/{row['id']}" for row in three_rows
        )
        assert deleted_ids() == sorted(ids_of(three_rows))

    def test_without_the_route_each_is_deleted_and_recorded(
        self, manager_client, gateway, three_rows
    ):
        without_batch_route(gateway)
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == ["Deleted 3 phone connections."]
        assert len(single_deletes(gateway)) == 3
        assert deleted_ids() == sorted(ids_of(three_rows))

    def test_a_failed_batch_names_every_row_and_records_none(
        self, manager_client, gateway, three_rows
    ):
        gateway.fail("DELETE", BATCH_PATH, error_reply(500, "boom"))
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        messages = Page(response).messages
        assert len(messages) == 3
        assert all("Galtea had an internal error" in message for message in messages)
        assert single_deletes(gateway) == []
        assert not ChangeRecord.objects.exists()
        assert all(fetch(gateway.target, row["id"]) for row in three_rows)

    def test_batches_hold_at_most_the_api_limit(
        self, manager_client, gateway, three_rows, monkeypatch
    ):
        monkeypatch.setattr(contract, "MAX_IDS_PER_BATCH_DELETE", 2)
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == ["Deleted 3 phone connections."]
        assert [len(body["ids"]) for body in gateway.bodies("DELETE")] == [2, 1]
        assert deleted_ids() == sorted(ids_of(three_rows))

    def test_a_lost_answer_counts_what_is_gone(self, manager_client, gateway, three_rows):
        """The batch arrived (and deleted) but its answer was lost: the admin looks."""

        def deleted_then_hang(request, forward):
            forward(request)
            return HANG

        gateway.inject(Fault("lost answer", deleted_then_hang), "DELETE", BATCH_PATH)
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == ["Deleted 3 phone connections."]
        assert deleted_ids() == sorted(ids_of(three_rows))

    def test_a_lost_answer_that_cannot_be_checked_is_unconfirmed(
        self, manager_client, gateway, three_rows
    ):
        """The batch arrived (and deleted), its answer was lost, and Galtea cannot be asked
        either: each row is "not known yet", never reported as not deleted."""

        def deleted_then_hang(request, forward):
            forward(request)
            return HANG

        reads = iter([True])  # the confirmation's own look-up is answered, no later one

        def first_read_only(request, forward):
            return forward(request) if next(reads, False) else HANG

        page = ask(manager_client, ids_of(three_rows))
        gateway.inject(Fault("lost answer", deleted_then_hang), "DELETE", BATCH_PATH)
        gateway.inject(Fault("first read only", first_read_only), "GET")

        response = confirm(manager_client, page, follow=True)

        messages = Page(response).messages
        assert len(messages) == 3
        assert all("not known yet whether" in message for message in messages)
        unconfirmed = ChangeRecord.objects.filter(action="delete", outcome="unconfirmed")
        assert sorted(unconfirmed.values_list("object_id", flat=True)) == sorted(ids_of(three_rows))


class TestSelectingRows:
    def test_a_manager_gets_a_checkbox_per_row_tied_to_the_bulk_form(
        self, manager_client, three_rows, marker
    ):
        here = list_url({"name": marker, "sort": "name"})

        page = open_list(manager_client, here)

        boxes = page.selection_boxes
        assert [box.attrs["value"] for box in boxes] == page.row_ids
        assert sorted(page.row_ids) == sorted(ids_of(three_rows))
        assert {box.attrs["form"] for box in boxes} == {"bulk-form"}
        labels = {box.attrs["aria-label"] for box in boxes}
        assert labels == {f"Select {row['name']}" for row in three_rows}
        assert page.select_all.attrs["aria-label"] == "Select all on this page"
        form = page.bulk_form
        assert form.attrs["method"] == "post"
        assert form.attrs["action"] == BULK_DELETE_URL
        assert form.one("input", name="next").attrs["value"] == here
        buttons = form.find_all("button", type="submit")
        assert [button.text for button in buttons] == ["Edit selected…", "Delete selected…"]
        assert "formaction" not in buttons[1].attrs  # the form's own action

    def test_a_name_holding_html_labels_its_checkbox_as_text(
        self, manager_client, make_row, marker
    ):
        name = f'<script>alert("{marker}")</script>'
        row = make_row(name=name)

        page = open_list(manager_client, list_url({"ids": row["id"]}))

        assert [box.attrs["aria-label"] for box in page.selection_boxes] == [f"Select {name}"]
        assert page.table.find_all("script") == []

    def test_viewers_get_no_checkboxes(self, viewer_client, three_rows, marker):
        page = open_list(viewer_client, list_url({"name": marker}))

        assert len(page.row_ids) == 3
        assert page.selection_boxes == []
        assert page.select_all is None
        assert page.bulk_form is None
        assert "Delete selected…" not in page.html

    def test_editors_may_edit_the_selection_but_not_delete_it(
        self, editor_client, three_rows, marker
    ):
        page = open_list(editor_client, list_url({"name": marker}))

        assert len(page.selection_boxes) == 3
        assert page.bulk_form.attrs["action"] == "/phone-connections/bulk-edit/"
        assert [b.text for b in page.bulk_form.find_all("button")] == ["Edit selected…"]
        assert "Delete selected…" not in page.html


class TestConfirmationPage:
    def test_lists_every_selected_connection_and_deletes_nothing(
        self, manager_client, api, three_rows
    ):
        page = ask(manager_client, ids_of(three_rows))

        assert page.status == 200
        assert page.h1 == "Delete these 3 phone connections?"
        product = product_name(api, three_rows[0]["productId"])
        assert sorted(page.rows, key=lambda row: row["Name"]) == sorted(
            [
                {
                    "Name": three_rows[0]["name"],
                    "Phone number": "+1 415-555-2671 United States",
                    "Product": product,
                },
                {
                    "Name": three_rows[1]["name"],
                    "Phone number": "+44 20 7946 0958 United Kingdom",
                    "Product": product,
                },
                {
                    "Name": three_rows[2]["name"],
                    "Phone number": "+34 912 34 56 78 Spain",
                    "Product": product,
                },
            ],
            key=lambda row: row["Name"],
        )
        assert sorted(page.hidden("ids")) == sorted(ids_of(three_rows))
        assert page.hidden("confirm") == ["yes"]
        assert "Yes, delete 3" in page.buttons()
        assert page.warning is None
        assert writes(api) == []
        assert all(fetch(api, row["id"]) for row in three_rows)
        assert not ChangeRecord.objects.exists()

    def test_looks_the_selection_up_in_one_request(self, manager_client, api, three_rows):
        ask(manager_client, ids_of(three_rows))

        calls = list_calls(api)
        assert len(calls) == 1
        query = calls[0]["query"]
        for row in three_rows:
            assert f"ids[]={row['id']}" in query
        assert "limit=3" in query

    def test_a_whole_page_of_a_hundred_can_be_selected(self, manager_client, api):
        page_ids = open_list(manager_client, list_url({"per_page": 100})).row_ids
        assert len(page_ids) == 100
        api.clear_request_log()

        page = ask(manager_client, page_ids)

        assert page.h1 == "Delete these 100 phone connections?"
        assert len(page.rows) == 100
        assert sorted(page.hidden("ids")) == sorted(page_ids)
        assert len(list_calls(api)) == 1
        assert writes(api) == []

    def test_one_selected_connection_is_named_in_the_singular(self, manager_client, three_rows):
        page = ask(manager_client, [three_rows[0]["id"]])

        assert page.h1 == "Delete this phone connection?"
        assert page.title == "Delete 1 phone connection · Galtea Admin"
        assert "Yes, delete 1" in page.buttons()

    def test_a_row_ticked_twice_is_listed_once(self, manager_client, three_rows):
        first = three_rows[0]["id"]

        page = ask(manager_client, [first, first, f" {first} "])

        assert page.hidden("ids") == [first]
        assert [row["Name"] for row in page.rows] == [three_rows[0]["name"]]

    def test_names_the_ids_that_are_already_gone(self, manager_client, api, three_rows):
        gone = three_rows[1]["id"]
        delete_row(api, gone)

        page = ask(manager_client, ids_of(three_rows))

        assert page.h1 == "Delete these 2 phone connections?"
        assert sorted(row["Name"] for row in page.rows) == sorted(
            [three_rows[0]["name"], three_rows[2]["name"]]
        )
        assert page.warning == (
            f"1 selected phone connection no longer exists (already deleted?): {gone}"
        )
        assert sorted(page.hidden("ids")) == sorted([three_rows[0]["id"], three_rows[2]["id"]])
        assert "Yes, delete 2" in page.buttons()

    def test_names_every_gone_id_however_many_are_gone(self, manager_client, api, make_row, marker):
        rows = [make_row(name=f"{marker} {n}") for n in range(15)]
        kept = rows[0]
        for row in rows[1:]:
            delete_row(api, row["id"])

        page = ask(manager_client, ids_of(rows))

        assert page.status == 200
        assert [row["Name"] for row in page.rows] == [kept["name"]]
        assert page.warning.startswith("14 selected phone connections no longer exist")
        for row in rows[1:]:
            assert row["id"] in page.warning
        assert page.hidden("ids") == [kept["id"]]

    def test_when_every_selected_row_is_gone_nothing_can_be_confirmed(
        self, manager_client, api, three_rows
    ):
        for row in three_rows:
            delete_row(api, row["id"])

        page = ask(manager_client, ids_of(three_rows))

        assert page.h1 == "Nothing left to delete"
        assert page.warning.startswith(
            "3 selected phone connections no longer exist (already deleted?)"
        )
        for row in three_rows:
            assert row["id"] in page.warning
        assert page.hidden("ids") == []
        assert not [button for button in page.buttons() if button.startswith("Yes")]
        assert page.link("Back to the list") == CAME_FROM

    def test_keeps_where_the_manager_came_from(self, manager_client, three_rows):
        page = ask(manager_client, ids_of(three_rows))

        assert page.hidden("next") == [CAME_FROM]
        assert page.link("Cancel") == CAME_FROM
        breadcrumbs = page.doc.one("nav", class_="breadcrumbs")
        assert breadcrumbs.one("a").attrs["href"] == CAME_FROM

    def test_names_holding_html_are_shown_as_text(self, manager_client, make_row, marker):
        name = f'<script>alert("{marker}")</script> <b>bold</b>'
        row = make_row(name=name)

        page = ask(manager_client, [row["id"]])

        assert [r["Name"] for r in page.rows] == [name]
        main = page.doc.one("main")
        assert main.find_all("script") == []
        assert main.find_all("b") == []


class TestDeleting:
    def test_deletes_each_records_each_and_returns_to_the_list(
        self, manager_client, api, three_rows, manager
    ):
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page)

        assert response.status_code == 302
        assert response.url == CAME_FROM
        deletes = [(w["method"], w["path"]) for w in writes(api)]
        assert deletes == [("DELETE", BATCH_PATH)], "one batch call for the whole selection"
        assert all(fetch(api, row["id"]) is None for row in three_rows)
        records = ChangeRecord.objects.filter(action="delete")
        product = product_name(api, three_rows[0]["productId"])
        assert sorted(
            (r.object_id, r.object_label, r.product_name, r.user_id, r.username) for r in records
        ) == sorted(
            (row["id"], row["name"], product, manager.id, manager.username) for row in three_rows
        )
        for record in records:
            assert record.changes["name"][1] is None

    def test_the_list_says_how_many_were_deleted(self, manager_client, api, three_rows, marker):
        here = list_url({"name": marker, "sort": "name"})
        page = ask(manager_client, ids_of(three_rows[:2]), next_url=here)

        response = confirm(manager_client, page, follow=True)

        assert response.redirect_chain == [(here, 302)]
        listing = ListView(response)
        assert listing.messages == ["Deleted 2 phone connections."]
        assert listing.row_ids == [three_rows[2]["id"]]

    def test_one_deletion_reads_in_the_singular(self, manager_client, three_rows):
        page = ask(manager_client, [three_rows[0]["id"]])

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == ["Deleted 1 phone connection."]

    def test_one_failure_does_not_stop_or_hide_the_others(
        self, manager_client, gateway, three_rows
    ):
        without_batch_route(gateway)
        failing = three_rows[1]
        gateway.fail("DELETE", f"/phoneConnections/{failing['id']}", error_reply(500, "boom"))
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert response.redirect_chain[0] == (CAME_FROM, 302)
        messages = Page(response).messages
        assert messages[0] == "Deleted 2 phone connections."
        assert len(messages) == 2
        assert messages[1].startswith(
            f"Could not delete “{failing['name']}” (+442079460958): Galtea had an internal error"
        )
        # The failing row is in the middle of the order the admin deletes in.
        assert gateway.paths("DELETE")[0] == BATCH_PATH
        assert single_deletes(gateway) == [
            f"/phoneConnections/{row['id']}" for row in reversed(three_rows)
        ]
        api = gateway.target
        assert fetch(api, failing["id"]) is not None
        assert fetch(api, three_rows[0]["id"]) is None
        assert fetch(api, three_rows[2]["id"]) is None
        assert deleted_ids() == sorted([three_rows[0]["id"], three_rows[2]["id"]])

    def test_each_failure_reads_as_one_sentence(self, manager_client, gateway, three_rows):
        without_batch_route(gateway)
        failing = three_rows[1]
        gateway.fail("DELETE", f"/phoneConnections/{failing['id']}", error_reply(500, "boom"))
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        assert Page(response).messages == [
            "Deleted 2 phone connections.",
            f"Could not delete “{failing['name']}” (+442079460958): "
            "Galtea had an internal error: Galtea answered with error 500.",
        ]

    def test_every_kind_of_failure_is_named_and_the_rest_still_go(
        self, manager_client, gateway, make_row, marker
    ):
        api = gateway.target
        rows = [make_row(name=f"{marker} {n}") for n in ("ok1", "boom", "gone", "slow", "ok2")]
        by_name = {row["name"].split()[-1]: row for row in rows}
        page = ask(manager_client, ids_of(rows))
        assert len(page.hidden("ids")) == 5
        # Between the confirmation page and the confirmation, one row is deleted elsewhere,
        # one vanishes just before its DELETE, and two DELETEs fail.
        delete_row(api, by_name["ok2"]["id"])
        without_batch_route(gateway)
        gateway.fail("DELETE", f"/phoneConnections/{by_name['boom']['id']}", error_reply(500, "x"))
        gone_message = f"PhoneConnection not found: {by_name['gone']['id']}"
        gateway.fail(
            "DELETE", f"/phoneConnections/{by_name['gone']['id']}", error_reply(404, gone_message)
        )
        gateway.fail("DELETE", f"/phoneConnections/{by_name['slow']['id']}", HANG)

        response = confirm(manager_client, page, follow=True)

        messages = Page(response).messages
        assert messages[0] == "Deleted 1 phone connection."
        failures = messages[1:]
        assert len(failures) == 4
        assert (
            f"Could not delete {by_name['ok2']['id']}: it no longer exists (already deleted?)."
            in failures
        )
        expected_starts = {
            "boom": "Galtea had an internal error",
            "gone": "someone deleted it meanwhile",
            "slow": "Galtea took too long to answer",
        }
        for key, why in expected_starts.items():
            label = f"Could not delete “{by_name[key]['name']}” (+34912345678): {why}"
            assert [m for m in failures if m.startswith(label)], (label, failures)
        assert fetch(api, by_name["ok1"]["id"]) is None
        assert deleted_ids() == [by_name["ok1"]["id"]]
        assert len(single_deletes(gateway)) == 4, "each DELETE is sent once, never retried"

    def test_rows_deleted_elsewhere_meanwhile_are_each_named(
        self, manager_client, api, make_row, marker
    ):
        """Two Managers clear the same page: the second one confirms after the first."""
        rows = [make_row(name=f"{marker} {n}") for n in range(15)]
        page = ask(manager_client, ids_of(rows))
        assert len(page.hidden("ids")) == 15
        for row in rows:
            delete_row(api, row["id"])

        response = confirm(manager_client, page, follow=True)

        assert response.redirect_chain == [(CAME_FROM, 302)]
        assert sorted(Page(response).messages) == sorted(
            f"Could not delete {row['id']}: it no longer exists (already deleted?)." for row in rows
        )
        assert not ChangeRecord.objects.exists()

    def test_when_every_deletion_fails_there_is_no_success_message(
        self, manager_client, gateway, three_rows
    ):
        gateway.fail("DELETE", "/phoneConnections/.+", error_reply(503, "maintenance"))  # batch too
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page, follow=True)

        messages = Page(response).messages
        assert len(messages) == 3
        assert all(message.startswith("Could not delete “") for message in messages)
        assert not ChangeRecord.objects.exists()
        assert all(fetch(gateway.target, row["id"]) for row in three_rows)

    def test_result_messages_show_html_in_names_as_text(
        self, manager_client, gateway, make_row, marker
    ):
        name = f"<script>alert('{marker}')</script>"
        row = make_row(name=name)
        gateway.fail("DELETE", BATCH_PATH, error_reply(500, "x"))
        page = ask(manager_client, [row["id"]])

        response = confirm(manager_client, page, follow=True)

        result = Page(response)
        assert result.messages[0].startswith(f"Could not delete “{name}”")
        assert result.doc.one("main").find_all("script") == []

    def test_when_galtea_cannot_list_the_selection_nothing_is_deleted(
        self, manager_client, gateway, three_rows
    ):
        gateway.fail("GET", "/phoneConnections", error_reply(500, "boom"))

        response = manager_client.post(
            BULK_DELETE_URL, {"ids": ids_of(three_rows), "next": CAME_FROM, "confirm": "yes"}
        )

        assert response.status_code == 502
        assert "Galtea had an internal error" in response.content.decode()
        assert gateway.paths("DELETE") == []
        assert not ChangeRecord.objects.exists()

    def test_a_forged_request_without_the_forms_token_is_refused(self, manager, api, three_rows):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(manager)

        response = browser.post(
            BULK_DELETE_URL, {"ids": ids_of(three_rows), "next": CAME_FROM, "confirm": "yes"}
        )

        assert response.status_code == 403
        assert writes(api) == []


class TestBadSelections:
    @pytest.mark.parametrize(
        ("ids", "explained"),
        [
            ([], "Select at least one phone connection first."),
            (["", "   "], "Select at least one phone connection first."),
            (
                [f"phoneConnection_{n:04d}" for n in range(101)],
                "Select at most 100 phone connections at once.",
            ),
            (["../products"], "The selection was damaged: select the rows again."),
            (
                ["phoneConnection_1 phoneConnection_2"],
                "The selection was damaged: select the rows again.",
            ),
            (["<script>"], "The selection was damaged: select the rows again."),
            (["x" * 129], "The selection was damaged: select the rows again."),
        ],
        ids=["none", "blank", "101", "path", "space", "html", "too-long"],
    )
    @pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
    def test_is_explained_back_on_the_list_and_asks_nothing(
        self, manager_client, api, ids, explained, confirmed
    ):
        data = {"ids": ids, "next": CAME_FROM}
        if confirmed:
            data["confirm"] = "yes"

        response = manager_client.post(BULK_DELETE_URL, data)

        assert response.status_code == 302
        assert response.url == CAME_FROM
        assert api.requests_received() == [], "a bad selection is never sent to Galtea"
        shown = Page(manager_client.get(response.url))
        assert shown.messages == [explained]


class TestWhoMayDelete:
    @pytest.mark.parametrize("client_fixture", ["viewer_client", "editor_client"])
    @pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
    def test_viewers_and_editors_are_refused(
        self, request, client_fixture, confirmed, api, three_rows
    ):
        client = request.getfixturevalue(client_fixture)
        data = {"ids": ids_of(three_rows), "next": CAME_FROM}
        if confirmed:
            data["confirm"] = "yes"

        response = client.post(BULK_DELETE_URL, data)

        assert response.status_code == 403
        assert writes(api) == []
        assert all(fetch(api, row["id"]) for row in three_rows)
        assert not ChangeRecord.objects.exists()

    def test_signed_out_people_are_sent_to_sign_in(self, client, api, three_rows):
        data = {"ids": ids_of(three_rows), "confirm": "yes"}

        response = client.post(BULK_DELETE_URL, data)

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert writes(api) == []

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_only_post_is_accepted(self, manager_client, api, three_rows, method):
        response = getattr(manager_client, method)(f"{BULK_DELETE_URL}?ids={three_rows[0]['id']}")

        assert response.status_code == 405
        assert writes(api) == []


class TestWhereItReturns:
    def test_to_the_exact_list_it_came_from(self, manager_client, api, three_rows):
        page = ask(manager_client, ids_of(three_rows))

        response = confirm(manager_client, page)

        assert response.url == CAME_FROM

    def test_to_the_list_without_next(self, manager_client, api, three_rows):
        page = ask(manager_client, ids_of(three_rows), next_url=None)

        assert page.link("Cancel") == LIST_URL
        response = confirm(manager_client, page)

        assert response.url == LIST_URL

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"]
    )
    def test_never_off_site(self, manager_client, api, three_rows, next_url):
        page = ask(manager_client, ids_of(three_rows), next_url=next_url)

        assert page.hidden("next") == [LIST_URL]
        response = confirm(manager_client, page)

        assert response.url == LIST_URL
        assert all(fetch(api, row["id"]) is None for row in three_rows)
