"""A WebRTC connection's page: its agent, whether a key is set, who speaks first."""

from __future__ import annotations

from django.urls import reverse

from tests.key_leaks import pipecat_key
from tests.view_cases import page_of


def details(client, entity_id: str) -> dict[str, str]:
    doc = page_of(client.get(reverse("webrtc_connections:detail", args=[entity_id])))
    terms = doc.one("dl", class_="details")
    return dict(
        zip(
            [dt.text for dt in terms.find_all("dt")],
            [dd.text for dd in terms.find_all("dd")],
            strict=True,
        )
    )


def test_the_page_names_the_agent_the_key_and_who_speaks_first(viewer_client, api, make_webrtc):
    entity = make_webrtc(agentName="acme-web-agent", apiKey=pipecat_key(), agentSpeaksFirst=True)

    shown = details(viewer_client, entity["id"])

    assert shown["Agent"] == "acme-web-agent"
    assert shown["API key"] == "Key set (Galtea never shows the key itself)"
    assert shown["Speaks first"] == "Agent (the agent greets first)"


def test_without_a_key_it_says_so(viewer_client, api, make_webrtc):
    entity = make_webrtc()

    assert details(viewer_client, entity["id"])["API key"].startswith("No key")
