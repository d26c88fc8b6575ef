"""The audit trail: every change made through the admin's pages is recorded with who, when,
what and each field's before → after; failures record nothing; the entity's page shows its
history.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from galtea_admin.audit import recording
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea.resources import resource_get
from galtea_admin.lists.registry import site
from tests.faults.proxy import rewritten
from tests.galtea.fake_upstream import error_reply
from tests.pages import (
    ACTIVITY_URL,
    CREATE_URL,
    DetailPage,
    FormPage,
    Page,
    create_row,
    delete_url,
    detail_url,
    edit_url,
    products,
    unique_name,
)

pytestmark = pytest.mark.django_db

FIELDS = ("name", "phone_number", "voice", "language_code", "agent_speaks_first")


def create_through_the_form(client, product_id: str, **changes) -> tuple[dict, object]:
    page = FormPage(client.get(CREATE_URL))
    typed = {
        "product": product_id,
        "name": unique_name("Audit line"),
        "phone_number": "+1 (415) 555-2671",
        **changes,
    }
    data = page.submission_data(**typed)
    return data, client.post(CREATE_URL, data)


def edit_through_the_form(client, connection_id: str, **changes):
    page = FormPage(client.get(edit_url(connection_id)))
    return client.post(edit_url(connection_id), page.submission_data(**changes))


# --- What a change record holds --------------------------------------------------------------


class TestRecording:
    def test_a_create_records_every_field_as_new(self, editor_client, editor, api, product_names):
        product_id = products(api)[0]["id"]
        started = timezone.now()

        data, response = create_through_the_form(
            editor_client, product_id, voice="jack", language_code="en-US"
        )

        assert response.status_code == 302
        (record,) = ChangeRecord.objects.all()
        assert record.user == editor
        assert record.username == "eddie"
        assert record.action == "create"
        assert record.object_type == "phone_connections"
        assert record.object_id.startswith("phoneConnection_")
        assert record.product_id == product_id
        assert record.product_name == product_names[product_id]
        assert record.object_label == data["name"]
        assert record.changes == {
            "name": [None, data["name"]],
            "phone_number": [None, "+14155552671"],
            "voice": [None, "jack"],
            "language_code": [None, "en-US"],
            "agent_speaks_first": [None, False],
        }
        assert started <= record.created_at <= timezone.now()

    def test_an_edit_records_only_the_changed_fields_before_and_after(
        self, editor_client, editor, api, row, product_names
    ):
        new_name = unique_name("Renamed line")

        response = edit_through_the_form(
            editor_client, row["id"], name=new_name, voice="", agent_speaks_first="true"
        )

        assert response.status_code == 302
        (record,) = ChangeRecord.objects.all()
        assert (record.user, record.username, record.action) == (editor, "eddie", "update")
        assert (record.object_type, record.object_id) == ("phone_connections", row["id"])
        assert record.product_id == row["productId"]
        assert record.product_name == product_names[row["productId"]]
        assert record.object_label == new_name
        assert record.changes == {
            "name": [row["name"], new_name],
            "voice": ["theo", None],
            "agent_speaks_first": [False, True],
        }

    def test_a_delete_records_every_field_as_gone(self, manager_client, manager, api, row):
        response = manager_client.post(delete_url(row["id"]))

        assert response.status_code == 302
        (record,) = ChangeRecord.objects.all()
        assert (record.user, record.username, record.action) == (manager, "mona", "delete")
        assert (record.object_type, record.object_id) == ("phone_connections", row["id"])
        assert record.object_label == row["name"]
        assert record.changes == {
            "name": [row["name"], None],
            "phone_number": ["+14155552671", None],
            "voice": ["theo", None],
            "language_code": ["en-GB", None],
            "agent_speaks_first": [False, None],
        }

    def test_names_with_markup_are_shown_as_text_everywhere(self, editor_client, api):
        name = f"<b>Bold</b> & <script>alert(1)</script> {unique_name('line')}"

        _, response = create_through_the_form(editor_client, products(api)[0]["id"], name=name)
        connection_id = ChangeRecord.objects.get().object_id

        pages = [
            Page(editor_client.get(response.url)),
            Page(editor_client.get(detail_url(connection_id))),
            Page(editor_client.get(ACTIVITY_URL)),
        ]
        for page in pages:
            assert "<script>alert(1)</script>" not in page.html
            assert "<b>Bold</b>" not in page.html
        assert pages[0].messages == [f"Created “{name}” (+14155552671)."]
        assert name in pages[2].main_text

    def test_the_record_outlives_the_user_account(self, editor_client, editor, api, row):
        edit_through_the_form(editor_client, row["id"], voice="jack")

        editor.delete()

        (record,) = ChangeRecord.objects.all()
        assert record.user is None
        assert record.username == "eddie"


class TestNothingRecordedOnFailure:
    @pytest.mark.parametrize("status", [400, 500, 503])
    def test_a_failed_create(self, editor_client, gateway, status):
        gateway.fail("POST", "/phoneConnections", error_reply(status, "no"))

        _, response = create_through_the_form(editor_client, products(gateway.target)[0]["id"])

        assert response.status_code >= 400
        assert not ChangeRecord.objects.exists()

    @pytest.mark.parametrize("status", [400, 404, 500])
    def test_a_failed_edit(self, editor_client, gateway, row, status):
        gateway.fail("PATCH", "/phoneConnections/.+", error_reply(status, "no"))

        response = edit_through_the_form(editor_client, row["id"], voice="jack")

        assert response.status_code >= 400
        assert not ChangeRecord.objects.exists()

    @pytest.mark.parametrize("status", [404, 500])
    def test_a_failed_delete(self, manager_client, gateway, row, status):
        gateway.fail("DELETE", "/phoneConnections/.+", error_reply(status, "no"))

        manager_client.post(delete_url(row["id"]))

        assert not ChangeRecord.objects.exists()

    def test_an_edit_that_changes_nothing(self, editor_client, api, row):
        edit_through_the_form(editor_client, row["id"])

        assert not ChangeRecord.objects.exists()

    def test_an_invalid_form(self, editor_client, api):
        _, response = create_through_the_form(
            editor_client, products(api)[0]["id"], phone_number="not a number"
        )

        assert response.status_code == 400
        assert not ChangeRecord.objects.exists()


# --- The entity's history --------------------------------------------------------------------


class TestDetailHistory:
    def test_shows_each_change_newest_first_field_by_field(self, editor_client, api):
        create_through_the_form(editor_client, products(api)[0]["id"])
        connection_id = ChangeRecord.objects.get().object_id
        edit_through_the_form(editor_client, connection_id, voice="jack", language_code="fr-FR")
        edit_through_the_form(editor_client, connection_id, agent_speaks_first="true")

        page = DetailPage(editor_client.get(detail_url(connection_id)))

        assert page.status == 200
        summaries = [p.text for p in page.doc.find_all("p", class_="change-summary")]
        assert [s.split(" this phone connection")[0] for s in summaries] == [
            "eddie edited",
            "eddie edited",
            "eddie created",
        ]
        assert page.history_changes == [
            ["Agent speaks first: Caller → Agent"],
            ["Voice: Sarah (default) → Jack (en-US)", "Language: — → fr-FR"],
            [],
        ]

    def test_shows_only_this_connections_changes(self, editor_client, api, row):
        other = create_row(api)
        edit_through_the_form(editor_client, other["id"], voice="jack")
        edit_through_the_form(editor_client, row["id"], voice="megan")

        page = DetailPage(editor_client.get(detail_url(row["id"])))

        assert page.history_changes == [["Voice: Theo (en-GB) → Megan (en-US)"]]

    def test_says_when_nothing_was_changed_here(self, viewer_client, row):
        page = DetailPage(viewer_client.get(detail_url(row["id"])))

        assert page.history == []
        assert "No changes made through this admin yet." in page.main_text


# --- Values too long for the log, and a log that cannot be written ---------------------------


LONG_PRODUCT = "Contoso Bank Assistant for the whole of the northern region " * 5  # 300


class TestWhateverTheDatabaseSays:
    def test_a_product_name_too_long_for_the_log_is_recorded_cut(self, editor_client, gateway):
        def rename(products):
            return [{**product, "name": LONG_PRODUCT} for product in products]

        gateway.inject(rewritten("long product names", rename), "GET", "/products")
        product_id = products(gateway.target)[0]["id"]

        _, response = create_through_the_form(editor_client, product_id)

        assert response.status_code == 302
        (record,) = ChangeRecord.objects.all()
        assert len(LONG_PRODUCT) == 300
        assert record.product_name == LONG_PRODUCT[:254] + "…"

    def test_every_value_is_cut_to_what_its_column_holds(self, editor, api, row):
        resource = site.get("phone_connections")
        current = resource_get(resource.spec, entity_id=row["id"])
        long = replace(
            current, id="phoneConnection_" + "x" * 300, name="n" * 400, product_id="p" * 200
        )

        recorded = recording.record_create(
            editor, resource=resource, record=long, product_name=LONG_PRODUCT
        )

        stored = ChangeRecord.objects.get(pk=recorded.pk)
        assert stored.object_id == long.id[:127] + "…"
        assert stored.object_label == "n" * 254 + "…"
        assert stored.product_id == "p" * 127 + "…"
        assert stored.product_name == LONG_PRODUCT[:254] + "…"
        assert stored.changes["name"] == [None, "n" * 400]

    @pytest.mark.parametrize("change", ["create", "edit", "delete"])
    def test_a_database_error_while_recording_is_logged_and_the_change_shown_done(
        self, editor_client, manager_client, api, row, caplog, change
    ):
        def refuse_change_records(execute, sql, params, many, context):
            if sql.startswith("INSERT") and ChangeRecord._meta.db_table in sql:
                raise OperationalError("database is locked")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(refuse_change_records):
            if change == "create":
                data, response = create_through_the_form(editor_client, row["productId"])
                client, done = editor_client, f"Created “{data['name']}”"
            elif change == "edit":
                response = edit_through_the_form(editor_client, row["id"], voice="jack")
                client, done = editor_client, f"Saved “{row['name']}”."
            else:
                response = manager_client.post(delete_url(row["id"]))
                client, done = manager_client, f"Deleted “{row['name']}”"

        assert response.status_code == 302
        assert any(message.startswith(done) for message in Page(client.get(response.url)).messages)
        assert not ChangeRecord.objects.exists()
        (logged,) = [r for r in caplog.records if r.name == "galtea_admin.audit.recording"]
        assert logged.levelname == "ERROR"
        assert logged.getMessage().startswith(
            "The activity log could not record a change Galtea made: "
        )
        assert "database is locked" in logged.exc_text
        if change == "edit":
            assert api.get(f"/phoneConnections/{row['id']}").json()["voice"] == "jack"
        if change == "delete":
            assert api.get(f"/phoneConnections/{row['id']}").status_code == 404
