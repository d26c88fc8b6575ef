"""A WebRTC connection's API key is write-only: typed in a password box, sent to Galtea, and
never shown, echoed, exported or recorded; an edit keeps, replaces or removes it."""

from __future__ import annotations

import uuid

from django.urls import reverse

from galtea_admin.audit.models import ChangeRecord
from tests.key_leaks import WATCHED_SECRET, pipecat_key
from tests.view_cases import hidden_value, page_of

RESOURCE = "/webRtcConnections"


def create_form(client):
    return page_of(client.get(reverse("webrtc_connections:create")))


def product_id(api) -> str:
    return api.get("/products").json()[0]["id"]


def post_create(client, api, **changes):
    token = hidden_value(create_form(client), "submission")
    data = {
        "submission": token,
        "product": product_id(api),
        "name": f"Key test agent {uuid.uuid4().hex[:8]}",
        "agent_name": "acme-support-agent",
        "agent_speaks_first": "false",
        **changes,
    }
    return client.post(reverse("webrtc_connections:create"), data), data


def edit_data(client, entity_id: str, **changes) -> dict:
    doc = page_of(client.get(reverse("webrtc_connections:update", args=[entity_id])))
    form = doc.one("form", data_submit_once=True)
    data = {}
    for element in form.find_all("input"):
        name, kind = element.attrs.get("name"), element.attrs.get("type")
        if name and (kind not in ("radio", "checkbox") or "checked" in element.attrs):
            data[name] = element.attrs.get("value", "")
    data.update(changes)
    return data


def test_the_key_is_a_password_box_that_never_holds_a_value(editor_client, gateway):
    field = create_form(editor_client).one("input", name="api_key")
    assert field.attrs["type"] == "password"
    assert "value" not in field.attrs


def test_a_created_key_is_sent_and_recorded_without_its_value(editor_client, gateway, api):
    key = pipecat_key()
    response, _ = post_create(editor_client, api, api_key=key)
    assert response.status_code == 302
    (body,) = [
        b
        for r, b in zip(gateway.received("POST"), gateway.bodies("POST"), strict=True)
        if r.path == RESOURCE
    ]
    assert body["apiKey"] == key
    record = ChangeRecord.objects.get(object_type="webrtc_connections")
    assert record.changes["api_key"] == [None, "set"]
    assert key not in str(record.changes)
    detail = editor_client.get(response["Location"]).content.decode()
    assert "Key set" in detail and WATCHED_SECRET not in detail


def test_a_form_sent_back_never_echoes_the_key(editor_client, gateway, api):
    key = pipecat_key()
    response, _ = post_create(editor_client, api, api_key=key, name="")
    assert response.status_code == 400
    page = response.content.decode()
    assert WATCHED_SECRET not in page
    assert "type it again" in page


def test_a_malformed_key_is_refused_without_repeating_it(editor_client, gateway, api):
    response, _ = post_create(editor_client, api, api_key="not-a-pipecat-key-123")
    assert response.status_code == 400
    page = response.content.decode()
    assert "starts with pk_" in page and "not-a-pipecat-key-123" not in page


def test_an_edit_keeps_the_key_unless_told(editor_client, gateway, api, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    gateway.forget()
    response = editor_client.post(url, edit_data(editor_client, entity["id"], name="Renamed"))
    assert response.status_code == 302
    assert gateway.bodies("PATCH") == [{"name": "Renamed"}]
    assert api.get(f"{RESOURCE}/{entity['id']}").json()["hasApiKey"] is True


def test_an_edit_replaces_the_key(editor_client, gateway, api, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    new_key = pipecat_key()
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    gateway.forget()
    response = editor_client.post(url, edit_data(editor_client, entity["id"], api_key=new_key))
    assert response.status_code == 302
    assert gateway.bodies("PATCH") == [{"apiKey": new_key}]
    record = ChangeRecord.objects.get(object_type="webrtc_connections", action="update")
    assert record.changes == {"api_key": [None, "replaced"]}
    history = editor_client.get(reverse("webrtc_connections:detail", args=[entity["id"]]))
    assert "API key:" in history.content.decode() and "replaced" in history.content.decode()


def test_an_edit_removes_the_key(editor_client, gateway, api, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    gateway.forget()
    data = edit_data(editor_client, entity["id"], remove_api_key="on")
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert gateway.bodies("PATCH") == [{"apiKey": None}]
    assert api.get(f"{RESOURCE}/{entity['id']}").json()["hasApiKey"] is False


def test_typing_a_key_and_removing_it_at_once_is_refused(editor_client, gateway, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:update", args=[entity["id"]])
    data = edit_data(editor_client, entity["id"], api_key=pipecat_key(), remove_api_key="on")
    response = editor_client.post(url, data)
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert not gateway.received("PATCH")


def test_exports_say_whether_a_key_is_set_never_the_key(viewer_client, gateway, make_webrtc):
    entity = make_webrtc(apiKey=pipecat_key())
    url = reverse("webrtc_connections:export", args=["csv"])
    text = b"".join(viewer_client.get(url, {"ids": entity["id"]}).streaming_content).decode()
    header = text.splitlines()[0].split(",")
    assert "has_api_key" in header and "api_key" not in header
    assert WATCHED_SECRET not in text


def test_the_list_and_the_activity_page_name_the_kind(viewer_client, editor_client, gateway, api):
    post_create(editor_client, api, api_key=pipecat_key())
    activity = viewer_client.get(reverse("audit:activity"), {"kind": "webrtc_connections"})
    assert activity.status_code == 200
    assert "WebRTC connection" in activity.content.decode()
    listing = viewer_client.get(reverse("webrtc_connections:list"))
    nav = page_of(listing).one("nav", class_="mainnav")
    assert [a.text for a in nav.find_all("a")][:2] == ["Phone connections", "WebRTC connections"]
