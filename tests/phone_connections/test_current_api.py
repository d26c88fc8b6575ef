"""The admin against today's Galtea API ("current" generation): phone connections have no
voice or language, and `GET /phoneConnections/voices` is no route (Express's HTML 404).

Every test of this module talks to an emulator playing that generation. The shared page
tests run against it unchanged; the rest check that no voice or language shows anywhere (form,
table, column chooser, detail page, history, exports) and that none is ever sent.
"""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.emulator_process import start_emulator
from tests.pages import CREATE_URL, FormPage, ListView, Page, detail_url, edit_url
from tests.phone_connections import test_pages
from tests.phone_connections.pages import LIST_URL, create_row

pytestmark = pytest.mark.django_db

VOICE_WORDS = ("Voice", "Language", "Sarah")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """This module's emulator: today's API, without voices (it replaces the session one)."""
    running = start_emulator(
        tmp_path_factory.mktemp("current-api"), seed=30, api_generation="current"
    )
    yield running
    running.stop()


@pytest.fixture
def current_api(api):
    return api


class TestPhoneConnectionPagesOnTheCurrentApi(test_pages.TestPhoneConnectionPages):
    """Every shared page test, on the current generation."""

    absent_fields = ("voice", "language_code")


def sent(gateway, method: str) -> list[dict]:
    return gateway.bodies(method)


class TestNoVoiceAnywhere:
    def test_the_list_has_no_voice_or_language_column_or_choice(self, viewer_client, current_api):
        row = create_row(current_api, name=f"Current line {uuid.uuid4().hex[:8]}")
        page = ListView(viewer_client.get(LIST_URL, {"ids": row["id"]}))
        assert page.status == 200
        names = [name.split(" (")[0] for name in page.column_names]
        assert names == ["Name", "Product", "Phone number", "Speaks first", "Created"]
        assert [choice.name for choice in page.column_choices] == [
            "product",
            "phone",
            "speaks_first",
            "created",
            "used_by",
        ]
        assert page.row_ids == [row["id"]]

    def test_the_voices_route_is_asked_once_and_remembered(self, viewer_client, current_api):
        viewer_client.get(LIST_URL)
        viewer_client.get(LIST_URL)
        asked = [r for r in current_api.requests_received() if r["path"].endswith("/voices")]
        assert len(asked) == 1

    def test_the_create_form_has_no_voice_and_sends_none(self, editor_client, gateway, api):
        form = FormPage(editor_client.get(CREATE_URL))
        names = {el.attrs.get("name") for el in form.form.iter() if el.tag in ("input", "select")}
        assert not names & {"voice", "language_code"}
        assert "language-codes" not in form.html
        name = f"Current create {uuid.uuid4().hex[:8]}"
        data = form.submission_data(
            product=api.get("/products").json()[0]["id"],
            name=name,
            phone_number="+1 415 555 2671",
            agent_speaks_first="true",
        )
        data.update({"voice": "theo", "language_code": "fr"})  # posted anyway: ignored

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302, FormPage(response).alert_text
        (body,) = sent(gateway, "POST")
        assert body == {
            "productId": data["product"],
            "name": name,
            "phoneNumber": "+14155552671",
            "agentSpeaksFirst": True,
        }
        (record,) = ChangeRecord.objects.all()
        assert set(record.changes) == {"name", "phone_number", "agent_speaks_first"}

    def test_an_edit_has_no_voice_and_sends_only_the_change(self, editor_client, gateway, make_row):
        row = make_row()
        form = FormPage(editor_client.get(edit_url(row["id"])))
        data = form.submission_data(name=f"Renamed {uuid.uuid4().hex[:8]}")
        assert "voice" not in data and "language_code" not in data

        response = editor_client.post(edit_url(row["id"]), data)

        assert response.status_code == 302
        assert sent(gateway, "PATCH") == [{"name": data["name"]}]

    def test_the_detail_page_and_its_history_show_no_voice(self, editor_client, gateway, make_row):
        row = make_row()
        form = FormPage(editor_client.get(edit_url(row["id"])))
        editor_client.post(
            edit_url(row["id"]), form.submission_data(phone_number="+44 20 7946 0958")
        )
        # A record made while the API had voices still names them: they are not shown.
        (record,) = ChangeRecord.objects.all()
        record.changes = {**record.changes, "voice": [None, "theo"]}
        record.save()

        page = Page(editor_client.get(detail_url(row["id"])))

        assert page.status == 200
        terms = [dt.text.split(" (")[0] for dt in page.doc.find_all("dt")]
        assert terms == ["Product", "Phone number", "Speaks first", "Created"]
        history = page.doc.one("section", class_="history").text
        assert "Phone number" in history
        assert not any(word in history for word in VOICE_WORDS)

    def test_exports_have_no_voice_or_language(self, viewer_client, gateway, make_row):
        row = make_row()
        response = viewer_client.get("/phone-connections/export.csv", {"ids": row["id"]})
        header, values = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
        )
        assert header == [
            "id",
            "name",
            "product_id",
            "product_name",
            "phone_number",
            "agent_speaks_first",
            "created_at",
            "user_id",
        ]
        assert values[0] == row["id"]
        response = viewer_client.get("/phone-connections/export.json", {"ids": row["id"]})
        (exported,) = json.loads(b"".join(response.streaming_content))["phoneConnections"]
        assert "voice" not in exported and "language_code" not in exported
