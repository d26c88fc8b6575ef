"""Two people editing one WebRTC connection: the write-only API key takes part in the merge
as far as it can be known (set or not), and is never put in a page to do so."""

from __future__ import annotations

import requests
from django.urls import reverse

from galtea_admin.audit.models import ChangeRecord
from tests.key_leaks import WATCHED_SECRET, pipecat_key
from tests.pages import FormPage, Page
from tests.view_cases import page_of
from tests.webrtc_connections.test_api_key import edit_data

RESOURCE = "/webRtcConnections"


def change_elsewhere(emulator, entity_id: str, **fields) -> None:
    """Someone else changes the connection (another person, another tool)."""
    response = requests.patch(
        f"{emulator.url}{RESOURCE}/{entity_id}", json=fields, headers=emulator.auth, timeout=10
    )
    assert response.status_code == 200, response.text


def stored(api, entity_id: str) -> dict:
    return api.get(f"{RESOURCE}/{entity_id}").json()


def test_a_key_set_meanwhile_merges_with_a_rename(editor_client, gateway, api, make_webrtc):
    entity = make_webrtc()
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    data = edit_data(editor_client, entity["id"], name="Renamed agent")
    change_elsewhere(api, entity["id"], apiKey=pipecat_key())
    gateway.forget()

    response = editor_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert gateway.bodies("PATCH") == [{"name": "Renamed agent"}]
    now = stored(api, entity["id"])
    assert (now["name"], now["hasApiKey"]) == ("Renamed agent", True)
    assert Page(response).messages == [
        "Saved “Renamed agent”.",
        "Someone else changed “Renamed agent” while you were editing it, and their changes "
        "are kept: API key: not set → set.",
    ]
    (record,) = ChangeRecord.objects.filter(object_type="webrtc_connections")
    assert record.changes == {"name": [entity["name"], "Renamed agent"]}


def test_a_key_typed_while_someone_removed_it_collides_and_is_never_shown(
    editor_client, gateway, api, make_webrtc
):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    key = pipecat_key()
    data = edit_data(editor_client, entity["id"], api_key=key, agent_name="my-agent")
    change_elsewhere(api, entity["id"], apiKey=None)
    gateway.forget()

    refused = editor_client.post(url, data)

    assert refused.status_code == 409
    assert gateway.bodies("PATCH") == []
    html = refused.content.decode()
    assert WATCHED_SECRET not in html
    assert "type it again" in html
    field = page_of(refused).one("input", name="api_key").parent
    assert [p.text for p in field.find_all("p", class_="field-error")] == [
        "Someone else removed the API key meanwhile. Save to keep yours instead."
    ]
    again = FormPage(refused).submission_data()
    assert again["agent_name"] == "my-agent"
    assert again["api_key"] == ""

    saved = editor_client.post(url, {**again, "api_key": key})

    assert saved.status_code == 302
    assert gateway.bodies("PATCH") == [{"agentName": "my-agent", "apiKey": key}]
    assert stored(api, entity["id"])["hasApiKey"] is True
    (record,) = ChangeRecord.objects.filter(object_type="webrtc_connections")
    assert record.changes == {
        "agent_name": ["acme-support-agent", "my-agent"],
        "api_key": [None, "replaced"],
    }


def test_both_removing_the_key_is_no_collision(editor_client, gateway, api, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    data = edit_data(editor_client, entity["id"], remove_api_key="on")
    change_elsewhere(api, entity["id"], apiKey=None)
    gateway.forget()

    response = editor_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert gateway.bodies("PATCH") == []
    assert stored(api, entity["id"])["hasApiKey"] is False
    assert Page(response).messages == [
        f"Nothing to save: “{entity['name']}” already holds your changes.",
        f"Someone else changed “{entity['name']}” while you were editing it, and their "
        "changes are kept: API key: set → not set.",
    ]
