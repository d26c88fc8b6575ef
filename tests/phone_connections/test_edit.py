"""Editing a phone connection: only what the person changed reaches the API, changes made by
someone else meanwhile are kept (merged, or a collision warned of), and no failure loses what
was typed.

Each test edits a connection of its own on the session emulator. The exact PATCH bodies are
read from the recording `gateway` between the admin and the emulator.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.galtea.fake_upstream import HANG, RESET, error_reply
from tests.pages import (
    LIST_URL,
    FormPage,
    Page,
    change_row,
    create_row,
    delete_row,
    detail_url,
    edit_url,
    fetch,
    products,
    unique_name,
    writes,
)

pytestmark = pytest.mark.django_db

FILTERED_LIST = f"{LIST_URL}?name=Edit+test&sort=-created&page=3"
UNCHANGED = {
    "name": None,
    "phoneNumber": "+14155552671",
    "voice": "theo",
    "languageCode": "en-GB",
    "agentSpeaksFirst": False,
}


def open_edit(client, connection_id: str, next_url: str | None = FILTERED_LIST) -> FormPage:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    page = FormPage(client.get(edit_url(connection_id) + query))
    assert page.status == 200, page.html
    return page


def save(client, connection_id: str, page: FormPage, **changes):
    return client.post(edit_url(connection_id), page.submission_data(**changes))


def patches(emulator) -> list[dict]:
    return [w for w in writes(emulator) if w["method"] == "PATCH"]


# --- The form --------------------------------------------------------------------------------


class TestTheForm:
    def test_shows_the_connection_as_it_is(self, editor_client, row, product_names):
        page = open_edit(editor_client, row["id"])

        assert page.h1 == f"Edit “{row['name']}”"
        assert page.value("name") == row["name"]
        assert page.value("phone_number") == "+14155552671"
        assert page.value("voice") == "theo"
        assert page.value("language_code") == "en-GB"
        assert page.value("agent_speaks_first") == "false"
        assert page.value("product") == row["productId"]
        assert dict(page.options("product"))[row["productId"]] == product_names[row["productId"]]

    def test_the_product_is_fixed(self, editor_client, row):
        page = open_edit(editor_client, row["id"])

        product = page.control("product")
        assert "disabled" in product.attrs
        assert "product" not in page.submission_data()
        assert page.field_errors("product") == []
        assert "cannot move to another product" in page.form.text

    def test_carries_the_values_it_was_opened_with_and_the_way_back(self, editor_client, row):
        page = open_edit(editor_client, row["id"])

        assert page.control("original").attrs["type"] == "hidden"
        assert page.value("original")
        assert page.value("next") == FILTERED_LIST
        assert page.link("Cancel") == FILTERED_LIST
        assert "Save" in page.buttons()
        assert "Save and add another" not in page.buttons()

    def test_cancel_without_next_goes_back_to_the_connection(self, editor_client, row):
        page = open_edit(editor_client, row["id"], next_url=None)

        assert page.link("Cancel") == detail_url(row["id"])

    def test_a_missing_connection_is_not_found(self, editor_client, api):
        page = Page(editor_client.get(edit_url("phoneConnection_doesnotexist")))

        assert page.status == 404
        assert page.h1 == "Not found"


# --- Only what changed -----------------------------------------------------------------------


class TestOnlyChangedFieldsAreSent:
    @pytest.mark.parametrize(
        ("typed", "sent"),
        [
            ({"name": "Renamed line"}, {"name": "Renamed line"}),
            ({"phone_number": "0044 20 7946 0958"}, {"phoneNumber": "+442079460958"}),
            ({"voice": ""}, {"voice": None}),
            ({"voice": "jack"}, {"voice": "jack"}),
            ({"language_code": ""}, {"languageCode": None}),
            ({"language_code": "fr-fr"}, {"languageCode": "fr-FR"}),
            ({"agent_speaks_first": "true"}, {"agentSpeaksFirst": True}),
            (
                {"voice": "megan", "agent_speaks_first": "true"},
                {"voice": "megan", "agentSpeaksFirst": True},
            ),
        ],
        ids=[
            "name",
            "phone",
            "voice-to-default",
            "voice",
            "clear-language",
            "language",
            "speaks-first",
            "voice-and-speaks-first",
        ],
    )
    def test_one_patch_with_exactly_the_changed_fields(
        self, editor_client, gateway, row, typed, sent
    ):
        if "name" in typed:
            typed = {"name": unique_name("Renamed line")}
            sent = {"name": typed["name"]}
        page = open_edit(editor_client, row["id"])

        response = save(editor_client, row["id"], page, **typed)

        assert response.status_code == 302, FormPage(response).all_field_errors()
        assert gateway.bodies("PATCH") == [sent]
        assert gateway.paths("PATCH") == [f"/phoneConnections/{row['id']}"]
        now = fetch(gateway.target, row["id"])
        expected = {**UNCHANGED, "name": row["name"], **sent}
        assert {key: now[key] for key in expected} == expected
        assert now["productId"] == row["productId"]

    def test_the_same_number_typed_differently_is_not_a_change(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])

        response = save(editor_client, row["id"], page, phone_number="+1 (415) 555-2671")

        assert response.status_code == 302
        assert gateway.bodies("PATCH") == []

    def test_nothing_changed_sends_nothing_and_says_so(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])

        response = editor_client.post(edit_url(row["id"]), page.submission_data(), follow=True)

        assert response.redirect_chain == [(FILTERED_LIST, 302)]
        assert Page(response).messages == [f"Nothing to save: “{row['name']}” is unchanged."]
        assert patches(api) == []
        assert not ChangeRecord.objects.exists()

    def test_a_product_sent_anyway_is_ignored(self, editor_client, gateway, row):
        other = next(p["id"] for p in products(gateway.target) if p["id"] != row["productId"])
        page = open_edit(editor_client, row["id"])
        new_name = unique_name("Moved line")

        response = save(editor_client, row["id"], page, product=other, name=new_name)

        assert response.status_code == 302
        assert gateway.bodies("PATCH") == [{"name": new_name}]
        assert fetch(gateway.target, row["id"])["productId"] == row["productId"]


# --- After saving ----------------------------------------------------------------------------


class TestAfterSaving:
    def test_back_to_the_list_as_it_was_with_a_message(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        new_name = unique_name("Renamed line")

        response = save(editor_client, row["id"], page, name=new_name)

        assert response.status_code == 302
        assert response.url == FILTERED_LIST
        assert Page(editor_client.get(response.url)).messages == [f"Saved “{new_name}”."]

    def test_without_next_back_to_the_connection(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"], next_url=None)

        response = editor_client.post(
            edit_url(row["id"]), page.submission_data(voice="jack"), follow=True
        )

        assert response.redirect_chain == [(detail_url(row["id"]), 302)]
        detail = Page(response)
        assert detail.messages == [f"Saved “{row['name']}”."]
        assert "Jack (en-US)" in detail.main_text

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example/"]
    )
    def test_next_never_leads_off_site(self, editor_client, api, row, next_url):
        page = open_edit(editor_client, row["id"], next_url=None)

        response = save(editor_client, row["id"], page, voice="jack", next=next_url)

        assert response.status_code == 302
        assert response.url == detail_url(row["id"])


# --- Someone else changed it meanwhile -------------------------------------------------------


class TestChangedMeanwhile:
    def test_a_collision_warns_instead_of_overwriting_and_saves_on_the_second_try(
        self, editor_client, api, row
    ):
        page = open_edit(editor_client, row["id"])
        theirs = change_row(api, row["id"], name=unique_name("Their name"))
        api.clear_request_log()
        mine = unique_name("My name")

        warned = FormPage(
            save(editor_client, row["id"], page, name=mine, phone_number="+44 20 7946 0958")
        )

        assert warned.status == 409
        assert "Someone else changed this phone connection" in warned.alert_text
        assert "Nothing was saved" in warned.alert_text
        assert f"Name: {theirs['name']}" in warned.alert_text
        assert "Phone number:" not in warned.alert_text
        assert patches(api) == []
        assert fetch(api, row["id"])["phoneNumber"] == "+14155552671"
        assert warned.value("phone_number") == "+44 20 7946 0958"
        assert warned.value("name") == mine
        assert not ChangeRecord.objects.exists()

        response = save(editor_client, row["id"], warned)

        assert response.status_code == 302
        assert response.url == FILTERED_LIST
        now = fetch(api, row["id"])
        assert now["phoneNumber"] == "+442079460958"
        assert now["name"] == mine
        assert len(patches(api)) == 1

    def test_after_the_warning_only_the_persons_changes_are_sent(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack", agentSpeaksFirst=True)

        warned = FormPage(
            save(editor_client, row["id"], page, voice="megan", language_code="es-ES")
        )
        assert warned.status == 409
        assert gateway.bodies("PATCH") == []

        assert save(editor_client, row["id"], warned).status_code == 302
        assert gateway.bodies("PATCH") == [{"voice": "megan", "languageCode": "es-ES"}]
        assert fetch(gateway.target, row["id"])["agentSpeaksFirst"] is True

    @pytest.mark.parametrize(
        ("their_change", "line"),
        [
            ({"voice": "jack"}, "Voice: Theo (en-GB) → Jack (en-US)"),
            ({"voice": None}, "Voice: Theo (en-GB) → Sarah (default)"),
            ({"agentSpeaksFirst": True}, "Agent speaks first: Caller → Agent"),
            ({"languageCode": None}, "Language: en-GB → —"),
            ({"phoneNumber": "+442079460958"}, "Phone number: +14155552671 → +442079460958"),
        ],
    )
    def test_a_merged_save_says_what_changed_as_the_history_reads_it(
        self, editor_client, gateway, row, their_change, line
    ):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], **their_change)
        mine = unique_name("Mine")

        response = editor_client.post(
            edit_url(row["id"]), page.submission_data(name=mine), follow=True
        )

        assert response.redirect_chain == [(FILTERED_LIST, 302)]
        assert gateway.bodies("PATCH") == [{"name": mine}]
        assert Page(response).messages == [
            f"Saved “{mine}”.",
            f"Someone else changed “{mine}” while you were editing it, and their changes are "
            f"kept: {line}.",
        ]

    @pytest.mark.parametrize(
        ("their_change", "typed", "line"),
        [
            ({"voice": "jack"}, {"voice": "megan"}, "Voice: Jack (en-US)"),
            ({"voice": None}, {"voice": "megan"}, "Voice: Sarah (default)"),
            ({"languageCode": None}, {"language_code": "fr-FR"}, "Language: —"),
            (
                {"phoneNumber": "+442079460958"},
                {"phone_number": "+34 912 34 56 78"},
                "Phone number: +442079460958",
            ),
        ],
    )
    def test_the_warning_lists_what_collided_as_people_read_it(
        self, editor_client, api, row, their_change, typed, line
    ):
        page = open_edit(editor_client, row["id"])
        change_row(api, row["id"], **their_change)

        warned = FormPage(save(editor_client, row["id"], page, **typed))

        assert warned.status == 409
        warning = warned.doc.one("div", class_="alert-warning")
        assert [li.text for li in warning.find_all("li")] == [line]

    def test_a_change_to_the_same_value_is_no_conflict(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        change_row(api, row["id"], voice="jack")
        change_row(api, row["id"], voice="theo")

        response = save(editor_client, row["id"], page, agent_speaks_first="true")

        assert response.status_code == 302
        assert fetch(api, row["id"])["agentSpeaksFirst"] is True

    def test_the_form_is_checked_against_a_fresh_read(self, editor_client, api, row):
        """The connection is read again right before the PATCH, not taken from a cache."""
        page = open_edit(editor_client, row["id"])
        api.clear_request_log()

        save(editor_client, row["id"], page, voice="megan")

        calls = [(r["method"], r["path"]) for r in api.requests_received()]
        path = f"/phoneConnections/{row['id']}"
        assert ("GET", path) in calls
        assert calls.index(("GET", path)) < calls.index(("PATCH", path))


# --- The API says no -------------------------------------------------------------------------


class TestRejections:
    def test_a_rename_onto_a_taken_name_keeps_what_was_typed(self, editor_client, api, row):
        taken = create_row(api, productId=row["productId"])
        page = open_edit(editor_client, row["id"])
        typed = {
            "name": taken["name"],
            "phone_number": "0044 20 7946 0958",
            "voice": "megan",
            "language_code": "fr-FR",
            "agent_speaks_first": "true",
        }

        rejected = FormPage(save(editor_client, row["id"], page, **typed))

        assert rejected.status == 400
        assert rejected.all_field_errors() == {
            "name": ["Another phone connection of this product already has this name."]
        }
        for field, value in typed.items():
            assert rejected.value(field) == value
        assert rejected.value("next") == FILTERED_LIST
        now = fetch(api, row["id"])
        assert (now["name"], now["phoneNumber"]) == (row["name"], "+14155552671")
        assert not ChangeRecord.objects.exists()

        fixed = save(editor_client, row["id"], rejected, name=unique_name("Fixed name"))
        assert fixed.status_code == 302
        assert fetch(api, row["id"])["phoneNumber"] == "+442079460958"

    @pytest.mark.parametrize(
        ("message", "field"),
        [
            ("phoneNumber must be a valid phone number in E.164 format.", "phone_number"),
            ("voice must be one of sarah, theo or null.", "voice"),
            ("languageCode must be a language code such as en-US.", "language_code"),
            ("agentSpeaksFirst must be a boolean.", "agent_speaks_first"),
        ],
    )
    def test_a_rejected_value_is_explained_next_to_its_field(
        self, editor_client, gateway, row, message, field
    ):
        gateway.fail("PATCH", "/phoneConnections/.+", error_reply(400, message, "Bad Request"))
        page = open_edit(editor_client, row["id"])
        new_name = unique_name("Renamed")

        rejected = FormPage(save(editor_client, row["id"], page, name=new_name, voice="jack"))

        assert rejected.status == 400
        assert rejected.all_field_errors() == {field: [message]}
        assert rejected.value("name") == new_name
        assert rejected.value("voice") == "jack"
        assert not ChangeRecord.objects.exists()

    def test_a_product_rejection_is_shown_at_the_top_not_on_the_fixed_field(
        self, editor_client, gateway, row
    ):
        message = "productId cannot be changed: a phone connection stays in its product."
        gateway.fail("PATCH", "/phoneConnections/.+", error_reply(400, message))
        page = open_edit(editor_client, row["id"])

        rejected = FormPage(save(editor_client, row["id"], page, voice="jack"))

        assert rejected.status == 400
        assert rejected.all_field_errors() == {}
        assert message in rejected.alert_text

    def test_a_damaged_form_is_explained(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])

        rejected = FormPage(save(editor_client, row["id"], page, original="forged", voice="jack"))

        assert rejected.status == 400
        assert patches(api) == []
        assert "This form was damaged: reload the page." in rejected.alert_text


# --- Deleted meanwhile -----------------------------------------------------------------------


class TestDeletedMeanwhile:
    def test_says_so_and_keeps_what_was_typed(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        delete_row(api, row["id"])
        typed = {"name": unique_name("Too late"), "phone_number": "+34 912 34 56 78"}

        gone = FormPage(save(editor_client, row["id"], page, **typed))

        assert gone.status == 404
        assert "Someone deleted this phone connection while you were editing it" in gone.alert_text
        assert "nothing was saved" in gone.alert_text
        for field, value in typed.items():
            assert gone.value(field) == value
        assert gone.value("voice") == "theo"
        assert patches(api) == []
        assert not ChangeRecord.objects.exists()

    def test_the_page_still_reads_as_an_edit_of_that_connection(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        delete_row(api, row["id"])

        gone = FormPage(save(editor_client, row["id"], page, voice="jack"))

        assert gone.status == 404
        assert gone.h1 != "New phone connection"
        assert "Save and add another" not in gone.buttons()
        assert gone.link("Cancel") == FILTERED_LIST

    def test_deleted_between_the_check_and_the_patch(self, editor_client, gateway, row):
        message = f"PhoneConnection not found: {row['id']}"
        gateway.fail("PATCH", "/phoneConnections/.+", error_reply(404, message, "Not Found"))
        page = open_edit(editor_client, row["id"])

        gone = FormPage(save(editor_client, row["id"], page, voice="jack"))

        assert gone.status == 404
        assert "Nothing was saved" in gone.alert_text
        assert gone.value("voice") == "jack"
        assert not ChangeRecord.objects.exists()


# --- Galtea fails ----------------------------------------------------------------------------


class TestUpstreamFailures:
    @pytest.mark.parametrize(
        ("reply", "status"),
        [(HANG, 504), (RESET, 503), (error_reply(500, "boom"), 502)],
        ids=["timeout", "connection-reset", "500"],
    )
    def test_a_failed_patch_keeps_the_form(self, editor_client, gateway, row, reply, status):
        gateway.fail("PATCH", "/phoneConnections/.+", reply)
        page = open_edit(editor_client, row["id"])
        new_name = unique_name("Unsaved")

        failed = FormPage(save(editor_client, row["id"], page, name=new_name, voice="jack"))

        assert failed.status == status
        assert "Nothing was saved." in failed.alert_text
        assert failed.value("name") == new_name
        assert failed.value("voice") == "jack"
        assert len(gateway.bodies("PATCH")) == 1, "an edit must never be sent twice"
        assert fetch(gateway.target, row["id"])["name"] == row["name"]
        assert not ChangeRecord.objects.exists()

    def test_a_failed_fresh_read_keeps_the_form_and_sends_no_patch(
        self, editor_client, gateway, row
    ):
        page = open_edit(editor_client, row["id"])
        gateway.fail("GET", f"/phoneConnections/{row['id']}", error_reply(500, "boom"))
        new_name = unique_name("Unsaved")

        failed = FormPage(save(editor_client, row["id"], page, name=new_name))

        assert failed.status == 502
        assert "Nothing was saved." in failed.alert_text
        assert failed.value("name") == new_name
        assert gateway.bodies("PATCH") == []

    def test_api_gone_after_the_form_was_opened_keeps_the_form(
        self, editor_client, api, row, settings, closed_port_url
    ):
        page = open_edit(editor_client, row["id"])
        settings.GALTEA_API_URL = closed_port_url
        new_name = unique_name("Unsaved")

        failed = FormPage(save(editor_client, row["id"], page, name=new_name))

        assert failed.status == 503
        assert "Nothing was saved." in failed.alert_text
        assert failed.value("name") == new_name
        assert not ChangeRecord.objects.exists()

    def test_api_gone_blames_the_api_not_the_locked_product(
        self, editor_client, api, row, settings, closed_port_url
    ):
        """The product field is shown, never sent: it must not fail a save on its own."""
        page = open_edit(editor_client, row["id"])
        settings.GALTEA_API_URL = closed_port_url

        failed = FormPage(save(editor_client, row["id"], page, name=unique_name("Unsaved")))

        assert failed.status == 503
        assert failed.all_field_errors() == {}
        assert "product" not in failed.alert_text.lower()


def test_a_connection_created_elsewhere_without_voice_or_language_edits_cleanly(
    editor_client, gateway
):
    """Rows made by other tools may have no voice and no language: editing one name only."""
    row = create_row(gateway.target, phoneNumber="+442079460958")
    page = open_edit(editor_client, row["id"])
    assert (page.value("voice"), page.value("language_code")) == ("", "")
    new_name = unique_name("Renamed")

    response = save(editor_client, row["id"], page, name=new_name)

    assert response.status_code == 302
    assert gateway.bodies("PATCH") == [{"name": new_name}]


def test_an_untouched_language_code_spelled_differently_upstream_is_not_sent(
    editor_client, gateway
):
    """The API stores language codes as given ("en-us"); leaving the field alone is no change."""
    row = create_row(gateway.target, languageCode="en-us")
    page = open_edit(editor_client, row["id"])
    assert page.value("language_code") == "en-us"
    new_name = unique_name("Renamed")

    response = save(editor_client, row["id"], page, name=new_name)

    assert response.status_code == 302
    assert gateway.bodies("PATCH") == [{"name": new_name}]
