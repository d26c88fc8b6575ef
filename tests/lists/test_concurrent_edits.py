"""Two people editing one entity at once (the generic edit view, seen on phone connections):
changes to different fields merge and the person hears what the other changed; only a field
both changed to different values stops the save, keeping what was typed; a damaged or forged
form is refused at the form, never a server error.

"Someone else" changes the connection on the emulator directly, between the moment the form
is opened and the moment it is saved. The PATCH bodies are read from the recording `gateway`.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core import signing

from galtea_admin.audit.models import ChangeRecord
from tests.faults.proxy import Fault
from tests.pages import (
    LIST_URL,
    DetailPage,
    FormPage,
    Page,
    change_row,
    create_row,
    delete_row,
    detail_url,
    edit_url,
    fetch,
    unique_name,
)

pytestmark = pytest.mark.django_db

NEXT = f"{LIST_URL}?name=Merge+test"


def open_edit(client, connection_id: str) -> FormPage:
    page = FormPage(client.get(f"{edit_url(connection_id)}?{urlencode({'next': NEXT})}"))
    assert page.status == 200, page.html
    return page


def save(client, connection_id: str, page: FormPage, **typed):
    return client.post(edit_url(connection_id), page.submission_data(**typed))


def theirs_message(name: str, *lines: str) -> str:
    return (
        f"Someone else changed “{name}” while you were editing it, and their changes are "
        f"kept: {'; '.join(lines)}."
    )


# --- Different fields: merged ----------------------------------------------------------------


class TestDisjointChangesMerge:
    def test_only_the_persons_fields_are_sent_and_both_changes_stay(
        self, editor_client, gateway, row
    ):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack", agentSpeaksFirst=True)

        response = save(editor_client, row["id"], page, phone_number="0044 20 7946 0958")

        assert response.status_code == 302, FormPage(response).alert_text
        assert response.url == NEXT
        assert gateway.bodies("PATCH") == [{"phoneNumber": "+442079460958"}]
        now = fetch(gateway.target, row["id"])
        assert (now["phoneNumber"], now["voice"], now["agentSpeaksFirst"]) == (
            "+442079460958",
            "jack",
            True,
        )
        assert now["name"] == row["name"] and now["languageCode"] == "en-GB"

    def test_the_next_page_says_what_the_other_person_changed(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        their_name = unique_name("Their name")
        change_row(api, row["id"], name=their_name, voice="jack", languageCode=None)

        response = editor_client.post(
            edit_url(row["id"]), page.submission_data(agent_speaks_first="true"), follow=True
        )

        assert response.redirect_chain == [(NEXT, 302)]
        assert Page(response).messages == [
            f"Saved “{their_name}”.",
            theirs_message(
                their_name,
                f"Name: {row['name']} → {their_name}",
                "Voice: Theo (en-GB) → Jack (en-US)",
                "Language: en-GB → —",
            ),
        ]
        # The person's own value went through too.
        assert fetch(api, row["id"])["agentSpeaksFirst"] is True

    def test_the_activity_log_records_only_the_persons_fields(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        change_row(api, row["id"], voice="jack")

        assert save(editor_client, row["id"], page, phone_number="+442079460958").status_code == 302

        (record,) = ChangeRecord.objects.all()
        assert record.changes == {"phone_number": ["+14155552671", "+442079460958"]}
        detail = DetailPage(editor_client.get(detail_url(row["id"])))
        assert detail.history_changes == [["Phone number: +14155552671 → +442079460958"]]

    def test_a_change_landing_between_the_check_and_the_patch_is_not_recorded_as_the_persons(
        self, editor_client, gateway, row
    ):
        """Someone else's PATCH lands right before the person's: the answer holds both, the
        record only the person's field, its before the value read at save time."""

        def theirs_first(request, forward):
            change_row(gateway.target, row["id"], voice="megan")
            return forward(request)

        page = open_edit(editor_client, row["id"])
        gateway.inject(Fault("theirs first", theirs_first), "PATCH", "/phoneConnections/.+")

        assert save(editor_client, row["id"], page, name=unique_name("Mine")).status_code == 302

        assert fetch(gateway.target, row["id"])["voice"] == "megan"
        (record,) = ChangeRecord.objects.all()
        assert list(record.changes) == ["name"]
        assert record.changes["name"][0] == row["name"]

    def test_nothing_of_ones_own_changed_sends_nothing_and_says_what_they_changed(
        self, editor_client, gateway, row
    ):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack")

        response = editor_client.post(edit_url(row["id"]), page.submission_data(), follow=True)

        assert response.redirect_chain == [(NEXT, 302)]
        assert gateway.bodies("PATCH") == []
        assert Page(response).messages == [
            f"Nothing to save: you changed nothing in “{row['name']}”.",
            theirs_message(row["name"], "Voice: Theo (en-GB) → Jack (en-US)"),
        ]
        assert fetch(gateway.target, row["id"])["voice"] == "jack"
        assert not ChangeRecord.objects.exists()


# --- The same field ---------------------------------------------------------------------------


class TestCollisions:
    def test_different_values_are_refused_keeping_what_was_typed(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack", agentSpeaksFirst=True)
        mine = unique_name("My name")
        typed = {"name": mine, "voice": "megan", "language_code": "fr-FR"}

        refused = FormPage(save(editor_client, row["id"], page, **typed))

        assert refused.status == 409
        assert gateway.bodies("PATCH") == []
        assert not ChangeRecord.objects.exists()
        for field, value in typed.items():
            assert refused.value(field) == value
        assert refused.all_field_errors() == {
            "voice": ["Changed meanwhile to “Jack (en-US)”. Save to keep yours instead."]
        }
        warning = refused.doc.one("div", class_="alert-warning")
        assert "Nothing was saved" in warning.text
        assert "Voice: Jack (en-US)" in warning.text
        # Their other change is merged into the form, so saving again does not undo it.
        assert refused.value("agent_speaks_first") == "true"
        assert [li.text for li in warning.one("ul", class_="merged-changes").find_all("li")] == [
            "Who speaks first: Caller → Agent"
        ]
        assert refused.value("next") == NEXT

    def test_saving_again_keeps_mine_and_their_other_changes(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack", agentSpeaksFirst=True)
        refused = FormPage(save(editor_client, row["id"], page, voice="megan", language_code="fr"))
        assert refused.status == 409

        response = save(editor_client, row["id"], refused)

        assert response.status_code == 302
        assert response.url == NEXT
        assert gateway.bodies("PATCH") == [{"voice": "megan", "languageCode": "fr"}]
        now = fetch(gateway.target, row["id"])
        assert (now["voice"], now["languageCode"], now["agentSpeaksFirst"]) == ("megan", "fr", True)

    def test_take_theirs_reloads_the_form_as_the_connection_is_now(self, editor_client, api, row):
        page = open_edit(editor_client, row["id"])
        change_row(api, row["id"], voice="jack")
        refused = FormPage(save(editor_client, row["id"], page, voice="megan"))
        assert refused.status == 409

        reloaded = FormPage(editor_client.get(refused.link("take theirs")))

        assert reloaded.status == 200
        assert reloaded.value("voice") == "jack"
        assert reloaded.value("next") == NEXT
        assert reloaded.all_field_errors() == {}

    def test_the_same_value_on_both_sides_is_no_collision(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack", agentSpeaksFirst=True)

        response = editor_client.post(
            edit_url(row["id"]),
            page.submission_data(voice="jack", phone_number="+442079460958"),
            follow=True,
        )

        assert response.redirect_chain == [(NEXT, 302)]
        assert gateway.bodies("PATCH") == [{"phoneNumber": "+442079460958"}]
        now = fetch(gateway.target, row["id"])
        assert (now["voice"], now["phoneNumber"], now["agentSpeaksFirst"]) == (
            "jack",
            "+442079460958",
            True,
        )
        assert Page(response).messages[0] == f"Saved “{row['name']}”."

    def test_only_the_same_values_as_theirs_sends_nothing(self, editor_client, gateway, row):
        page = open_edit(editor_client, row["id"])
        change_row(gateway.target, row["id"], voice="jack")

        response = editor_client.post(
            edit_url(row["id"]), page.submission_data(voice="jack"), follow=True
        )

        assert response.redirect_chain == [(NEXT, 302)]
        assert gateway.bodies("PATCH") == []
        assert Page(response).messages[0] == (
            f"Nothing to save: “{row['name']}” already holds your changes."
        )


# --- A damaged form -----------------------------------------------------------------------------


def another_rows_original(client, api) -> str:
    other = create_row(api)
    return open_edit(client, other["id"]).value("original")


class TestDamagedSnapshot:
    @pytest.mark.parametrize(
        "original",
        [
            "garbled",
            "e30:forged:signature",
            "",
            "ünïcode:🙂:x",
            lambda page, client, api: page.value("original")[:-3],
            lambda page, client, api: another_rows_original(client, api),
            # A form opened before snapshots named their entity.
            lambda page, client, api: signing.dumps(
                {"name": "x", "phone_number": "+14155552671"}, salt="galtea-admin-form-original"
            ),
        ],
        ids=["garbled", "forged", "empty", "unicode", "cut", "other-row", "old-release"],
    )
    def test_is_a_form_error_and_sends_nothing(self, editor_client, gateway, row, original):
        page = open_edit(editor_client, row["id"])
        if callable(original):
            original = original(page, editor_client, gateway.target)
        mine = unique_name("Not saved")

        refused = FormPage(save(editor_client, row["id"], page, original=original, name=mine))

        assert refused.status == 400
        assert gateway.bodies("PATCH") == []
        assert refused.alert_text.strip()
        if original:
            assert "This form was damaged: reload the page." in refused.alert_text
        assert refused.value("name") == mine
        assert fetch(gateway.target, row["id"])["name"] == row["name"]


# --- Deleted meanwhile ------------------------------------------------------------------------


def test_deleted_meanwhile_is_still_gone_keeping_what_was_typed(editor_client, api, row):
    page = open_edit(editor_client, row["id"])
    change_row(api, row["id"], voice="jack")
    delete_row(api, row["id"])
    mine = unique_name("Too late")

    gone = FormPage(save(editor_client, row["id"], page, name=mine))

    assert gone.status == 404
    assert "Someone deleted this phone connection while you were editing it" in gone.alert_text
    assert gone.value("name") == mine
    assert not ChangeRecord.objects.exists()
